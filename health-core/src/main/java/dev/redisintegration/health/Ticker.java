package dev.redisintegration.health;

/**
 * A monotonic source of nanoseconds, in the style of Caffeine's {@code Ticker}: only differences between two reads
 * mean anything. The registry measures latency, cache age and TTL expiry with it, so tests can advance a fake
 * ticker instead of sleeping.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Ticker {

    /**
     * Reads the ticker.
     *
     * @return the current value in nanoseconds, from an arbitrary origin.
     */
    long read();

    /**
     * Returns the ticker backed by {@link System#nanoTime()}.
     *
     * @return the system ticker.
     */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}

/** The singleton behind {@link Ticker#system()}. */
enum SystemTicker implements Ticker {
    INSTANCE;

    @Override
    public long read() {
        return System.nanoTime();
    }
}
