package dev.redisintegration.health;

import dev.redisintegration.health.internal.CachedCheck;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Runs registered {@link HealthCheck}s and aggregates their results into {@link HealthReport}s.
 *
 * <ul>
 *   <li><b>Deadlines.</b> Every execution runs under its check's deadline ({@link CheckOptions#deadline()}). An overrun
 *       is not an exception but a value: the entry is DOWN "timed out after 500 ms". A check that throws, completes
 *       exceptionally or returns {@code null} is DOWN with a short reason too. So the stage of {@link #report()} never
 *       completes exceptionally, and completes, at the latest, when the longest deadline of the checks it waits for
 *       has passed.</li>
 *   <li><b>Aggregation.</b> Checks run concurrently; the overall status is the worst among the critical checks, so a
 *       non-critical check is reported but never fails the report.</li>
 *   <li><b>Caching by outcome.</b> Each check's result is reused for its {@link CachePolicy}'s success or failure TTL
 *       and served with its age. A cached DOWN is an answer, not an error.</li>
 *   <li><b>Single-flight.</b> When a result is missing or expired, all concurrent requests share one execution.</li>
 *   <li><b>Invalidation.</b> {@link #invalidate(String)} forces the next request to run the check again; an execution
 *       that was already running when it was called is not stored.</li>
 *   <li><b>Groups.</b> {@link #report(String)} reports one group; a group nobody registered is rejected, so a typo in a
 *       probe's group cannot read as an always-UP report.</li>
 *   <li><b>Observation.</b> A {@link HealthObserver} given to the builder is told about every execution, cache hit and
 *       status change, for metrics and history, without ever running a check itself.</li>
 * </ul>
 *
 * <p>Time comes from an injected {@link Ticker} (latency, age, TTL) and {@link Clock} (timestamps). Deadline timers run
 * on the caller's {@link ScheduledExecutorService} or, if none is given, on one daemon thread the registry creates and
 * shuts down in {@link #close()}. {@link HealthCheck#check()} is called on the requesting thread; continuations of a
 * report may run on the scheduler thread, so keep them short or use the {@code *Async} variants.
 *
 * <pre>{@code
 * HealthRegistry registry = HealthRegistry.builder().build();
 * registry.register(HealthCheck.of("redis", () -> redis.ping().thenApply(ok -> ok ? HealthResult.up() : HealthResult.down("no PONG"))),
 *                   CheckOptions.defaults());
 * registry.report(HealthGroups.READINESS).thenAccept(report -> System.out.println(report.status()));
 * }</pre>
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class HealthRegistry implements AutoCloseable {

    private static final String THREAD_NAME = "health-registry-deadlines";
    private static final Set<String> BUILT_IN_GROUPS = Set.of(HealthGroups.READINESS, HealthGroups.LIVENESS);
    private static final HealthObserver NO_OBSERVER = new HealthObserver() {};

    private final Ticker ticker;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final CheckOptions defaultOptions;
    private final HealthObserver observer;
    // Sorted by name, so reports iterate in name order without sorting per request.
    private final ConcurrentSkipListMap<String, CachedCheck> checks = new ConcurrentSkipListMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private HealthRegistry(Builder builder) {
        this.ticker = builder.ticker;
        this.clock = builder.clock;
        this.defaultOptions = builder.defaultOptions;
        this.observer = builder.observer;
        if (builder.scheduler != null) {
            this.scheduler = builder.scheduler;
            this.ownsScheduler = false;
        } else {
            this.scheduler = newOwnedScheduler();
            this.ownsScheduler = true;
        }
    }

    /**
     * A builder with the system ticker, the system UTC clock, an owned scheduler and {@link CheckOptions#defaults()}
     * for checks registered without options.
     *
     * @return a new builder.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Registers a check with options.
     *
     * @param check the check; its name must be non-blank and unique in this registry.
     * @param options how to run and weigh it.
     * @return this registry, for chaining.
     * @throws NullPointerException if an argument is {@code null}.
     * @throws IllegalArgumentException if the check's name is blank (or {@code null}) or already registered.
     * @throws IllegalStateException if the registry is closed.
     */
    public HealthRegistry register(HealthCheck check, CheckOptions options) {
        Objects.requireNonNull(check, "check must not be null");
        Objects.requireNonNull(options, "options must not be null");
        String name = HealthCheckNames.require(check.name());
        ensureOpen();
        CachedCheck entry = new CachedCheck(name, check, options, scheduler, ticker, clock, observer);
        if (checks.putIfAbsent(name, entry) != null) {
            throw new IllegalArgumentException("a health check named '" + name + "' is already registered");
        }
        return this;
    }

    /**
     * Registers a check with this registry's default options ({@link Builder#defaultOptions(CheckOptions)}, else
     * {@link CheckOptions#defaults()}).
     *
     * @param check the check; its name must be non-blank and unique in this registry.
     * @return this registry, for chaining.
     * @throws NullPointerException if {@code check} is {@code null}.
     * @throws IllegalArgumentException if the check's name is blank (or {@code null}) or already registered.
     * @throws IllegalStateException if the registry is closed.
     */
    public HealthRegistry register(HealthCheck check) {
        return register(check, defaultOptions);
    }

    /**
     * Reports on all registered checks.
     *
     * @return a stage that never completes exceptionally.
     * @throws IllegalStateException if the registry is closed.
     */
    public CompletionStage<HealthReport> report() {
        ensureOpen();
        return aggregate(new ArrayList<>(checks.values()));
    }

    /**
     * Reports on the checks of one group.
     *
     * <p>A group is <em>known</em> when a registered check belongs to it, or when it is one of the built-in groups
     * {@link HealthGroups#READINESS} and {@link HealthGroups#LIVENESS}. A known group without checks (a built-in one
     * nobody registered for) gives an empty UP report. Any other group is rejected: a typo such as
     * {@code "readness"} would otherwise give a readiness probe that can never fail.
     *
     * @param group the group, for example {@link HealthGroups#READINESS}.
     * @return a stage that never completes exceptionally.
     * @throws NullPointerException if {@code group} is {@code null}.
     * @throws IllegalArgumentException if the group is not known; the message names it and lists the known groups.
     * @throws IllegalStateException if the registry is closed.
     */
    public CompletionStage<HealthReport> report(String group) {
        Objects.requireNonNull(group, "group must not be null");
        ensureOpen();
        List<CachedCheck> selected = new ArrayList<>();
        for (CachedCheck check : checks.values()) {
            if (check.options().groups().contains(group)) {
                selected.add(check);
            }
        }
        if (selected.isEmpty() && !BUILT_IN_GROUPS.contains(group)) {
            throw new IllegalArgumentException("unknown health group '" + group + "'; known groups: " + knownGroups());
        }
        return aggregate(selected);
    }

    /**
     * Forgets the cached result of one check, so the next request runs it again. An execution already running is
     * not stored when it finishes (its result may predate the event that caused the invalidation); requests made
     * after this call do not wait for it but start a new execution.
     *
     * @param checkName the name of a registered check.
     * @throws NullPointerException if {@code checkName} is {@code null}.
     * @throws IllegalArgumentException if no check has that name (a typo would otherwise keep a stale cache silently);
     *                                  the message lists the registered names.
     */
    public void invalidate(String checkName) {
        Objects.requireNonNull(checkName, "checkName must not be null");
        CachedCheck check = checks.get(checkName);
        if (check == null) {
            throw new IllegalArgumentException(
                    "no health check named '" + checkName + "' is registered; known: " + checks.keySet());
        }
        check.invalidate();
    }

    /** Forgets the cached results of all checks, with the same semantics as {@link #invalidate(String)}. */
    public void invalidateAll() {
        checks.values().forEach(CachedCheck::invalidate);
    }

    /**
     * Closes the registry: running executions are answered DOWN "health registry closed", the owned scheduler (if
     * any) is shut down; a caller-supplied scheduler is left alone. Idempotent. Later {@code report} or
     * {@code register} calls throw {@link IllegalStateException}.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        checks.values().forEach(CachedCheck::close);
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
    }

    /** For tests: the scheduler deadline timers run on. */
    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    private Set<String> knownGroups() {
        Set<String> known = new TreeSet<>(BUILT_IN_GROUPS);
        checks.values().forEach(check -> known.addAll(check.options().groups()));
        return known;
    }

    private CompletionStage<HealthReport> aggregate(List<CachedCheck> selected) {
        if (selected.isEmpty()) {
            return CompletableFuture.completedFuture(HealthReport.of(Map.of(), clock.instant()));
        }
        List<CompletableFuture<CheckReport>> pending = new ArrayList<>(selected.size());
        for (CachedCheck check : selected) {
            pending.add(check.get());
        }
        // Every per-check future completes normally (failures are DOWN values), so join() below never throws.
        return CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]))
                .thenApply(ignored -> {
                    Map<String, CheckReport> byName = new LinkedHashMap<>();
                    for (CompletableFuture<CheckReport> check : pending) {
                        CheckReport report = check.join();
                        byName.put(report.name(), report);
                    }
                    return HealthReport.of(byName, clock.instant());
                });
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("health registry already closed");
        }
    }

    private static ScheduledExecutorService newOwnedScheduler() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, THREAD_NAME);
            // Daemon: a forgotten registry must not keep the JVM alive.
            thread.setDaemon(true);
            return thread;
        });
        // Timers are cancelled as soon as a check answers; drop them from the queue at once.
        executor.setRemoveOnCancelPolicy(true);
        return Executors.unconfigurableScheduledExecutorService(executor);
    }

    /**
     * Builder of {@link HealthRegistry}. All settings are optional.
     *
     * @since 0.1
     */
    public static final class Builder {
        private Ticker ticker = Ticker.system();
        private Clock clock = Clock.systemUTC();
        private @Nullable ScheduledExecutorService scheduler;
        private CheckOptions defaultOptions = CheckOptions.defaults();
        private HealthObserver observer = NO_OBSERVER;

        private Builder() {}

        /**
         * Sets the ticker that measures latency, cache age and TTLs. Defaults to {@link Ticker#system()}.
         *
         * @param value the ticker.
         * @return this builder.
         * @throws NullPointerException if {@code value} is {@code null}.
         */
        public Builder ticker(Ticker value) {
            ticker = Objects.requireNonNull(value, "ticker must not be null");
            return this;
        }

        /**
         * Sets the clock that stamps {@link CheckReport#checkedAt()} and {@link HealthReport#generatedAt()}.
         * Defaults to {@link Clock#systemUTC()}.
         *
         * @param value the clock.
         * @return this builder.
         * @throws NullPointerException if {@code value} is {@code null}.
         */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock must not be null");
            return this;
        }

        /**
         * Sets the scheduler for deadline timers. The registry never shuts it down. Defaults to one daemon thread
         * that the registry creates and shuts down in {@link HealthRegistry#close()}.
         *
         * @param value the scheduler.
         * @return this builder.
         * @throws NullPointerException if {@code value} is {@code null}.
         */
        public Builder scheduler(ScheduledExecutorService value) {
            scheduler = Objects.requireNonNull(value, "scheduler must not be null");
            return this;
        }

        /**
         * Sets the options of checks registered with {@link HealthRegistry#register(HealthCheck)}, for example a
         * deadline and cache policy read from configuration. Defaults to {@link CheckOptions#defaults()}.
         *
         * @param value the options.
         * @return this builder.
         * @throws NullPointerException if {@code value} is {@code null}.
         */
        public Builder defaultOptions(CheckOptions value) {
            defaultOptions = Objects.requireNonNull(value, "defaultOptions must not be null");
            return this;
        }

        /**
         * Sets the observer told about every execution, cache hit and status change of every check, for example to
         * publish metrics or keep a history. One observer per registry: to feed several, give one that calls them in
         * turn. Defaults to none.
         *
         * @param value the observer; it must be cheap and must not block (see {@link HealthObserver}).
         * @return this builder.
         * @throws NullPointerException if {@code value} is {@code null}.
         * @since 0.2
         */
        public Builder observer(HealthObserver value) {
            observer = Objects.requireNonNull(value, "observer must not be null");
            return this;
        }

        /**
         * Builds the registry; creates the owned scheduler if none was given.
         *
         * @return a new registry.
         */
        public HealthRegistry build() {
            return new HealthRegistry(this);
        }
    }
}
