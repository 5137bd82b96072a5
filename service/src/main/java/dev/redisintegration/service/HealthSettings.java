package dev.redisintegration.service;

import io.micronaut.core.annotation.Introspected;

import java.time.Duration;

/**
 * The service's health configuration, bound from {@code health.*} (application.yml, system properties, or
 * environment variables such as {@code HEALTH_CHECK_TIMEOUT}).
 *
 * @param checkTimeout deadline of each check ({@code health.check.timeout}, default 500 ms).
 * @param successTtl how long an UP result is reused ({@code health.cache.success-ttl}, default 5 min).
 * @param failureTtl how long any other result is reused ({@code health.cache.failure-ttl}, default 1 min).
 * @param drainDelay how long readiness reports DOWN while the server still serves, before the graceful stop
 *                   begins ({@code health.shutdown.drain-delay}, default 2 s).
 * @since 0.1
 */
@Introspected
public record HealthSettings(Duration checkTimeout, Duration successTtl, Duration failureTtl, Duration drainDelay) {

    public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofMillis(500);
    public static final Duration DEFAULT_SUCCESS_TTL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_FAILURE_TTL = Duration.ofMinutes(1);
    public static final Duration DEFAULT_DRAIN_DELAY = Duration.ofSeconds(2);

    public HealthSettings {
        requirePositive("health.check.timeout", checkTimeout);
        requireNotNegative("health.cache.success-ttl", successTtl);
        requireNotNegative("health.cache.failure-ttl", failureTtl);
        requireNotNegative("health.shutdown.drain-delay", drainDelay);
    }

    private static void requirePositive(String key, Duration value) {
        requireNotNegative(key, value);
        if (value.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, was 0 (for example 500ms)");
        }
    }

    private static void requireNotNegative(String key, Duration value) {
        if (value == null) {
            throw new IllegalArgumentException(key + " must be set (for example 500ms, 5m)");
        }
        if (value.isNegative()) {
            throw new IllegalArgumentException(key + " must not be negative, was " + value);
        }
    }
}
