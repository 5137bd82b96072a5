package dev.redisintegration.cache;

import java.time.Duration;

/**
 * Counters of one {@link RedisCache} since it was built, for metrics (export them to any metrics library; there is
 * no dependency on one here).
 *
 * @param hits calls answered from Redis.
 * @param misses calls that found no entry in Redis (each led to a load, shared by concurrent callers).
 * @param loads loader invocations (misses, early refreshes and fail-open loads; concurrent callers of one key share
 *     one).
 * @param loadFailures loads whose stage failed (the failure is passed to the callers, nothing is cached).
 * @param loadTime the total time spent in loaders.
 * @param failOpens calls that could not use Redis (down, hung, slower than the deadline) and were answered by the
 *     loader without writing back.
 * @param earlyRefreshes background refreshes started ahead of expiry.
 * @param writeFailures write-backs that Redis refused or did not answer in time (the caller still got the value).
 * @param nearHits calls answered by the near cache without a round trip (0 without one; not counted in {@code hits}).
 * @param nearInvalidations keys removed from the near cache by Redis's invalidation messages.
 * @param nearFlushes times the near cache was emptied whole (disconnects, reconnects, moves, {@code invalidateAll}).
 * @since 0.1
 */
public record CacheStats(
        long hits,
        long misses,
        long loads,
        long loadFailures,
        Duration loadTime,
        long failOpens,
        long earlyRefreshes,
        long writeFailures,
        long nearHits,
        long nearInvalidations,
        long nearFlushes) {}
