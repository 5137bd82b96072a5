/**
 * Implementation details of {@code redis-client}. Not public API: may change without further notice.
 */
package dev.redisintegration.redis.internal;
