package dev.redisintegration.cache.internal;

import java.time.Duration;
import java.util.Objects;

/** Argument checks the builders share, with messages that name the setting. */
public final class Checks {

    private Checks() {}

    /** {@code duration} if it is at least 1 ms. */
    public static Duration positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name + " must not be null");
        if (duration.toMillis() < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 ms, not " + duration);
        }
        return duration;
    }
}
