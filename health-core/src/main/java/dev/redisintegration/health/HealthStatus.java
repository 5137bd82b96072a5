package dev.redisintegration.health;

import java.util.Objects;

/**
 * The status of one check or of a whole report, declared in severity order: the worst status is the one with the
 * highest ordinal, so aggregation is a {@code max}.
 *
 * @since 0.1
 */
public enum HealthStatus {
    /** The dependency answered as expected. */
    UP,
    /** The check could not tell (for example a dependency in a degraded, unknown role). Worse than UP, better than DOWN. */
    UNKNOWN,
    /** The dependency is unusable, the check failed, returned nothing or overran its deadline. */
    DOWN;

    /**
     * Returns the worse of this status and {@code other}.
     *
     * @param other the other status.
     * @return the status with the higher severity.
     * @throws NullPointerException if {@code other} is {@code null}.
     */
    public HealthStatus worst(HealthStatus other) {
        return Objects.requireNonNull(other, "other must not be null").ordinal() > ordinal() ? other : this;
    }
}
