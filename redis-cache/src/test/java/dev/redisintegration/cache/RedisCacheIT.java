package dev.redisintegration.cache;

import static dev.redisintegration.cache.CacheItSupport.connected;
import static dev.redisintegration.cache.CacheItSupport.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.redisintegration.cache.CacheItSupport.TestClock;
import dev.redisintegration.redis.RedisConnectionManager;
import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The cache against one real Redis: single-flight, codecs, TTL and jitter, XFetch, negative caching, invalidation. */
@ExtendWith(RedisServerExtension.class)
class RedisCacheIT {

    RedisServer redis;
    RedisConnectionManager manager;

    @BeforeEach
    void connect() throws Exception {
        manager = connected(redis.endpoint());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /**
     * A deadline far above a loaded machine's hiccups: these tests are about what the cache stores, and a call that
     * failed open (correctly) would write nothing back. Fail-open has its own IT.
     */
    private RedisCache.Builder builder() {
        return RedisCache.builder(manager).deadline(Duration.ofSeconds(5));
    }

    @Test
    void thousandConcurrentMissesOfOneKeyCallTheLoaderOnce() throws Exception {
        RedisCache cache =
                builder().namespace("team-x").ttl(Duration.ofMinutes(1)).build();
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<String> gate = new CompletableFuture<>();
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            results.add(cache.getOrLoad("hot", () -> {
                        calls.incrementAndGet();
                        return gate;
                    })
                    .toCompletableFuture());
        }
        gate.complete("value");

        for (CompletableFuture<String> each : results) {
            assertThat(result(each)).isEqualTo("value");
        }
        assertThat(calls).hasValue(1);
        assertThat(cache.stats().loads()).isEqualTo(1);
        assertThat(redis.commandCount("get")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> redis.command("EXISTS", "team-x:hot").equals("1"));
    }

    @Test
    void valuesRoundTripThroughRedisAsTheyAre() throws Exception {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i; // not UTF-8: a text codec would mangle it
        }
        String text = "grüße, 東京, \uD83D\uDE00";
        RedisCache writer =
                builder().namespace("codec").ttl(Duration.ofMinutes(1)).build();
        result(writer.getOrLoad("bytes", ValueCodec.bytes(), () -> CompletableFuture.completedFuture(everyByte)));
        result(writer.getOrLoad("text", () -> CompletableFuture.completedFuture(text)));
        await().atMost(Duration.ofSeconds(5))
                .until(() ->
                        redis.command("EXISTS", "codec:bytes", "codec:text").equals("2"));

        RedisCache reader =
                builder().namespace("codec").ttl(Duration.ofMinutes(1)).build();
        byte[] read = result(reader.getOrLoad("bytes", ValueCodec.bytes(), CompletableFuture::new));
        String readText = result(reader.getOrLoad("text", CompletableFuture::new));

        assertThat(read).containsExactly(everyByte);
        assertThat(readText).isEqualTo(text);
        assertThat(reader.stats().hits()).isEqualTo(2);
        assertThat(reader.stats().loads()).isZero();
        assertThat(redis.command("STRLEN", "codec:bytes")).isEqualTo(String.valueOf(14 + 256));
    }

    @Test
    void ttlIsJitteredWithinTenPercent() throws Exception {
        double[] next = {0.0};
        RedisCache cache = builder()
                .namespace("ttl")
                .ttl(Duration.ofSeconds(100))
                .random(() -> next[0])
                .build();
        result(cache.getOrLoad("low", () -> CompletableFuture.completedFuture("v")));
        next[0] = 0.999_999;
        result(cache.getOrLoad("high", () -> CompletableFuture.completedFuture("v")));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> redis.command("EXISTS", "ttl:low", "ttl:high").equals("2"));

        long low = Long.parseLong(redis.command("PTTL", "ttl:low"));
        long high = Long.parseLong(redis.command("PTTL", "ttl:high"));
        assertThat(low).isBetween(85_000L, 90_000L);
        assertThat(high).isBetween(105_000L, 110_000L);
    }

    @Test
    void aHitIsRefreshedInTheBackgroundOnlyWhenXFetchSaysSo() throws Exception {
        TestClock clock = new TestClock(1_000_000);
        double[] next = {0.5}; // u = 0.5: -ln(u) = 0.693, so with delta 1000 ms the refresh starts 693 ms ahead
        RedisCache cache = builder()
                .namespace("xfetch")
                .ttl(Duration.ofSeconds(60))
                .jitter(0)
                .clock(clock)
                .random(() -> next[0])
                .build();
        AtomicInteger loads = new AtomicInteger();
        java.util.function.Supplier<CompletionStage<String>> slowLoader = () -> {
            clock.advance(1000); // the load "takes" one second of the injected clock
            return CompletableFuture.completedFuture("v" + loads.incrementAndGet());
        };
        assertThat(result(cache.getOrLoad("k", slowLoader))).isEqualTo("v1");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> redis.command("EXISTS", "xfetch:k").equals("1"));
        long expiry = 1_000_000 + 1000 + 60_000;

        clock.set(expiry - 694);
        assertThat(result(cache.getOrLoad("k", slowLoader))).isEqualTo("v1");
        assertThat(loads).hasValue(1);

        clock.set(expiry - 692);
        assertThat(result(cache.getOrLoad("k", slowLoader))).isEqualTo("v1"); // the old value, at once
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.stats().earlyRefreshes() == 1);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> "v2".equals(result(cache.getOrLoad("k", CompletableFuture::new))));
        assertThat(loads).hasValue(2);
        assertThat(cache.stats().misses()).isEqualTo(1);
    }

    @Test
    void anAbsentValueIsCachedForTheNegativeTtlOnly() throws Exception {
        RedisCache cache = builder()
                .namespace("neg")
                .ttl(Duration.ofMinutes(1))
                .negativeTtl(Duration.ofSeconds(30))
                .build();
        AtomicInteger loads = new AtomicInteger();
        java.util.function.Supplier<CompletionStage<Optional<String>>> nothing = () -> {
            loads.incrementAndGet();
            return CompletableFuture.completedFuture(Optional.empty());
        };
        assertThat(result(cache.getOrLoadOptional("missing", ValueCodec.string(), nothing)))
                .isEmpty();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> redis.command("EXISTS", "neg:missing").equals("1"));
        assertThat(result(cache.getOrLoadOptional("missing", ValueCodec.string(), nothing)))
                .isEmpty();
        assertThat(loads).hasValue(1);
        assertThat(Long.parseLong(redis.command("PTTL", "neg:missing"))).isBetween(1L, 33_000L);

        RedisCache noNegative =
                builder().namespace("neg2").ttl(Duration.ofMinutes(1)).build();
        assertThat(result(noNegative.getOrLoadOptional("missing", ValueCodec.string(), nothing)))
                .isEmpty();
        assertThat(result(noNegative.getOrLoadOptional("missing", ValueCodec.string(), nothing)))
                .isEmpty();
        assertThat(loads).hasValue(3);
        assertThat(redis.command("EXISTS", "neg2:missing")).isEqualTo("0");
    }

    @Test
    void aValueOverTheSizeLimitFailsTheCallClearlyAndIsNotStored() throws Exception {
        RedisCache cache = builder()
                .namespace("big")
                .ttl(Duration.ofMinutes(1))
                .maxValueBytes(10)
                .build();

        assertThatThrownBy(() -> result(cache.getOrLoad("k", () -> CompletableFuture.completedFuture("0123456789A"))))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the value of key 'k' in cache namespace 'big' is 11 bytes encoded, more than the limit of 10 "
                                + "bytes (maxValueBytes); it was not cached");
        assertThat(redis.command("EXISTS", "big:k")).isEqualTo("0");
        assertThat(result(cache.getOrLoad("k", () -> CompletableFuture.completedFuture("0123456789"))))
                .hasSize(10);
    }

    @Test
    void aLoaderFailureReachesTheCallerAndIsNotCached() throws Exception {
        RedisCache cache =
                builder().namespace("fail").ttl(Duration.ofMinutes(1)).build();

        assertThatThrownBy(() -> result(cache.getOrLoad(
                        "k", () -> CompletableFuture.failedFuture(new IllegalStateException("backend down")))))
                .cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("backend down");
        assertThat(cache.stats().loadFailures()).isEqualTo(1);
        assertThat(result(cache.getOrLoad("k", () -> CompletableFuture.completedFuture("ok"))))
                .isEqualTo("ok");
    }

    @Test
    void invalidateAllRemovesItsNamespaceInBatchesWithoutKeysAndLeavesOthersAlone() throws Exception {
        RedisCache team = builder()
                .namespace("team")
                .ttl(Duration.ofMinutes(1))
                .deadline(Duration.ofSeconds(5))
                .build();
        RedisCache teamX =
                builder().namespace("team-x").ttl(Duration.ofMinutes(1)).build();
        List<CompletableFuture<String>> writes = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            writes.add(team.getOrLoad("k" + i, () -> CompletableFuture.completedFuture("v"))
                    .toCompletableFuture());
        }
        result(CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])));
        result(teamX.getOrLoad("k1", () -> CompletableFuture.completedFuture("other")));
        redis.command("SET", "team", "not a cache key");
        redis.command("SET", "teamk", "not a cache key");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> redis.command("DBSIZE").equals("1203"));
        assertThat(team.stats().failOpens()).isZero();

        assertThat(result(team.invalidateAll())).isEqualTo(1200);

        assertThat(redis.command("DBSIZE")).isEqualTo("3");
        assertThat(redis.command("EXISTS", "team-x:k1", "team", "teamk")).isEqualTo("3");
        assertThat(redis.commandCount("keys")).isZero();
        assertThat(redis.commandCount("scan")).isGreaterThanOrEqualTo(3);
        assertThat(redis.commandCount("unlink")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void invalidateRemovesOneKey() throws Exception {
        RedisCache cache = builder().namespace("one").ttl(Duration.ofMinutes(1)).build();
        result(cache.getOrLoad("a", () -> CompletableFuture.completedFuture("1")));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> redis.command("EXISTS", "one:a").equals("1"));

        result(cache.invalidate("a"));

        assertThat(redis.command("EXISTS", "one:a")).isEqualTo("0");
        assertThat(result(cache.getOrLoad("a", () -> CompletableFuture.completedFuture("2"))))
                .isEqualTo("2");
    }

    @Test
    void aLoadUnderWayWhenTheKeyIsInvalidatedDoesNotWriteItsOlderValueBack() throws Exception {
        RedisCache cache =
                builder().namespace("race").ttl(Duration.ofMinutes(1)).build();
        CompletableFuture<String> gate = new CompletableFuture<>();
        CompletionStage<String> loading = cache.getOrLoad("a", () -> gate);
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.stats().loads() == 1);

        result(cache.invalidate("a"));
        gate.complete("old");

        assertThat(result(loading)).isEqualTo("old");
        assertThat(result(cache.getOrLoad("a", () -> CompletableFuture.completedFuture("new"))))
                .isEqualTo("new");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> redis.command("EXISTS", "race:a").equals("1"));
        assertThat(cache.stats().loads()).isEqualTo(2);
    }

    @Test
    void badSettingsAreRefusedWithWhatIsAccepted() {
        assertThatThrownBy(() -> builder().namespace("team:x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namespace 'team:x' is invalid: use 1-64 characters of A-Z a-z 0-9 . _ -");
        assertThatThrownBy(() -> builder().namespace("t*").ttl(Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().namespace("t").build())
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("ttl must be set");
        assertThatThrownBy(() -> RedisCache.builder(manager).jitter(0.6))
                .hasMessage("jitter must be between 0 and 0.5, not 0.6");
    }
}
