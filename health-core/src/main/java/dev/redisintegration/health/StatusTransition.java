package dev.redisintegration.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A change of one check's status, reported to {@link HealthObserver#onTransition(StatusTransition)}. Built by the
 * registry.
 *
 * @param check the check's name.
 * @param from the status before; {@code null} for the check's first result.
 * @param to the status now.
 * @param at when the execution that made the change finished, from the registry's {@link java.time.Clock}.
 * @param reason the new result's reason; {@code null} when it has none (UP).
 * @param previousDuration how long the previous status lasted, measured by the registry's {@link Ticker}; for the
 *                         first result, how long the check had been registered. Not negative.
 * @since 0.2
 */
public record StatusTransition(
        String check,
        @Nullable HealthStatus from,
        HealthStatus to,
        Instant at,
        @Nullable String reason,
        Duration previousDuration) {

    /**
     * Validates the components.
     *
     * @param check see {@link #check()}.
     * @param from see {@link #from()}.
     * @param to see {@link #to()}.
     * @param at see {@link #at()}.
     * @param reason see {@link #reason()}.
     * @param previousDuration see {@link #previousDuration()}.
     * @throws NullPointerException if a component other than {@code from} or {@code reason} is {@code null}.
     * @throws IllegalArgumentException if {@code from} equals {@code to}, or {@code previousDuration} is negative.
     */
    public StatusTransition {
        Objects.requireNonNull(check, "check must not be null");
        Objects.requireNonNull(to, "to must not be null");
        Objects.requireNonNull(at, "at must not be null");
        Objects.requireNonNull(previousDuration, "previousDuration must not be null");
        if (from == to) {
            throw new IllegalArgumentException("a transition changes the status, but from and to are both " + to);
        }
        if (previousDuration.isNegative()) {
            throw new IllegalArgumentException("previousDuration must not be negative, was " + previousDuration);
        }
    }
}
