package dev.redisintegration.health.internal;

import dev.redisintegration.health.CheckOptions;
import dev.redisintegration.health.CheckReport;
import dev.redisintegration.health.HealthCheck;
import dev.redisintegration.health.HealthResult;
import dev.redisintegration.health.Ticker;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One registered check with its cache entry and its in-flight execution: a small state machine guarded by one lock.
 *
 * <ul>
 *   <li>A stored result is served while its age (from the end of its execution) is below the TTL its outcome selects.</li>
 *   <li>Otherwise the first caller starts an execution (the <em>flight</em>) and every caller until it finishes joins
 *       it: single-flight.</li>
 *   <li>{@link #invalidate()} bumps a generation: the stored result is dropped, the current flight is detached (its
 *       waiting callers still get its answer, new callers start a new execution) and, because it was started under an
 *       older generation, its answer is never stored.</li>
 * </ul>
 *
 * <p>Not API; public only so that {@code HealthRegistry} can use it.
 */
public final class CachedCheck {
    private final String name;
    private final CheckOptions options;
    private final CheckRunner runner;
    private final Ticker ticker;

    private final Object lock = new Object();
    // Everything below is guarded by lock.
    private long generation;
    private Stored stored;
    private Flight current;
    private final Set<Flight> running = new HashSet<>();
    private boolean closed;

    /**
     * @param check the check, must not be {@code null}.
     * @param options validated options.
     * @param scheduler where deadline timers run.
     * @param ticker measures latency, age and TTLs.
     * @param clock stamps {@code checkedAt}.
     */
    public CachedCheck(HealthCheck check, CheckOptions options, ScheduledExecutorService scheduler, Ticker ticker, Clock clock) {
        this.name = check.name();
        this.options = options;
        this.runner = new CheckRunner(check, options.deadline(), scheduler, ticker, clock);
        this.ticker = ticker;
    }

    /** @return the check's name. */
    public String name() {
        return name;
    }

    /** @return the check's options. */
    public CheckOptions options() {
        return options;
    }

    /**
     * Serves the cached result or joins / starts an execution.
     *
     * @return a new future per call, never completing exceptionally.
     */
    public CompletableFuture<CheckReport> get() {
        Flight joined;
        boolean starter = false;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.completedFuture(report(HealthResult.down(Reasons.REGISTRY_CLOSED), false, 0));
            }
            if (stored != null) {
                long age = ticker.read() - stored.storedAtNanos;
                if (age < stored.ttlNanos) {
                    return CompletableFuture.completedFuture(report(stored.result, true, age));
                }
                stored = null;
            }
            if (current == null) {
                current = new Flight(generation);
                running.add(current);
                starter = true;
            }
            joined = current;
        }
        if (starter) {
            // Outside the lock: check() is user code and may take its time to return a stage.
            start(joined);
        }
        return joined.result.thenApply(result -> report(result, false, 0));
    }

    /** Drops the stored result and detaches the in-flight execution so its answer is not stored. */
    public void invalidate() {
        synchronized (lock) {
            generation++;
            stored = null;
            current = null;
        }
    }

    /** Answers every running execution with DOWN "health registry closed" and refuses new ones. */
    public void close() {
        List<Flight> toAnswer;
        synchronized (lock) {
            closed = true;
            generation++;
            stored = null;
            current = null;
            toAnswer = new ArrayList<>(running);
            running.clear();
        }
        HealthResult closedResult = HealthResult.down(Reasons.REGISTRY_CLOSED);
        toAnswer.forEach(flight -> flight.result.complete(closedResult));
    }

    private void start(Flight flight) {
        CompletableFuture<HealthResult> execution;
        try {
            execution = runner.run();
        } catch (Throwable error) {
            // Only a fatal error gets here (the runner turns the check's failures into values); still answer the
            // waiting callers rather than leave them hanging.
            finish(flight, HealthResult.down(Reasons.failed(error)));
            throw error;
        }
        execution.thenAccept(result -> finish(flight, result));
    }

    private void finish(Flight flight, HealthResult result) {
        synchronized (lock) {
            running.remove(flight);
            if (current == flight) {
                current = null;
            }
            long ttlNanos = CheckRunner.saturatedNanos(options.cachePolicy().ttlFor(result.status()));
            if (flight.generation == generation && !closed && ttlNanos > 0) {
                stored = new Stored(result, ticker.read(), ttlNanos);
            }
        }
        // Outside the lock: completing runs the joiners' continuations.
        flight.result.complete(result);
    }

    private CheckReport report(HealthResult result, boolean cached, long ageNanos) {
        return new CheckReport(name, result, options.critical(), cached, Duration.ofNanos(Math.max(0, ageNanos)));
    }

    private record Stored(HealthResult result, long storedAtNanos, long ttlNanos) {
    }

    private static final class Flight {
        final long generation;
        final CompletableFuture<HealthResult> result = new CompletableFuture<>();

        Flight(long generation) {
            this.generation = generation;
        }
    }
}
