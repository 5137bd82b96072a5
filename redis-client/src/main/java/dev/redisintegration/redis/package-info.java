/**
 * A process-wide Redis connection manager on Lettuce, configured from {@code REDIS_*} environment variables.
 *
 * <p>Start at {@link dev.redisintegration.redis.RedisConnectionManager} (or the static facade
 * {@link dev.redisintegration.redis.Redis}) and {@link dev.redisintegration.redis.RedisSettings}.
 *
 * <p>Null policy: nothing here accepts or returns {@code null} unless marked {@code @Nullable}. A {@code null}
 * argument fails with {@link java.lang.NullPointerException} naming the parameter, a bad value with
 * {@link java.lang.IllegalArgumentException}, a call in the wrong state (after {@code close()}) with
 * {@link java.lang.IllegalStateException}.
 */
@NullMarked
package dev.redisintegration.redis;

import org.jspecify.annotations.NullMarked;
