/**
 * A read-through Redis cache on {@code redis-client}: single-flight per key, probabilistic early refresh (XFetch),
 * TTL jitter, fail-open on a Redis that is down, hung or slow, negative caching and namespaced keys.
 *
 * <p>Start at {@link dev.redisintegration.cache.RedisCache#builder(dev.redisintegration.redis.RedisConnectionManager)}.
 *
 * <p>Null policy: nothing here accepts or returns {@code null} unless marked {@code @Nullable}. A {@code null}
 * argument fails with {@link java.lang.NullPointerException} naming the parameter, a bad value with
 * {@link java.lang.IllegalArgumentException}.
 */
@NullMarked
package dev.redisintegration.cache;

import org.jspecify.annotations.NullMarked;
