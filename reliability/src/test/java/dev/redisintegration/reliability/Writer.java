package dev.redisintegration.reliability;

import dev.redisintegration.redis.RedisConnectionManager;
import dev.redisintegration.redis.RedisSettings;
import dev.redisintegration.testing.redis.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A second client of the same endpoint, in the test JVM, on the same library the service runs: every 50 ms it appends
 * the next sequence number to a list ({@code RPUSH}) and records when the write started, when it was acknowledged or
 * failed, and why. A failover shows as a run of failed writes; {@link #lostAfter} tells which acknowledged writes a
 * node does not hold.
 */
final class Writer implements AutoCloseable {

    static final String KEY = "failover:writes";
    static final String CLIENT_NAME = "failover-writer";
    private static final Duration INTERVAL = Duration.ofMillis(50);
    /** Longer than the client's command timeout (2 s): the library, not this bound, decides when a write fails. */
    private static final Duration WRITE_BOUND = Duration.ofSeconds(5);

    /** One write: start and end in {@link System#nanoTime()}, {@code error} null when acknowledged. */
    record Attempt(long seq, long startNanos, long endNanos, String error) {
        boolean ok() {
            return error == null;
        }
    }

    /** The worst stretch of failed writes: from the first failure's start to the next acknowledgement (or now). */
    record Outage(Duration longest, int failures, int longestRun, boolean ongoing, List<String> errorSamples) {
        @Override
        public String toString() {
            return failures + " failed writes, longest run " + longestRun + " writes / " + longest.toMillis() + " ms"
                    + (ongoing ? " (still failing)" : "") + (errorSamples.isEmpty() ? "" : ", e.g. " + errorSamples);
        }
    }

    private final RedisConnectionManager manager;
    private final ScheduledExecutorService executor;
    private final List<Attempt> attempts = new ArrayList<>();
    private long seq;

    private Writer(String endpoint) {
        manager = RedisConnectionManager.create(RedisSettings.builder()
                .endpoint(endpoint)
                .clientName(CLIENT_NAME)
                .build());
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "failover-writer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts writing to {@code endpoint} at once. */
    static Writer start(String endpoint) {
        Writer writer = new Writer(endpoint);
        writer.executor.scheduleWithFixedDelay(writer::writeOnce, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return writer;
    }

    private void writeOnce() {
        long next;
        synchronized (this) {
            next = ++seq;
        }
        long start = System.nanoTime();
        String error = null;
        try {
            manager.getClient()
                    .thenCompose(commands -> commands.rpush(KEY, Long.toString(next)))
                    .toCompletableFuture()
                    .get(WRITE_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            error = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        } catch (TimeoutException e) {
            error = "no answer within " + WRITE_BOUND.toMillis() + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        Attempt attempt = new Attempt(next, start, System.nanoTime(), error);
        synchronized (this) {
            attempts.add(attempt);
        }
    }

    synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** Writes acknowledged after {@code sinceNanos}. */
    long acknowledgedSince(long sinceNanos) {
        return attempts().stream()
                .filter(a -> a.ok() && a.endNanos() > sinceNanos)
                .count();
    }

    /** The worst run of failures among the writes that started after {@code sinceNanos}. */
    Outage outageSince(long sinceNanos) {
        long now = System.nanoTime();
        long longest = 0;
        int failures = 0;
        int run = 0;
        int longestRun = 0;
        long runStart = -1;
        List<String> samples = new ArrayList<>();
        for (Attempt attempt : attempts()) {
            if (attempt.startNanos() < sinceNanos) {
                continue;
            }
            if (attempt.ok()) {
                if (runStart >= 0) {
                    longest = Math.max(longest, attempt.endNanos() - runStart);
                }
                runStart = -1;
                run = 0;
            } else {
                failures++;
                run++;
                longestRun = Math.max(longestRun, run);
                if (runStart < 0) {
                    runStart = attempt.startNanos();
                }
                String kind = attempt.error().length() > 120 ? attempt.error().substring(0, 120) : attempt.error();
                if (samples.size() < 3 && !samples.contains(kind)) {
                    samples.add(kind);
                }
            }
        }
        boolean ongoing = runStart >= 0;
        if (ongoing) {
            longest = Math.max(longest, now - runStart);
        }
        return new Outage(Duration.ofNanos(longest), failures, longestRun, ongoing, samples);
    }

    /**
     * Sequence numbers acknowledged after {@code sinceNanos} that {@code node} does not hold: writes a client was told
     * had succeeded but that the (new) primary never got.
     */
    List<Long> lostAfter(long sinceNanos, RedisServer node) {
        Set<String> held =
                new HashSet<>(List.of(node.command("LRANGE", KEY, "0", "-1").split("\n")));
        return attempts().stream()
                .filter(a -> a.ok() && a.endNanos() > sinceNanos && !held.contains(Long.toString(a.seq())))
                .map(Attempt::seq)
                .toList();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(WRITE_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        manager.close();
    }
}
