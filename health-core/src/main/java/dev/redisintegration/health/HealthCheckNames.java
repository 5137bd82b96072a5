package dev.redisintegration.health;

/** Validation shared by {@link HealthCheck#of} and {@link HealthRegistry#register}. */
final class HealthCheckNames {
    private HealthCheckNames() {
    }

    static String require(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("health check name must not be blank, was " + (name == null ? "null" : "'" + name + "'"));
        }
        return name;
    }
}
