package dev.redisintegration.health.internal;

import dev.redisintegration.health.CheckOptions;
import dev.redisintegration.health.CheckReport;
import dev.redisintegration.health.HealthCheck;
import dev.redisintegration.health.HealthObserver;
import dev.redisintegration.health.HealthResult;
import dev.redisintegration.health.HealthStatus;
import dev.redisintegration.health.StatusTransition;
import dev.redisintegration.health.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

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
 *   <li>Every execution, cache hit and status change is told to the {@link HealthObserver}, outside the lock. The
 *       status follows the most recently started execution that has finished: a late answer of an older execution
 *       (one detached by an invalidation, say) never overrides a newer one's, so it cannot reorder history.</li>
 * </ul>
 *
 * <p>Not API; public only so that {@code HealthRegistry} can use it.
 */
public final class CachedCheck {
    private final String name;
    private final CheckOptions options;
    private final CheckRunner runner;
    private final Ticker ticker;
    private final Clock clock;
    private final HealthObserver observer;

    private final Object lock = new Object();
    // Everything below is guarded by lock.
    private long generation;
    private @Nullable Stored stored;
    private @Nullable Flight current;
    private final Set<Flight> running = new HashSet<>();
    private boolean closed;
    // Executions are numbered as they start; the status comes from the newest one that finished (null before the
    // first), with the ticker reading when it began.
    private long flights;
    private long statusFlight;
    private @Nullable HealthStatus status;
    private long statusSinceNanos;

    /**
     * Creates the entry of one registered check.
     *
     * @param name the check's validated name (read once: a custom check's {@code name()} need not be stable).
     * @param check the check.
     * @param options validated options.
     * @param scheduler where deadline timers run.
     * @param ticker measures latency, age and TTLs.
     * @param clock stamps {@code checkedAt}.
     * @param observer told about executions, cache hits and status changes.
     */
    public CachedCheck(
            String name,
            HealthCheck check,
            CheckOptions options,
            ScheduledExecutorService scheduler,
            Ticker ticker,
            Clock clock,
            HealthObserver observer) {
        this.name = name;
        this.options = options;
        this.runner = new CheckRunner(check, options.deadline(), scheduler, ticker, clock);
        this.ticker = ticker;
        this.clock = clock;
        this.observer = observer;
        this.statusSinceNanos = ticker.read();
    }

    /**
     * The check's name.
     *
     * @return the name.
     */
    public String name() {
        return name;
    }

    /**
     * The check's options.
     *
     * @return the options.
     */
    public CheckOptions options() {
        return options;
    }

    /**
     * Serves the cached result or joins / starts an execution.
     *
     * @return a new future per call, never completing exceptionally.
     */
    public CompletableFuture<CheckReport> get() {
        Flight joined = null;
        boolean starter = false;
        CheckReport hit = null;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.completedFuture(report(closedExecution(), false, 0));
            }
            if (stored != null) {
                long age = ticker.read() - stored.storedAtNanos;
                if (age < stored.ttlNanos) {
                    hit = report(stored.execution, true, age);
                } else {
                    stored = null;
                }
            }
            if (hit == null) {
                if (current == null) {
                    current = new Flight(generation, ++flights);
                    running.add(current);
                    starter = true;
                }
                joined = current;
            }
        }
        if (hit != null) {
            CheckReport served = hit;
            // Outside the lock: the observer is someone else's code.
            tellObserver(() -> observer.onCacheHit(name, served.result(), served.age()));
            return CompletableFuture.completedFuture(served);
        }
        if (starter) {
            // Outside the lock: check() is user code and may take its time to return a stage.
            start(joined);
        }
        return joined.result.thenApply(execution -> report(execution, false, 0));
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
        Execution closedExecution = closedExecution();
        toAnswer.forEach(flight -> flight.result.complete(closedExecution));
    }

    private void start(Flight flight) {
        CompletableFuture<Execution> execution;
        try {
            execution = runner.run();
        } catch (Throwable error) {
            // Only a fatal error gets here (the runner turns the check's failures into values); still answer the
            // waiting callers rather than leave them hanging.
            finish(flight, new Execution(HealthResult.down(Reasons.failed(error)), Duration.ZERO, clock.instant()));
            throw error;
        }
        execution.thenAccept(done -> finish(flight, done));
    }

    private void finish(Flight flight, Execution execution) {
        StatusTransition transition = null;
        synchronized (lock) {
            running.remove(flight);
            if (current == flight) {
                current = null;
            }
            long ttlNanos = CheckRunner.saturatedNanos(
                    options.cachePolicy().ttlFor(execution.result().status()));
            if (flight.generation == generation && !closed && ttlNanos > 0) {
                stored = new Stored(execution, ticker.read(), ttlNanos);
            }
            if (!closed && flight.number > statusFlight) {
                statusFlight = flight.number;
                transition = changeStatus(execution);
            }
        }
        // Outside the lock, and before the waiting callers get the answer (see HealthObserver, "Ordering").
        tellObserver(() -> observer.onExecution(name, execution.result(), execution.latency()));
        if (transition != null) {
            StatusTransition change = transition;
            tellObserver(() -> observer.onTransition(change));
        }
        // Outside the lock: completing runs the joiners' continuations.
        flight.result.complete(execution);
    }

    /** Records the execution's status; returns the transition if it changed. Called under the lock. */
    private @Nullable StatusTransition changeStatus(Execution execution) {
        HealthStatus next = execution.result().status();
        if (next == status) {
            return null;
        }
        long now = ticker.read();
        StatusTransition transition = new StatusTransition(
                name,
                status,
                next,
                execution.checkedAt(),
                execution.result().reason(),
                Duration.ofNanos(Math.max(0, now - statusSinceNanos)));
        status = next;
        statusSinceNanos = now;
        return transition;
    }

    // An observer that throws must not leave the callers of this check without an answer.
    private static void tellObserver(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException ignored) {
            // Deliberately dropped: health-core has no log, and a report must not depend on an observer.
        }
    }

    private Execution closedExecution() {
        return new Execution(HealthResult.down(Reasons.REGISTRY_CLOSED), Duration.ZERO, clock.instant());
    }

    private CheckReport report(Execution execution, boolean cached, long ageNanos) {
        return new CheckReport(
                name,
                execution.result(),
                options.critical(),
                execution.latency(),
                execution.checkedAt(),
                cached,
                Duration.ofNanos(Math.max(0, ageNanos)));
    }

    private record Stored(Execution execution, long storedAtNanos, long ttlNanos) {}

    private static final class Flight {
        final long generation;
        final long number;
        final CompletableFuture<Execution> result = new CompletableFuture<>();

        Flight(long generation, long number) {
            this.generation = generation;
            this.number = number;
        }
    }
}
