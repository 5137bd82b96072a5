package dev.redisintegration.redis;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A change of the manager's shared connection, delivered to {@link ConnectionStateListener}s.
 *
 * @param state what happened, never {@code null}.
 * @param at when it was observed, never {@code null}.
 * @param detail a short, secret-free explanation (e.g. {@code "attempt 3: connection refused"}), or {@code null}.
 * @since 0.1
 */
public record ConnectionStateEvent(
        ConnectionState state, Instant at, @Nullable String detail) {

    /**
     * Validates the components.
     *
     * @param state see {@link #state()}.
     * @param at see {@link #at()}.
     * @param detail see {@link #detail()}.
     */
    public ConnectionStateEvent {
        Objects.requireNonNull(state, "state must not be null");
        Objects.requireNonNull(at, "at must not be null");
    }
}
