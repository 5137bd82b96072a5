package dev.redisintegration.cache;

import dev.redisintegration.redis.RedisConnectionManager;
import dev.redisintegration.redis.RedisSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** What the cache ITs share: bounded waits, managers, and a clock the test moves. */
final class CacheItSupport {

    private CacheItSupport() {}

    /** The stage's value, waiting at most 10 s (a test that hangs fails instead). */
    static <T> T result(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /**
     * A manager on {@code endpoint}, connected (so a test's timing does not include Lettuce's first connect, which on a
     * loaded machine may exceed the default 2 s connect timeout).
     */
    static RedisConnectionManager connected(String endpoint) throws Exception {
        RedisConnectionManager manager = RedisConnectionManager.create(RedisSettings.builder()
                .endpoint(endpoint)
                .connectTimeout(Duration.ofSeconds(10))
                .build());
        manager.getClient().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return manager;
    }

    /** A clock that stands still until the test moves it. */
    static final class TestClock extends Clock {
        private final AtomicLong millis;

        TestClock(long millis) {
            this.millis = new AtomicLong(millis);
        }

        void advance(long by) {
            millis.addAndGet(by);
        }

        void set(long to) {
            millis.set(to);
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
