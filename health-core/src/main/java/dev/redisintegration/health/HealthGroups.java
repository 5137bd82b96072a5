package dev.redisintegration.health;

/**
 * Names of the built-in check groups. Any other non-blank string is a valid group name too.
 *
 * <p>Both built-in groups are always known to a {@link HealthRegistry}: {@code report(LIVENESS)} of a registry
 * without liveness checks is an empty UP report (nothing says the process must restart), while a group that is
 * neither built-in nor used by a registered check is rejected as a typo (see {@link HealthRegistry#report(String)}).
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

    private HealthGroups() {}
}
