package dev.redisintegration.health;

import org.junit.jupiter.api.AfterEach;

/** A registry on fake time (ticker, clock and scheduler the test advances), closed after each test. */
abstract class FakeTimeRegistryTest {
    protected final FakeTime time = new FakeTime();
    protected final HealthRegistry registry = HealthRegistry.builder()
            .ticker(time)
            .clock(time.clock())
            .scheduler(time.scheduler())
            .build();

    @AfterEach
    void closeRegistry() {
        registry.close();
    }
}
