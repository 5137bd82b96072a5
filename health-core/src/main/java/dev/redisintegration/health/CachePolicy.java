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
 * <p>Build one with {@link #of(Duration, Duration)} or take {@link #none()}; the default policy is the one of
 * {@link CheckOptions#defaults()} (5 minutes for UP, 1 minute for anything else).
 *
 * @param successTtl how long an UP result is reused; not negative.
 * @param failureTtl how long any other result is reused; not negative.
 * @since 0.1
 */
public record CachePolicy(Duration successTtl, Duration failureTtl) {

    private static final CachePolicy NONE = new CachePolicy(Duration.ZERO, Duration.ZERO);

    /**
     * Validates the TTLs; prefer {@link #of(Duration, Duration)}.
     *
     * @param successTtl see {@link #successTtl()}.
     * @param failureTtl see {@link #failureTtl()}.
     * @throws NullPointerException if a TTL is {@code null}.
     * @throws IllegalArgumentException if a TTL is negative.
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
     * @throws NullPointerException if a TTL is {@code null}.
     * @throws IllegalArgumentException if a TTL is negative.
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
     * @param status the status of the result.
     * @return {@link #successTtl()} for UP, otherwise {@link #failureTtl()}.
     * @throws NullPointerException if {@code status} is {@code null}.
     */
    public Duration ttlFor(HealthStatus status) {
        return Objects.requireNonNull(status, "status must not be null") == HealthStatus.UP ? successTtl : failureTtl;
    }

    private static void requireNotNegative(String name, Duration ttl) {
        Objects.requireNonNull(ttl, () -> name + " must not be null (use Duration.ZERO to disable caching)");
        if (ttl.isNegative()) {
            throw new IllegalArgumentException(
                    name + " must not be negative, was " + ttl + " (use Duration.ZERO to disable caching)");
        }
    }
}
