package dev.redisintegration.health;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * How a registry runs and weighs one check. Immutable; start from {@link #defaults()} and derive variants with the
 * {@code withX(..)} methods:
 *
 * <pre>{@code
 * CheckOptions.defaults().withGroups(HealthGroups.LIVENESS).withCachePolicy(CachePolicy.none())
 * }</pre>
 *
 * <p>{@link #defaults()} is the one place where the library's defaults are defined: critical, group
 * {@link HealthGroups#READINESS}, deadline 500 ms (so a whole report fits inside Kubernetes' default 1 s probe timeout),
 * and a {@link CachePolicy} of 5 minutes for UP and 1 minute for anything else (a recovery shows up sooner than a
 * failure is forgotten).
 *
 * @param critical whether the check's status counts towards the report's overall status. A non-critical check is
 *                 reported but never makes the report worse than UP.
 * @param groups the groups the check belongs to (see {@link HealthGroups}), immutable, in the order given; may be
 *               empty, in which case the check appears only in {@link HealthRegistry#report()}.
 * @param deadline how long an execution may take before it counts as DOWN "timed out after ..."; positive.
 * @param cachePolicy how long outcomes are reused.
 * @since 0.1
 */
public record CheckOptions(boolean critical, Set<String> groups, Duration deadline, CachePolicy cachePolicy) {

    private static final CheckOptions DEFAULTS = new CheckOptions(
            true,
            Set.of(HealthGroups.READINESS),
            Duration.ofMillis(500),
            CachePolicy.of(Duration.ofMinutes(5), Duration.ofMinutes(1)));

    /**
     * Validates and copies the components; prefer {@link #defaults()} and the {@code withX(..)} methods.
     *
     * @param critical see {@link #critical()}.
     * @param groups see {@link #groups()}.
     * @param deadline see {@link #deadline()}.
     * @param cachePolicy see {@link #cachePolicy()}.
     * @throws NullPointerException if a component or a group is {@code null}.
     * @throws IllegalArgumentException if a group is blank or the deadline is not positive.
     */
    public CheckOptions {
        groups = copyGroups(groups);
        Objects.requireNonNull(deadline, "deadline must not be null");
        if (deadline.isZero() || deadline.isNegative()) {
            throw new IllegalArgumentException(
                    "deadline must be positive, was " + deadline + " (for example Duration.ofMillis(500))");
        }
        Objects.requireNonNull(cachePolicy, "cachePolicy must not be null (use CachePolicy.none() to disable caching)");
    }

    /**
     * The defaults: critical, group {@link HealthGroups#READINESS}, deadline 500 ms, cache UP results for 5 minutes
     * and any other result for 1 minute.
     *
     * @return the default options.
     */
    public static CheckOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a copy with another criticality.
     *
     * @param critical whether the check counts towards the overall status.
     * @return a copy.
     */
    public CheckOptions withCritical(boolean critical) {
        return new CheckOptions(critical, groups, deadline, cachePolicy);
    }

    /**
     * Returns a copy with other groups (replacing, not adding). No argument means no group.
     *
     * @param groups the groups, none blank; duplicates count once.
     * @return a copy.
     * @throws NullPointerException if {@code groups} or one of its elements is {@code null}.
     * @throws IllegalArgumentException if a group is blank.
     */
    public CheckOptions withGroups(String... groups) {
        Objects.requireNonNull(groups, "groups must not be null");
        Set<String> copy = new LinkedHashSet<>();
        for (String group : groups) {
            copy.add(Objects.requireNonNull(group, "groups must not contain null"));
        }
        return new CheckOptions(critical, copy, deadline, cachePolicy);
    }

    /**
     * Returns a copy with another deadline.
     *
     * @param deadline the deadline, positive.
     * @return a copy.
     * @throws NullPointerException if {@code deadline} is {@code null}.
     * @throws IllegalArgumentException if {@code deadline} is not positive.
     */
    public CheckOptions withDeadline(Duration deadline) {
        return new CheckOptions(critical, groups, deadline, cachePolicy);
    }

    /**
     * Returns a copy with another cache policy.
     *
     * @param cachePolicy the policy; {@link CachePolicy#none()} disables caching.
     * @return a copy.
     * @throws NullPointerException if {@code cachePolicy} is {@code null}.
     */
    public CheckOptions withCachePolicy(CachePolicy cachePolicy) {
        return new CheckOptions(critical, groups, deadline, cachePolicy);
    }

    private static Set<String> copyGroups(Set<String> groups) {
        Objects.requireNonNull(groups, "groups must not be null (use an empty set for none)");
        Set<String> copy = new LinkedHashSet<>();
        for (String group : groups) {
            Objects.requireNonNull(group, "groups must not contain null");
            if (group.isBlank()) {
                throw new IllegalArgumentException("group names must not be blank, was '" + group + "' in " + groups);
            }
            copy.add(group);
        }
        return Collections.unmodifiableSet(copy);
    }
}
