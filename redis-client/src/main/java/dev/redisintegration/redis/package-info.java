/**
 * A process-wide Redis connection manager on Lettuce, configured from {@code REDIS_*} environment variables.
 *
 * <p>Start at {@link dev.redisintegration.redis.RedisConnectionManager} (or the static facade
 * {@link dev.redisintegration.redis.Redis}) and {@link dev.redisintegration.redis.RedisSettings}.
 */
package dev.redisintegration.redis;
