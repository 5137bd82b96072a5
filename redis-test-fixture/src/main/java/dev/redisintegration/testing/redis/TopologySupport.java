package dev.redisintegration.testing.redis;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What {@link RedisCluster} and {@link RedisSentinelGroup} share: bounded polling (a condition on live processes, never
 * an open-ended wait), option checks, and start/close of a group of processes.
 */
final class TopologySupport {

    /** Often enough that a test sees a change within a heartbeat, rarely enough not to load two shared cores. */
    static final Duration INTERVAL = Duration.ofMillis(50);

    private TopologySupport() {}

    /**
     * Calls {@code probe} until it returns a value, and returns it.
     *
     * @param what what is awaited, for the failure message, e.g. {@code "cluster_state:ok on every node"}
     * @param probe empty while not there yet; an {@link UncheckedIOException} or {@link IllegalStateException} (a node
     *     that does not answer, an error reply) also means "not yet" and is reported if time runs out
     * @param state describes the current state for the failure message (called once, on timeout)
     * @throws IllegalStateException when {@code timeout} passes first
     */
    static <T> T until(Duration timeout, String what, Supplier<Optional<T>> probe, Supplier<String> state) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                Optional<T> result = probe.get();
                if (result.isPresent()) {
                    return result.get();
                }
            } catch (UncheckedIOException | IllegalStateException e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                String now;
                try {
                    now = state.get();
                } catch (RuntimeException e) {
                    now = "(state unknown: " + e.getMessage() + ")";
                }
                throw new IllegalStateException(
                        "Not reached within " + timeout.toMillis() + " ms: " + what + ". Now: " + now
                                + (last == null ? "" : " (last error: " + last.getMessage() + ")"),
                        last);
            }
            RedisServer.sleep(INTERVAL);
        }
    }

    /** Rejects a missing, zero or negative duration with a message naming it. */
    static Duration positive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
        return duration;
    }

    /** Rejects an empty password (null means none) with a message naming the option, never the value. */
    static String password(String password, String name) {
        if (password != null && password.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty; pass null for none");
        }
        return password;
    }

    /** The time left until {@code deadline} ({@link System#nanoTime()}), at least 1 ms. */
    static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }

    /** Runs {@code launch}; when it fails, closes {@code fixture} (killing what was started) and rethrows. */
    static <T extends AutoCloseable> T startOrClose(T fixture, Runnable launch) {
        try {
            launch.run();
            return fixture;
        } catch (RuntimeException e) {
            try {
                fixture.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Closes every server, in order, even when one fails; rethrows the first failure. */
    static void closeAll(List<RedisServer> servers) {
        RuntimeException failure = null;
        for (RedisServer server : servers) {
            try {
                server.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
