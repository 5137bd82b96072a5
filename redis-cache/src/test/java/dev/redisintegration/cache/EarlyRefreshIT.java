package dev.redisintegration.cache;

import static dev.redisintegration.cache.CacheItSupport.connected;
import static dev.redisintegration.cache.CacheItSupport.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.redis.RedisConnectionManager;
import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Twenty "pods" (a manager and a cache each) hammer one key through several expiries: XFetch plus the refresh lock
 * reload it ahead of expiry by about one pod each time, so callers never miss and each expiry sees at most 3 loads.
 */
@ExtendWith(RedisServerExtension.class)
class EarlyRefreshIT {

    private static final int PODS = 20;
    private static final long TTL_MILLIS = 1000;
    private static final long RUN_MILLIS = 4000;
    private static final Executor LOAD_DELAY = CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS);

    @Test
    void aHotKeyIsReloadedByAboutOnePodPerExpiry(RedisServer redis) throws Exception {
        AtomicInteger loads = new AtomicInteger();
        Queue<Long> loadStarts = new ConcurrentLinkedQueue<>();
        Supplier<CompletionStage<String>> loader = () -> {
            loadStarts.add(System.nanoTime());
            return CompletableFuture.supplyAsync(() -> "v" + loads.incrementAndGet(), LOAD_DELAY);
        };
        List<RedisConnectionManager> managers = new ArrayList<>();
        List<RedisCache> caches = new ArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(PODS);
        try {
            for (int i = 0; i < PODS; i++) {
                RedisConnectionManager manager = connected(redis.endpoint());
                managers.add(manager);
                // A deadline above the machine's hiccups: this test is about refresh, not fail-open.
                caches.add(RedisCache.builder(manager)
                        .namespace("hot")
                        .ttl(Duration.ofMillis(TTL_MILLIS))
                        .deadline(Duration.ofSeconds(2))
                        .build());
            }
            result(caches.get(0).getOrLoad("key", loader));
            int warm = loads.get();

            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
            List<Future<Integer>> calls = new ArrayList<>();
            for (RedisCache cache : caches) {
                calls.add(callers.submit(() -> {
                    int made = 0;
                    while (System.nanoTime() < end) {
                        assertThat(result(cache.getOrLoad("key", loader))).startsWith("v");
                        made++;
                    }
                    return made;
                }));
            }
            long callsMade = 0;
            for (Future<Integer> each : calls) {
                callsMade += each.get(RUN_MILLIS + 20_000, TimeUnit.MILLISECONDS);
            }

            long expiries = RUN_MILLIS / TTL_MILLIS + 1;
            int hammerLoads = loads.get() - warm;
            long misses =
                    caches.stream().mapToLong(cache -> cache.stats().misses()).sum() - 1;
            long refreshes = caches.stream()
                    .mapToLong(cache -> cache.stats().earlyRefreshes())
                    .sum();
            List<Integer> loadsPerExpiry = loadsPerExpiry(loadStarts, warm);
            System.out.printf(
                    "early refresh: %d calls, %d loads over %d TTLs (per expiry: %s), %d early refreshes, %d misses%n",
                    callsMade, hammerLoads, expiries, loadsPerExpiry, refreshes, misses);
            assertThat(callsMade).isGreaterThan(PODS * 10L);
            assertThat(loadsPerExpiry)
                    .as("loads of each expiry")
                    .hasSizeGreaterThanOrEqualTo((int) expiries - 2)
                    .allSatisfy(count -> assertThat(count).isBetween(1, 3));
            assertThat(misses).as("calls that found the key expired").isLessThanOrEqualTo(PODS);
        } finally {
            callers.shutdownNow();
            managers.forEach(RedisConnectionManager::close);
        }
    }

    /**
     * The loads of the run grouped by the expiry they replaced: the loads of one expiry start within a few hundred ms of
     * each other (XFetch spreads them over the last part of a value's life), the next expiry's a TTL (+/- 10 %) later,
     * so a gap longer than half the TTL starts a new group.
     */
    private static List<Integer> loadsPerExpiry(Queue<Long> loadStarts, int warm) {
        List<Long> starts = new ArrayList<>(loadStarts);
        starts.sort(null);
        List<Integer> groups = new ArrayList<>();
        long previous = Long.MIN_VALUE;
        for (long start : starts.subList(warm, starts.size())) {
            if (groups.isEmpty() || start - previous > TimeUnit.MILLISECONDS.toNanos(TTL_MILLIS / 2)) {
                groups.add(0);
            }
            groups.set(groups.size() - 1, groups.get(groups.size() - 1) + 1);
            previous = start;
        }
        return groups;
    }
}
