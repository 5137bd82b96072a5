package dev.redisintegration.health;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * How a registry runs and weighs one check. Immutable; derive variants with the withers
 * ({@code CheckOptions.defaults().critical(false).groups(HealthGroups.LIVENESS)}) or a {@link #builder()}.
 *
 * @param critical whether the check's status counts towards the report's overall status. A non-critical check is
 *                 reported but never makes the report worse than UP.
 * @param groups the groups the check belongs to (see {@link HealthGroups}); may be empty, in which case the check
 *               appears only in the report of all checks.
 * @param deadline how long an execution may take before it counts as DOWN "timed out after ..."; positive.
 * @param cachePolicy how long outcomes are reused.
 * @since 0.1
 */
public record CheckOptions(boolean critical, Set<String> groups, Duration deadline, CachePolicy cachePolicy) {

    /** Default deadline: 500 ms, so a whole report fits inside Kubernetes' default 1 s probe timeout. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofMillis(500);
    /** Default groups: readiness only. */
    public static final Set<String> DEFAULT_GROUPS = Set.of(HealthGroups.READINESS);

    private static final CheckOptions DEFAULTS = new CheckOptions(true, DEFAULT_GROUPS, DEFAULT_DEADLINE, CachePolicy.DEFAULT);

    /**
     * Validates and copies the components.
     *
     * @param critical see {@link #critical()}.
     * @param groups see {@link #groups()}.
     * @param deadline see {@link #deadline()}.
     * @param cachePolicy see {@link #cachePolicy()}.
     * @throws IllegalArgumentException if a group is blank, the deadline is not positive or a component is {@code null}.
     */
    public CheckOptions {
        groups = copyGroups(groups);
        deadline = requireDeadline(deadline);
        if (cachePolicy == null) {
            throw new IllegalArgumentException("cachePolicy must not be null (use CachePolicy.none() to disable caching)");
        }
    }

    /**
     * The defaults: critical, group {@code readiness}, deadline {@link #DEFAULT_DEADLINE}, {@link CachePolicy#DEFAULT}.
     *
     * @return the default options.
     */
    public static CheckOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from {@link #defaults()}.
     *
     * @return a new builder.
     */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /**
     * A builder starting from these options.
     *
     * @return a new builder.
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Returns whether the check counts towards the overall status; same as {@link #critical()}.
     *
     * @return {@code true} when critical.
     */
    public boolean isCritical() {
        return critical;
    }

    /**
     * Returns a copy with another criticality.
     *
     * @param newCritical whether the check counts towards the overall status.
     * @return a copy.
     */
    public CheckOptions critical(boolean newCritical) {
        return new CheckOptions(newCritical, groups, deadline, cachePolicy);
    }

    /**
     * Returns a copy with other groups (replacing, not adding).
     *
     * @param newGroups the groups, none blank.
     * @return a copy.
     */
    public CheckOptions groups(String... newGroups) {
        return new CheckOptions(critical, new LinkedHashSet<>(Arrays.asList(newGroups)), deadline, cachePolicy);
    }

    /**
     * Returns a copy with another deadline.
     *
     * @param newDeadline the deadline, positive.
     * @return a copy.
     */
    public CheckOptions deadline(Duration newDeadline) {
        return new CheckOptions(critical, groups, newDeadline, cachePolicy);
    }

    /**
     * Returns a copy with another cache policy.
     *
     * @param newCachePolicy the policy, not {@code null}.
     * @return a copy.
     */
    public CheckOptions cachePolicy(CachePolicy newCachePolicy) {
        return new CheckOptions(critical, groups, deadline, newCachePolicy);
    }

    static Duration requireDeadline(Duration deadline) {
        if (deadline == null) {
            throw new IllegalArgumentException("deadline must not be null");
        }
        if (deadline.isZero() || deadline.isNegative()) {
            throw new IllegalArgumentException("deadline must be positive, was " + deadline + " (for example Duration.ofMillis(500))");
        }
        return deadline;
    }

    private static Set<String> copyGroups(Set<String> groups) {
        if (groups == null) {
            throw new IllegalArgumentException("groups must not be null (use an empty set for none)");
        }
        Set<String> copy = new LinkedHashSet<>();
        for (String group : groups) {
            if (group == null || group.isBlank()) {
                throw new IllegalArgumentException("group names must not be blank, was " + groups);
            }
            copy.add(group);
        }
        return Collections.unmodifiableSet(copy);
    }

    /**
     * Mutable builder of {@link CheckOptions}; each setter's default is the one of {@link CheckOptions#defaults()}.
     */
    public static final class Builder {
        private boolean critical;
        private Set<String> groups;
        private Duration deadline;
        private CachePolicy cachePolicy;

        private Builder(CheckOptions from) {
            critical = from.critical;
            groups = from.groups;
            deadline = from.deadline;
            cachePolicy = from.cachePolicy;
        }

        /**
         * Sets whether the check counts towards the overall status. Defaults to {@code true}.
         *
         * @param value criticality.
         * @return this builder.
         */
        public Builder critical(boolean value) {
            critical = value;
            return this;
        }

        /**
         * Sets the groups (replacing). Defaults to {@link CheckOptions#DEFAULT_GROUPS}.
         *
         * @param value the groups, none blank.
         * @return this builder.
         */
        public Builder groups(String... value) {
            groups = new LinkedHashSet<>(Arrays.asList(value));
            return this;
        }

        /**
         * Sets the deadline. Defaults to {@link CheckOptions#DEFAULT_DEADLINE}.
         *
         * @param value the deadline, positive.
         * @return this builder.
         */
        public Builder deadline(Duration value) {
            deadline = value;
            return this;
        }

        /**
         * Sets the cache policy. Defaults to {@link CachePolicy#DEFAULT}.
         *
         * @param value the policy.
         * @return this builder.
         */
        public Builder cachePolicy(CachePolicy value) {
            cachePolicy = value;
            return this;
        }

        /**
         * Builds validated options.
         *
         * @return the options.
         * @throws IllegalArgumentException if a value is invalid.
         */
        public CheckOptions build() {
            return new CheckOptions(critical, groups, deadline, cachePolicy);
        }
    }
}
