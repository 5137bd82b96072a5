package dev.redisintegration.service;

import dev.redisintegration.health.Ticker;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker the test advances, so cache expiry needs no sleep. Active with {@code test.fake-ticker=true}. */
@Singleton
@Replaces(Ticker.class)
@Requires(property = FakeTicker.PROPERTY, value = "true")
public class FakeTicker implements Ticker {

    static final String PROPERTY = "test.fake-ticker";

    private final AtomicLong nanos = new AtomicLong(System.nanoTime());

    @Override
    public long read() {
        return nanos.get();
    }

    /** Moves time forward, e.g. past the success TTL so the next request probes Redis again. */
    public void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }
}
