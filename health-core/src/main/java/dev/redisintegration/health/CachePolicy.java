package dev.redisintegration.health;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a check's outcome is reused before the check runs again, chosen by the outcome: an {@link HealthStatus#UP}
 * result lives for {@link #successTtl()}, anything else (UNKNOWN, DOWN, including timeouts and errors) for
 * {@link #failureTtl()}. A TTL of zero disables caching of that outcome.
 *
 * <p>The age of an entry counts from the moment its execution finished. An entry is served while its age is strictly
 * below the TTL; at the TTL the check runs again.
 *
 * @param successTtl how long an UP result is reused; not negative.
 * @param failureTtl how long any other result is reused; not negative.
 * @since 0.1
 */
public record CachePolicy(Duration successTtl, Duration failureTtl) {

    /** Default TTL of an UP result: 5 minutes. */
    public static final Duration DEFAULT_SUCCESS_TTL = Duration.ofMinutes(5);
    /** Default TTL of a non-UP result: 1 minute, so a recovery shows up sooner than a failure is forgotten. */
    public static final Duration DEFAULT_FAILURE_TTL = Duration.ofMinutes(1);
    /** The default policy: {@link #DEFAULT_SUCCESS_TTL} and {@link #DEFAULT_FAILURE_TTL}. */
    public static final CachePolicy DEFAULT = new CachePolicy(DEFAULT_SUCCESS_TTL, DEFAULT_FAILURE_TTL);

    private static final CachePolicy NONE = new CachePolicy(Duration.ZERO, Duration.ZERO);

    /**
     * Validates the TTLs.
     *
     * @param successTtl see {@link #successTtl()}.
     * @param failureTtl see {@link #failureTtl()}.
     * @throws IllegalArgumentException if a TTL is {@code null} or negative.
     */
    public CachePolicy {
        requireNotNegative("successTtl", successTtl);
        requireNotNegative("failureTtl", failureTtl);
    }

    /**
     * A policy with the given TTLs.
     *
     * @param successTtl how long an UP result is reused; not negative, zero disables.
     * @param failureTtl how long any other result is reused; not negative, zero disables.
     * @return the policy.
     */
    public static CachePolicy of(Duration successTtl, Duration failureTtl) {
        return new CachePolicy(successTtl, failureTtl);
    }

    /**
     * A policy that never caches: every request runs the check (concurrent requests still share one execution).
     *
     * @return the policy with both TTLs zero.
     */
    public static CachePolicy none() {
        return NONE;
    }

    /**
     * The TTL for a result with the given status.
     *
     * @param status the status of the result, must not be {@code null}.
     * @return {@link #successTtl()} for UP, otherwise {@link #failureTtl()}.
     */
    public Duration ttlFor(HealthStatus status) {
        return Objects.requireNonNull(status, "status") == HealthStatus.UP ? successTtl : failureTtl;
    }

    private static void requireNotNegative(String name, Duration ttl) {
        if (ttl == null) {
            throw new IllegalArgumentException(name + " must not be null (use Duration.ZERO to disable caching)");
        }
        if (ttl.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + ttl + " (use Duration.ZERO to disable caching)");
        }
    }
}
