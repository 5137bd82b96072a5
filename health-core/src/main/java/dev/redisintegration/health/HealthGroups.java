package dev.redisintegration.health;

/**
 * Names of the well-known check groups. Any other non-blank string is a valid group name too.
 *
 * <p>Readiness may depend on external services such as Redis; liveness must not, or an outage of the dependency
 * restarts every pod.
 *
 * @since 0.1
 */
public final class HealthGroups {
    /** Checks that decide whether the instance may receive traffic. The default group of a check. */
    public static final String READINESS = "readiness";
    /** Checks that decide whether the process must be restarted; keep external dependencies out of it. */
    public static final String LIVENESS = "liveness";

    private HealthGroups() {
    }
}
