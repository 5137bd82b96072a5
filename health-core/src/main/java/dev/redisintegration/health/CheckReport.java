package dev.redisintegration.health;

import java.time.Duration;
import java.util.Objects;

/**
 * One check's entry in a {@link HealthReport}.
 *
 * @param name the check's name.
 * @param result the result served, fresh or from the cache.
 * @param critical whether the check counts towards the overall status.
 * @param cached whether the result was served from the cache rather than from an execution this request waited for.
 * @param age how long ago the served result's execution finished (zero when not cached).
 * @since 0.1
 */
public record CheckReport(String name, HealthResult result, boolean critical, boolean cached, Duration age) {

    /**
     * Validates the components.
     *
     * @param name see {@link #name()}.
     * @param result see {@link #result()}.
     * @param critical see {@link #critical()}.
     * @param cached see {@link #cached()}.
     * @param age see {@link #age()}.
     * @throws IllegalArgumentException if the age is negative.
     */
    public CheckReport {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(result, "result must not be null");
        Objects.requireNonNull(age, "age must not be null");
        if (age.isNegative()) {
            throw new IllegalArgumentException("age must not be negative, was " + age);
        }
    }

    /**
     * The status of the served result.
     *
     * @return {@code result().status()}.
     */
    public HealthStatus status() {
        return result.status();
    }
}
