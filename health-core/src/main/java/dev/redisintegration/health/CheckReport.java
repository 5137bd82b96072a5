package dev.redisintegration.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One check's entry in a {@link HealthReport}: the {@link HealthResult} the check produced plus what the registry
 * measured around it. Built by the registry; a cached entry keeps the latency and check time of the execution that
 * produced it.
 *
 * @param name the check's name.
 * @param result the result served, fresh or from the cache, as the check built it.
 * @param critical whether the check counts towards the overall status.
 * @param latency how long the execution that produced the result took, measured by the registry's {@link Ticker}
 *                (for a timeout: the deadline); not negative.
 * @param checkedAt when that execution finished, from the registry's {@link java.time.Clock}.
 * @param cached whether the result was served from the cache rather than from an execution this request waited for.
 * @param age how long ago the served result's execution finished (zero when not cached); not negative.
 * @since 0.1
 */
public record CheckReport(
        String name,
        HealthResult result,
        boolean critical,
        Duration latency,
        Instant checkedAt,
        boolean cached,
        Duration age) {

    /**
     * Validates the components.
     *
     * @param name see {@link #name()}.
     * @param result see {@link #result()}.
     * @param critical see {@link #critical()}.
     * @param latency see {@link #latency()}.
     * @param checkedAt see {@link #checkedAt()}.
     * @param cached see {@link #cached()}.
     * @param age see {@link #age()}.
     * @throws NullPointerException if a component is {@code null}.
     * @throws IllegalArgumentException if the latency or the age is negative.
     */
    public CheckReport {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(result, "result must not be null");
        requireNotNegative("latency", latency);
        Objects.requireNonNull(checkedAt, "checkedAt must not be null");
        requireNotNegative("age", age);
    }

    /**
     * The status of the served result.
     *
     * @return {@code result().status()}.
     */
    public HealthStatus status() {
        return result.status();
    }

    private static void requireNotNegative(String name, Duration value) {
        Objects.requireNonNull(value, () -> name + " must not be null");
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }
}
