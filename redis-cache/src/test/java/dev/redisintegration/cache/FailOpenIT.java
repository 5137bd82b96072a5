package dev.redisintegration.cache;

import static dev.redisintegration.cache.CacheItSupport.connected;
import static dev.redisintegration.cache.CacheItSupport.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.redisintegration.redis.RedisConnectionManager;
import dev.redisintegration.testing.LogCapture;
import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.SwitchingProxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * With Redis stopped, paused (SIGSTOP) or slower than the deadline, every call is answered by its loader within the
 * deadline plus the load time, nothing is written back, and the state change is logged once.
 *
 * <p>Bound asserted per call: the deadline (100 ms) + that call's load time as the loader itself saw it (20 ms asked
 * of a delayed executor, more when the machine is busy) + {@link #TIMER_SLACK_MILLIS} for the deadline's timer thread
 * and the callback hops on a shared 2-core machine. So no call waits for Redis: not for the 2 s command timeout, a
 * reconnect, or the {@link #REPLY_DELAY} of the slowed proxy.
 */
class FailOpenIT {

    private static final long LOAD_MILLIS = 20;
    private static final long TIMER_SLACK_MILLIS = 150;
    private static final Duration REPLY_DELAY = Duration.ofSeconds(3);
    private static final Executor LOAD_DELAY = CompletableFuture.delayedExecutor(LOAD_MILLIS, TimeUnit.MILLISECONDS);
    private static final Supplier<CompletionStage<String>> LOADER =
            () -> CompletableFuture.supplyAsync(() -> "loaded", LOAD_DELAY);

    @Test
    void redisStoppedEveryCallIsAnsweredByTheLoaderInTime() throws Exception {
        try (RedisServer redis = RedisServer.start();
                RedisConnectionManager manager = connected(redis.endpoint());
                LogCapture logs = LogCapture.start()) {
            RedisCache cache = cache(manager);
            redis.stop();

            assertEveryCallFailsOpenInTime("stopped", cache, 20);
            assertThat(logs.lines())
                    .filteredOn(line -> line.contains("is failing open"))
                    .hasSize(1);
        }
    }

    @Test
    void redisPausedEveryCallIsAnsweredByTheLoaderInTimeAndRedisIsUsedAgainAfterwards() throws Exception {
        try (RedisServer redis = RedisServer.start();
                RedisConnectionManager manager = connected(redis.endpoint());
                LogCapture logs = LogCapture.start()) {
            RedisCache cache = cache(manager);
            redis.pause();
            try {
                assertEveryCallFailsOpenInTime("paused", cache, 10);
            } finally {
                redis.resume();
            }
            assertThat(redis.command("EXISTS", "fail-open:k0")).isEqualTo("0"); // nothing written back

            // The connection may be reconnecting after the pause: the next calls fail open until it answers again.
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                result(cache.getOrLoad("after", LOADER));
                return logs.lines().stream().anyMatch(line -> line.contains("uses Redis again"));
            });
            assertThat(logs.lines())
                    .filteredOn(line -> line.contains("is failing open"))
                    .hasSize(1);
            assertThat(logs.lines())
                    .filteredOn(line -> line.contains("uses Redis again"))
                    .hasSize(1);
        }
    }

    @Test
    void redisSlowerThanTheDeadlineEveryCallIsAnsweredByTheLoaderInTime() throws Exception {
        try (RedisServer redis = RedisServer.start();
                SwitchingProxy proxy = SwitchingProxy.start(redis);
                RedisConnectionManager manager = connected(proxy.endpoint())) {
            RedisCache cache = cache(manager);
            proxy.replyDelay(REPLY_DELAY);

            assertEveryCallFailsOpenInTime("slowed", cache, 10);
        }
    }

    private static RedisCache cache(RedisConnectionManager manager) {
        return RedisCache.builder(manager)
                .namespace("fail-open")
                .ttl(Duration.ofMinutes(1))
                .build();
    }

    private static void assertEveryCallFailsOpenInTime(String how, RedisCache cache, int calls) throws Exception {
        long slowest = 0;
        long mostOverLoad = 0;
        for (int i = 0; i < calls; i++) {
            AtomicLong loadNanos = new AtomicLong();
            Supplier<CompletionStage<String>> timedLoader = () -> {
                long loadStarted = System.nanoTime();
                return LOADER.get().whenComplete((value, error) -> loadNanos.set(System.nanoTime() - loadStarted));
            };
            long started = System.nanoTime();
            String value =
                    cache.getOrLoad("k" + i, timedLoader).toCompletableFuture().get(5, TimeUnit.SECONDS);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            long loadMillis = TimeUnit.NANOSECONDS.toMillis(loadNanos.get());
            long bound = RedisCache.DEFAULT_DEADLINE_MILLIS + loadMillis + TIMER_SLACK_MILLIS;

            slowest = Math.max(slowest, tookMillis);
            mostOverLoad = Math.max(mostOverLoad, tookMillis - loadMillis);
            assertThat(value).isEqualTo("loaded");
            assertThat(tookMillis)
                    .as("call %d took %d ms, its load %d ms", i, tookMillis, loadMillis)
                    .isLessThanOrEqualTo(bound);
        }
        System.out.printf(
                "fail-open, Redis %s: %d calls, slowest %d ms, at most %d ms more than its load (deadline %d ms)%n",
                how, calls, slowest, mostOverLoad, RedisCache.DEFAULT_DEADLINE_MILLIS);
        assertThat(cache.stats().failOpens()).isEqualTo(calls);
        assertThat(cache.stats().hits()).isZero();
    }
}
