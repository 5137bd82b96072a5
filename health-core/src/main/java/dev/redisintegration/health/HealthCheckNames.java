package dev.redisintegration.health;

import org.jspecify.annotations.Nullable;

/** Validation shared by {@link HealthCheck#of} and {@link HealthRegistry#register}. */
final class HealthCheckNames {
    private HealthCheckNames() {}

    /** A blank name, or a custom check whose {@code name()} broke its contract and returned null, is a bad value. */
    static String require(@Nullable String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(
                    "health check name must not be blank, was " + (name == null ? "null" : "'" + name + "'"));
        }
        return name;
    }
}
