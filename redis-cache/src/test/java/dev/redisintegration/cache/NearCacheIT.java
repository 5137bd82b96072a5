package dev.redisintegration.cache;

import static dev.redisintegration.cache.CacheItSupport.connected;
import static dev.redisintegration.cache.CacheItSupport.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.redisintegration.redis.RedisConnectionManager;
import dev.redisintegration.redis.RedisMode;
import dev.redisintegration.redis.RedisSettings;
import dev.redisintegration.testing.LogCapture;
import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.SwitchingProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The near cache against real servers: served without a round trip once tracking is on, invalidated by other
 * clients' writes, emptied by a restart, a {@code FLUSHALL} and a move to another node, never serving a value Redis no
 * longer has; refused for a cluster.
 */
class NearCacheIT {

    private static final Duration TTL = Duration.ofMinutes(5);

    @Test
    void aHeldValueIsServedWithoutARoundTrip() throws Exception {
        try (RedisServer redis = RedisServer.start();
                RedisConnectionManager manager = connected(redis.endpoint());
                RedisCache cache = nearCache(manager)) {
            AtomicInteger loads = new AtomicInteger();
            assertThat(result(cache.getOrLoad("k", counting(loads, "v1")))).isEqualTo("v1");
            awaitHeld(cache, "k", "v1");

            long getsBefore = redis.commandCount("get");
            for (int i = 0; i < 100; i++) {
                assertThat(result(cache.getOrLoad("k", counting(loads, "other"))))
                        .isEqualTo("v1");
            }
            assertThat(redis.commandCount("get")).isEqualTo(getsBefore);
            assertThat(loads).hasValue(1);
            assertThat(cache.stats().nearHits()).isGreaterThanOrEqualTo(100);
        }
    }

    @Test
    void anotherClientsWriteRemovesTheHeldValue() throws Exception {
        try (RedisServer redis = RedisServer.start();
                RedisConnectionManager podA = connected(redis.endpoint());
                RedisConnectionManager podB = connected(redis.endpoint());
                RedisCache a = nearCache(podA)) {
            RedisCache b = RedisCache.builder(podB).namespace("near").ttl(TTL).build();
            loadAndHold(a, "k", "v1");

            result(b.invalidate("k"));
            assertThat(result(b.getOrLoad("k", () -> done("v2")))).isEqualTo("v2");

            await().atMost(Duration.ofSeconds(5))
                    .until(() -> result(a.getOrLoad("k", () -> done("loaded-by-a"))), "v2"::equals);
            assertThat(a.stats().nearInvalidations()).isPositive();

            // A write that is not the cache's own (any client, any command) removes it too.
            awaitHeld(a, "k", "v2");
            redis.command("DEL", "near:k");
            await().atMost(Duration.ofSeconds(5)).until(() -> result(a.getOrLoad("k", () -> done("v3"))), "v3"::equals);
        }
    }

    @Test
    void aRestartEmptiesItAndTheOldValueIsNeverServedAgain() throws Exception {
        try (RedisServer redis = RedisServer.start();
                RedisConnectionManager manager = connected(redis.endpoint());
                RedisCache cache = nearCache(manager)) {
            loadAndHold(cache, "k", "v1");
            long flushes = cache.stats().nearFlushes();

            redis.restart(); // keeps nothing: k is gone in Redis

            List<String> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                String value = result(cache.getOrLoad("k", () -> done("v2")));
                seen.add(value);
                return "v2".equals(value) && cache.stats().nearHits() > 0;
            });
            assertThat(seen).doesNotContain("v1");
            assertThat(cache.stats().nearFlushes()).isGreaterThan(flushes);
        }
    }

    @Test
    void flushAllEmptiesIt() throws Exception {
        try (RedisServer redis = RedisServer.start();
                RedisConnectionManager manager = connected(redis.endpoint());
                RedisCache cache = nearCache(manager)) {
            loadAndHold(cache, "k", "v1");
            long flushes = cache.stats().nearFlushes();

            redis.command("FLUSHALL");

            await().atMost(Duration.ofSeconds(5)).until(() -> cache.stats().nearFlushes() > flushes);
            assertThat(result(cache.getOrLoad("k", () -> done("v2")))).isEqualTo("v2");
        }
    }

    @Test
    void whileRedisIsPausedHeldValuesStillAnswerAtOnce() throws Exception {
        try (RedisServer redis = RedisServer.start();
                RedisConnectionManager manager = connected(redis.endpoint());
                RedisCache cache = nearCache(manager)) {
            loadAndHold(cache, "k", "v1");

            redis.pause(); // nobody can change the key while the server is stopped, so the value held is current
            try {
                long started = System.nanoTime();
                String value = cache.getOrLoad("k", () -> done("loaded"))
                        .toCompletableFuture()
                        .get(RedisCache.DEFAULT_DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
                assertThat(value).isEqualTo("v1");
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                        .isLessThan(RedisCache.DEFAULT_DEADLINE_MILLIS);
            } finally {
                redis.resume();
            }
        }
    }

    @Test
    void aMoveToAnotherNodeEmptiesItAndTheNewNodesValueIsServed() throws Exception {
        try (RedisServer first = RedisServer.start();
                RedisServer second = RedisServer.start();
                SwitchingProxy proxy = SwitchingProxy.start(first);
                RedisConnectionManager manager = RedisConnectionManager.create(RedisSettings.builder()
                        .endpoint(proxy.endpoint())
                        .connectTimeout(Duration.ofSeconds(10))
                        .verifyInterval(Duration.ofMillis(500))
                        .build());
                RedisConnectionManager onSecond = connected(second.endpoint());
                LogCapture logs = LogCapture.start();
                RedisCache cache = nearCache(manager)) {
            loadAndHold(cache, "k", "on-first");
            RedisCache writer =
                    RedisCache.builder(onSecond).namespace("near").ttl(TTL).build();
            result(writer.getOrLoad("k", () -> done("on-second")));

            // A failover: the endpoint now names the second node, and the first becomes its replica.
            proxy.switchTo(second);
            first.replicaOf(second);

            await().atMost(Duration.ofSeconds(15))
                    .until(() -> result(cache.getOrLoad("k", () -> done("loaded"))), "on-second"::equals);
            // The manager leaves the demoted node: the near cache goes off, empty, and comes back on the new node,
            // where it sees the new node's writes.
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                result(cache.getOrLoad("k", () -> done("loaded"))); // tracking is set up again by reads
                return logs.lines().stream().anyMatch(line -> line.contains("'near' is on again"));
            });
            assertThat(logs.lines()).anyMatch(line -> line.contains("near cache of namespace 'near' is off"));
            awaitHeld(cache, "k", "on-second");
            result(writer.invalidate("k"));
            result(writer.getOrLoad("k", () -> done("on-second, later")));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> result(cache.getOrLoad("k", () -> done("loaded"))), "on-second, later"::equals);
        }
    }

    @Test
    void aClusterIsRefusedWithAClearError() {
        try (RedisConnectionManager manager = RedisConnectionManager.create(RedisSettings.builder()
                .endpoint("localhost:7000")
                .mode(RedisMode.CLUSTER)
                .build())) {
            assertThatThrownBy(() -> RedisCache.builder(manager)
                            .namespace("near")
                            .ttl(TTL)
                            .nearCache(100)
                            .build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot be kept correct on a Redis Cluster");
        }
    }

    @Test
    void badSizesAreRefused() {
        try (RedisConnectionManager manager = RedisConnectionManager.create(
                RedisSettings.builder().endpoint("localhost:7000").build())) {
            RedisCache.Builder builder =
                    RedisCache.builder(manager).namespace("near").ttl(TTL);
            assertThatThrownBy(() -> builder.nearCache(-1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("between 0 (off) and 10,000,000");
        }
    }

    private static RedisCache nearCache(RedisConnectionManager manager) {
        return RedisCache.builder(manager)
                .namespace("near")
                .ttl(TTL)
                .nearCache(1_000)
                .build();
    }

    /** Loads {@code value} into Redis through the cache, then reads until the near cache holds it. */
    private static void loadAndHold(RedisCache cache, String key, String value) throws Exception {
        result(cache.getOrLoad(key, () -> done(value)));
        awaitHeld(cache, key, value);
    }

    /** Reads until the value is answered by the near cache (tracking is set up in the background on first use). */
    private static void awaitHeld(RedisCache cache, String key, String value) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            long before = cache.stats().nearHits();
            String read = result(cache.getOrLoad(key, () -> done("unexpected load")));
            return value.equals(read) && cache.stats().nearHits() > before;
        });
    }

    private static Supplier<CompletionStage<String>> counting(AtomicInteger loads, String value) {
        return () -> {
            loads.incrementAndGet();
            return done(value);
        };
    }

    private static CompletionStage<String> done(String value) {
        return CompletableFuture.completedFuture(value);
    }
}
