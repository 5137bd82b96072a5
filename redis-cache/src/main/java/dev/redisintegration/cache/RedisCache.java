package dev.redisintegration.cache;

import dev.redisintegration.cache.internal.BinaryCommands;
import dev.redisintegration.cache.internal.Checks;
import dev.redisintegration.cache.internal.Deadlines;
import dev.redisintegration.cache.internal.Entry;
import dev.redisintegration.cache.internal.Keys;
import dev.redisintegration.cache.internal.NearCache;
import dev.redisintegration.redis.RedisConnectionManager;
import dev.redisintegration.redis.RedisMode;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Clock;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-through cache in Redis, on the shared connection of a {@link RedisConnectionManager}:
 *
 * <pre>{@code
 * RedisCache cache = RedisCache.builder(manager).namespace("team-x").ttl(Duration.ofMinutes(10)).build();
 * CompletionStage<String> profile = cache.getOrLoad("user:42", () -> profileService.fetch(42));
 * }</pre>
 *
 * <ul>
 *   <li><b>Keys</b> are {@code namespace:key} in Redis. A namespace is 1-64 characters of {@code A-Z a-z 0-9 . _ -}
 *       (no {@code :}), so no namespace's keys can be taken for another's.
 *   <li><b>Single-flight</b>: concurrent calls for one key in this process share one Redis lookup and at most one
 *       load.
 *   <li><b>Early refresh</b> (XFetch): each value is stored with its logical expiry and how long its load took
 *       (delta). A hit refreshes in the background when {@code now - delta * beta * ln(random) >= expiry}, a chance
 *       that grows as expiry nears and with slower loads; the refreshing pod takes a short lock in Redis
 *       ({@code namespace!refresh:key}, {@code SET NX PX}), so about one pod of the fleet reloads a hot key while
 *       every other caller keeps getting the cached value.
 *   <li><b>TTL jitter</b>: each write's TTL is the configured one times a random factor in
 *       {@code [1 - jitter, 1 + jitter]}, so keys written together do not expire together.
 *   <li><b>Fail open</b>: when Redis is down, hung or slower than the {@link Builder#deadline(Duration) deadline}
 *       (100 ms by default), the call is answered by the loader (within the deadline plus the load time) and nothing
 *       is written back. Each such call is counted ({@link CacheStats#failOpens()}); the cache logs once when it
 *       starts failing open (WARN) and once when Redis answers again (INFO).
 *   <li><b>Negative caching</b>: {@link #getOrLoadOptional} caches an empty result for
 *       {@link Builder#negativeTtl(Duration)} (off by default).
 *   <li><b>Near cache</b> (off by default, {@link Builder#nearCache(int)}): a bounded in-process level in front of
 *       Redis, kept correct by Redis's client-side caching ({@code CLIENT TRACKING} in broadcast mode for the
 *       namespace, on a dedicated RESP3 connection); emptied whenever it could miss an invalidation (a disconnect, a
 *       reconnect, a move to another node). Standalone and Sentinel only: refused for a Redis Cluster.
 * </ul>
 *
 * <p>Loaders are called on a Redis client or timer thread unless {@link Builder#loaderExecutor(Executor)} names an
 * executor: on those threads they must not block; return a stage that completes later (e.g. {@code
 * CompletableFuture.supplyAsync(work, executor)}). A loader's failure fails the callers that shared the load and is
 * not cached. Thread-safe. Without a near cache the cache holds no resources of its own (closing the manager ends it);
 * with one, {@link #close()} releases its connection.
 *
 * @since 0.1
 */
public final class RedisCache implements AutoCloseable {

    /** How long a call waits for Redis before it fails open: {@value #DEFAULT_DEADLINE_MILLIS} ms. */
    public static final long DEFAULT_DEADLINE_MILLIS = 100;
    /** TTL jitter: {@value #DEFAULT_JITTER}, i.e. +/-10 %. */
    public static final double DEFAULT_JITTER = 0.10;
    /** XFetch's beta: {@value #DEFAULT_BETA}; above 1 refreshes earlier, below later. */
    public static final double DEFAULT_BETA = 1.0;
    /** Largest encoded value: {@value #DEFAULT_MAX_VALUE_BYTES} bytes (1 MiB). */
    public static final int DEFAULT_MAX_VALUE_BYTES = 1 << 20;
    /** Keys per {@code SCAN} page and per {@code UNLINK} of {@link #invalidateAll()}: {@value #SCAN_BATCH}. */
    public static final int SCAN_BATCH = 500;

    private static final Logger log = LoggerFactory.getLogger(RedisCache.class);

    private final RedisConnectionManager manager;
    private final String namespace;
    private final long ttlMillis;
    private final long negativeTtlMillis;
    private final long deadlineMillis;
    private final double jitter;
    private final double beta;
    private final int maxValueBytes;
    private final Clock clock;
    private final DoubleSupplier random;
    private final @Nullable Executor loaderExecutor;
    private final @Nullable NearCache near;
    private final ConcurrentHashMap<String, CompletableFuture<Entry>> flights = new ConcurrentHashMap<>();
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    /** Write-backs in progress, by Redis key. */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> writeBacks = new ConcurrentHashMap<>();

    private final AtomicBoolean failingOpen = new AtomicBoolean();
    /** Bumped by every invalidation: a load that began before one does not write its (older) value back. */
    private final AtomicLong invalidations = new AtomicLong();

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder loads = new LongAdder();
    private final LongAdder loadFailures = new LongAdder();
    private final LongAdder loadNanos = new LongAdder();
    private final LongAdder failOpens = new LongAdder();
    private final LongAdder earlyRefreshes = new LongAdder();
    private final LongAdder writeFailures = new LongAdder();

    private RedisCache(Builder builder) {
        this.manager = builder.manager;
        this.namespace = Keys.validNamespace(Objects.requireNonNull(
                builder.namespace, "namespace must be set: RedisCache.builder(manager).namespace(\"team-x\")"));
        this.ttlMillis = Objects.requireNonNull(builder.ttl, "ttl must be set: .ttl(Duration.ofMinutes(10))")
                .toMillis();
        this.negativeTtlMillis = builder.negativeTtl.toMillis();
        this.deadlineMillis = builder.deadline.toMillis();
        this.jitter = builder.jitter;
        this.beta = builder.beta;
        this.maxValueBytes = builder.maxValueBytes;
        this.clock = builder.clock;
        this.random = builder.random;
        this.loaderExecutor = builder.loaderExecutor;
        this.near = builder.nearCacheEntries == 0
                ? null
                : new NearCache(manager, namespace, builder.nearCacheEntries, System::nanoTime);
    }

    /**
     * A builder; {@link Builder#namespace(String)} and {@link Builder#ttl(Duration)} are required.
     *
     * @param manager where the cache's Redis is; must not be {@code null}.
     * @return a new builder.
     */
    public static Builder builder(RedisConnectionManager manager) {
        return new Builder(Objects.requireNonNull(manager, "manager must not be null"));
    }

    /**
     * The cached string of {@code key}, or the loader's, cached for the TTL.
     *
     * @param key the key within the namespace; must not be {@code null}.
     * @param loader called on a miss (at most once at a time per key in this process); must return a stage of a
     *     non-null value.
     * @return the value. Fails only with the loader's failure, with {@link IllegalArgumentException} if the value is
     *     larger than {@link Builder#maxValueBytes(int)}, or with {@link NoSuchElementException} if the key is cached as
     *     absent by {@link #getOrLoadOptional}; never because of Redis.
     */
    public CompletionStage<String> getOrLoad(String key, Supplier<? extends CompletionStage<String>> loader) {
        return getOrLoad(key, ValueCodec.string(), loader);
    }

    /**
     * As {@link #getOrLoad(String, Supplier)}, for any value type through {@code codec}.
     *
     * @param key the key within the namespace; must not be {@code null}.
     * @param codec how the value is stored; must not be {@code null}.
     * @param loader called on a miss; must return a stage of a non-null value.
     * @param <V> the value type.
     * @return the value; fails as {@link #getOrLoad(String, Supplier)} says.
     */
    public <V> CompletionStage<V> getOrLoad(
            String key, ValueCodec<V> codec, Supplier<? extends CompletionStage<V>> loader) {
        Objects.requireNonNull(loader, "loader must not be null");
        return getOrLoadOptional(
                        key,
                        codec,
                        () -> loader.get()
                                .thenApply(value -> Optional.of(Objects.requireNonNull(
                                        value,
                                        "the loader's stage completed with null: use getOrLoadOptional to cache "
                                                + "an absent value"))))
                .thenApply(value -> value.orElseThrow(() -> new NoSuchElementException(
                        "key '" + key + "' of cache namespace '" + namespace + "' is cached as absent")));
    }

    /**
     * As {@link #getOrLoad(String, ValueCodec, Supplier)}, where the loader may find nothing: an empty result is
     * cached for {@link Builder#negativeTtl(Duration)} (not at all by default), so a missing row is not looked up on
     * every call.
     *
     * @param key the key within the namespace; must not be {@code null}.
     * @param codec how the value is stored; must not be {@code null}.
     * @param loader called on a miss; must return a stage of a non-null {@link Optional}.
     * @param <V> the value type.
     * @return the value, or empty.
     */
    public <V> CompletionStage<Optional<V>> getOrLoadOptional(
            String key, ValueCodec<V> codec, Supplier<? extends CompletionStage<Optional<V>>> loader) {
        Objects.requireNonNull(key, "key must not be null");
        Objects.requireNonNull(codec, "codec must not be null");
        Objects.requireNonNull(loader, "loader must not be null");
        String redisKey = Keys.key(namespace, key);
        Function<Boolean, CompletableFuture<Entry>> load = writeBack -> load(key, redisKey, codec, loader, writeBack);
        if (near != null) {
            Entry held = near.get(redisKey, clock.millis());
            if (held != null) {
                if (refreshDue(held)) {
                    refreshEarly(redisKey, key, held, load);
                }
                return decode(held, key, codec, loader);
            }
        }
        CompletableFuture<Entry> flight = new CompletableFuture<>();
        CompletableFuture<Entry> joined = flights.putIfAbsent(redisKey, flight);
        if (joined == null) {
            lookup(redisKey, key, codec, loader, load, flight);
            joined = flight;
        }
        return joined.thenCompose(entry -> decode(entry, key, codec, loader));
    }

    /**
     * Removes {@code key} from Redis ({@code UNLINK}). A load of this cache that is under way does not write its value
     * back (loads in other processes may). Unlike reads, this does not fail open: a failure is the caller's to see.
     *
     * @param key the key within the namespace; must not be {@code null}.
     * @return a stage completing once Redis removed it; fails with the Redis error, bounded by the manager's command
     *     timeout.
     */
    public CompletionStage<Void> invalidate(String key) {
        String redisKey = Keys.key(namespace, Objects.requireNonNull(key, "key must not be null"));
        invalidations.incrementAndGet();
        if (near != null) {
            near.invalidate(redisKey);
        }
        return manager.getClient()
                .thenCompose(commands -> commands.unlink(redisKey))
                .thenApply(removed -> null);
    }

    /**
     * Removes every key of this namespace: {@code SCAN MATCH namespace:* COUNT 500} (the namespace glob-escaped) and
     * one {@code UNLINK} per page, never {@code KEYS}; in a Redis Cluster every primary is scanned. Keys written while it
     * runs may survive; loads of this cache under way do not write back. Does not fail open.
     *
     * @return the number of keys removed; fails with the Redis error.
     */
    public CompletionStage<Long> invalidateAll() {
        ScanArgs args = ScanArgs.Builder.matches(Keys.pattern(namespace)).limit(SCAN_BATCH);
        invalidations.incrementAndGet();
        if (near != null) {
            near.flush();
        }
        return manager.getClient().thenCompose(commands -> unlinkFrom(commands, ScanCursor.INITIAL, args, 0));
    }

    /**
     * The counters so far.
     *
     * @return a snapshot; cheap, sends nothing to Redis.
     */
    public CacheStats stats() {
        return new CacheStats(
                hits.sum(),
                misses.sum(),
                loads.sum(),
                loadFailures.sum(),
                Duration.ofNanos(loadNanos.sum()),
                failOpens.sum(),
                earlyRefreshes.sum(),
                writeFailures.sum(),
                near == null ? 0 : near.hits(),
                near == null ? 0 : near.invalidations(),
                near == null ? 0 : near.flushes());
    }

    /**
     * Releases the near cache's connection and empties it; later calls go to Redis directly. Without a near cache,
     * nothing to do. Idempotent; does not close the manager.
     */
    @Override
    public void close() {
        if (near != null) {
            near.close();
        }
    }

    /**
     * The namespace, the prefix of every key ({@code namespace:key}).
     *
     * @return the namespace.
     */
    public String namespace() {
        return namespace;
    }

    private <V> void lookup(
            String redisKey,
            String key,
            ValueCodec<V> codec,
            Supplier<? extends CompletionStage<Optional<V>>> loader,
            Function<Boolean, CompletableFuture<Entry>> load,
            CompletableFuture<Entry> flight) {
        NearCache.Ticket ticket = near == null ? null : near.ticket(redisKey);
        CompletableFuture<Entry> settled = redis(commands -> BinaryCommands.get(commands, redisKey))
                .handle((bytes, error) -> {
                    if (error != null) {
                        if (near != null) {
                            near.offer(redisKey, ticket, null);
                        }
                        failOpen(error);
                        return load.apply(false);
                    }
                    redisAnswered();
                    Entry entry = bytes == null ? null : Entry.decode(bytes);
                    if (near != null) {
                        near.offer(redisKey, ticket, entry);
                    }
                    if (entry == null) {
                        misses.increment();
                        return load.apply(true);
                    }
                    hits.increment();
                    if (refreshDue(entry)) {
                        refreshEarly(redisKey, key, entry, load);
                    }
                    return CompletableFuture.completedFuture(entry);
                })
                .thenCompose(Function.identity());
        // The flight leaves the map before its callers see the value, so a caller that calls again at once starts a new
        // lookup instead of joining a finished (possibly failed) one. A miss's flight stays until its write-back is
        // done
        // (see load): callers arriving meanwhile share its value instead of missing again.
        settled.whenComplete((entry, error) -> {
            CompletableFuture<Void> pending = error == null ? writeBacks.get(redisKey) : null;
            if (pending == null) {
                flights.remove(redisKey, flight);
            } else {
                pending.whenComplete((ignored, writeError) -> flights.remove(redisKey, flight));
            }
            if (error != null) {
                flight.completeExceptionally(Deadlines.unwrap(error));
            } else {
                flight.complete(entry);
            }
        });
    }

    /** Calls the loader and, if {@code writeBack}, stores its value; the stage has the value, not the write. */
    private <V> CompletableFuture<Entry> load(
            String key,
            String redisKey,
            ValueCodec<V> codec,
            Supplier<? extends CompletionStage<Optional<V>>> loader,
            boolean writeBack) {
        long generation = invalidations.get();
        long started = clock.millis();
        long startedNanos = System.nanoTime();
        loads.increment();
        CompletableFuture<Optional<V>> loaded;
        try {
            loaded = loaderExecutor == null
                    ? callLoader(loader)
                    : CompletableFuture.supplyAsync(() -> callLoader(loader), loaderExecutor)
                            .thenCompose(Function.identity());
        } catch (RuntimeException e) { // the loader threw, or the executor refused it
            loaded = CompletableFuture.failedFuture(e);
        }
        return loaded.handle((value, error) -> {
            loadNanos.add(System.nanoTime() - startedNanos);
            if (error != null) {
                loadFailures.increment();
                throw new CompletionException(Deadlines.unwrap(error));
            }
            Objects.requireNonNull(value, "the loader's stage completed with null instead of an Optional");
            long now = clock.millis();
            int delta = (int) Math.min(Integer.MAX_VALUE, Math.max(0, now - started));
            byte[] payload = null;
            if (value.isPresent()) {
                payload = codec.encode(value.get());
                if (payload.length > maxValueBytes) {
                    throw new IllegalArgumentException("the value of key '" + key + "' in cache namespace '" + namespace
                            + "' is " + payload.length + " bytes encoded, more than the limit of " + maxValueBytes
                            + " bytes (maxValueBytes); it was not cached");
                }
            }
            long ttl = payload == null ? negativeTtlMillis : ttlMillis;
            long jittered = jittered(ttl);
            Entry entry = new Entry(payload, now + jittered, delta);
            if (writeBack && ttl > 0 && invalidations.get() == generation) {
                write(redisKey, entry, jittered);
            }
            return entry;
        });
    }

    private static <V> CompletableFuture<Optional<V>> callLoader(
            Supplier<? extends CompletionStage<Optional<V>>> loader) {
        return Objects.requireNonNull(loader.get(), "the loader returned null instead of a stage")
                .toCompletableFuture();
    }

    private void write(String redisKey, Entry entry, long ttl) {
        CompletableFuture<Void> written = redis(commands -> BinaryCommands.set(commands, redisKey, entry.encode(), ttl))
                .handle((reply, error) -> {
                    if (error != null) {
                        writeFailures.increment();
                        log.debug("Writing a value of cache namespace '{}' failed: {}", namespace, describe(error));
                    }
                    return null;
                });
        writeBacks.put(redisKey, written);
        written.whenComplete((ignored, error) -> writeBacks.remove(redisKey, written));
    }

    /** XFetch: {@code now - delta * beta * ln(u) >= expiry}, {@code u} uniform in (0, 1]. */
    private boolean refreshDue(Entry entry) {
        double u = 1.0 - random.getAsDouble();
        return clock.millis() - entry.deltaMillis() * beta * Math.log(u) >= entry.expiresAtMillis();
    }

    /**
     * One refresh per key in this process, and one pod of the fleet at a time: the lock lasts about as long as a load
     * like the last one plus a write (at most half the TTL, so a lost lock never blocks the next refresh) and is
     * removed once the new value is written or the load failed, so the next refresh is never held up by it.
     */
    private void refreshEarly(
            String redisKey, String key, Entry entry, Function<Boolean, CompletableFuture<Entry>> load) {
        if (!refreshing.add(redisKey)) {
            return;
        }
        String lock = Keys.refreshLock(namespace, key);
        long lockMillis = Math.max(1, Math.min(ttlMillis / 2, 4L * entry.deltaMillis() + deadlineMillis));
        redis(commands -> commands.set(lock, "1", SetArgs.Builder.nx().px(lockMillis))
                        .toCompletableFuture())
                .thenCompose(reply -> {
                    if (!"OK".equals(reply)) {
                        return CompletableFuture.completedFuture(null);
                    }
                    earlyRefreshes.increment();
                    return load.apply(true)
                            .handle((refreshed, error) -> {
                                if (error != null) {
                                    log.debug(
                                            "Refreshing a value of cache namespace '{}' early failed: {}",
                                            namespace,
                                            describe(error));
                                }
                                CompletableFuture<Void> written =
                                        writeBacks.getOrDefault(redisKey, CompletableFuture.completedFuture(null));
                                return written.thenCompose(ignored ->
                                        redis(commands -> commands.del(lock).toCompletableFuture()));
                            })
                            .thenCompose(Function.identity());
                })
                .whenComplete((ignored, error) -> refreshing.remove(redisKey));
    }

    private <V> CompletionStage<Optional<V>> decode(
            Entry entry, String key, ValueCodec<V> codec, Supplier<? extends CompletionStage<Optional<V>>> loader) {
        if (entry.isAbsent()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        try {
            return CompletableFuture.completedFuture(Optional.of(codec.decode(entry.payload())));
        } catch (RuntimeException e) {
            // Another codec wrote this key (a deploy changed the format): answer from the loader, let the TTL replace
            // it.
            log.warn(
                    "A cached value of namespace '{}' could not be decoded ({}); answering from the loader",
                    namespace,
                    e.toString());
            return loader.get();
        }
    }

    private CompletionStage<Long> unlinkFrom(
            RedisClusterAsyncCommands<String, String> commands, ScanCursor cursor, ScanArgs args, long removed) {
        return commands.scan(cursor, args).thenCompose((KeyScanCursor<String> page) -> {
            CompletionStage<Long> unlinked = page.getKeys().isEmpty()
                    ? CompletableFuture.completedFuture(0L)
                    : commands.unlink(page.getKeys().toArray(new String[0]));
            return unlinked.thenCompose(count -> page.isFinished()
                    ? CompletableFuture.completedFuture(removed + count)
                    : unlinkFrom(commands, page, args, removed + count));
        });
    }

    /** A Redis call bounded by the deadline, connecting first if needed (also bounded). */
    private <T> CompletableFuture<T> redis(
            Function<RedisClusterAsyncCommands<String, String>, CompletableFuture<T>> command) {
        try {
            return Deadlines.within(manager.getClient().toCompletableFuture().thenCompose(command), deadlineMillis);
        } catch (RuntimeException e) { // a closed manager
            return CompletableFuture.failedFuture(e);
        }
    }

    private long jittered(long ttl) {
        double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Math.max(1, Math.round(ttl * factor));
    }

    private void failOpen(Throwable error) {
        failOpens.increment();
        if (failingOpen.compareAndSet(false, true)) {
            log.warn(
                    "Redis cache namespace '{}' is failing open: {}; calls are answered by their loaders and nothing is "
                            + "written back until Redis answers within {} ms again",
                    namespace,
                    describe(error),
                    deadlineMillis);
        }
    }

    private void redisAnswered() {
        if (failingOpen.compareAndSet(true, false)) {
            log.info("Redis cache namespace '{}' uses Redis again", namespace);
        }
    }

    private String describe(Throwable error) {
        Throwable cause = Deadlines.unwrap(error);
        if (cause instanceof TimeoutException) {
            return "Redis did not answer within " + deadlineMillis + " ms";
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    /**
     * Settings of a {@link RedisCache}; {@link #namespace(String)} and {@link #ttl(Duration)} are required.
     *
     * @since 0.1
     */
    public static final class Builder {

        private final RedisConnectionManager manager;
        private @Nullable String namespace;
        private @Nullable Duration ttl;
        private Duration negativeTtl = Duration.ZERO;
        private Duration deadline = Duration.ofMillis(DEFAULT_DEADLINE_MILLIS);
        private double jitter = DEFAULT_JITTER;
        private double beta = DEFAULT_BETA;
        private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
        private Clock clock = Clock.systemUTC();
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private @Nullable Executor loaderExecutor;
        private int nearCacheEntries;

        private Builder(RedisConnectionManager manager) {
            this.manager = manager;
        }

        /**
         * The prefix of every key ({@code namespace:key}); required.
         *
         * @param namespace 1-64 characters of {@code A-Z a-z 0-9 . _ -}.
         * @return this builder.
         * @throws IllegalArgumentException if it has other characters or length.
         */
        public Builder namespace(String namespace) {
            this.namespace = Keys.validNamespace(Objects.requireNonNull(namespace, "namespace must not be null"));
            return this;
        }

        /**
         * How long a loaded value is kept (before jitter); required.
         *
         * @param ttl at least 1 ms.
         * @return this builder.
         */
        public Builder ttl(Duration ttl) {
            this.ttl = Checks.positive(ttl, "ttl");
            return this;
        }

        /**
         * How long an empty result of {@link RedisCache#getOrLoadOptional} is kept. Defaults to zero: not cached.
         *
         * @param negativeTtl zero (off) or more.
         * @return this builder.
         */
        public Builder negativeTtl(Duration negativeTtl) {
            Objects.requireNonNull(negativeTtl, "negativeTtl must not be null");
            if (negativeTtl.isNegative()) {
                throw new IllegalArgumentException("negativeTtl must be zero (off) or positive, not " + negativeTtl);
            }
            this.negativeTtl = negativeTtl;
            return this;
        }

        /**
         * How long a call waits for Redis before it fails open. Defaults to {@value #DEFAULT_DEADLINE_MILLIS} ms.
         *
         * @param deadline at least 1 ms.
         * @return this builder.
         */
        public Builder deadline(Duration deadline) {
            this.deadline = Checks.positive(deadline, "deadline");
            return this;
        }

        /**
         * The TTL jitter: each write's TTL is the TTL times a factor in {@code [1 - jitter, 1 + jitter]}. Defaults to
         * {@value #DEFAULT_JITTER}.
         *
         * @param jitter from 0 (none) to 0.5.
         * @return this builder.
         */
        public Builder jitter(double jitter) {
            if (!(jitter >= 0 && jitter <= 0.5)) {
                throw new IllegalArgumentException("jitter must be between 0 and 0.5, not " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /**
         * XFetch's beta: how eagerly values are refreshed ahead of expiry. Defaults to {@value #DEFAULT_BETA}.
         *
         * @param beta more than 0 (and at most 100).
         * @return this builder.
         */
        public Builder beta(double beta) {
            if (!(beta > 0 && beta <= 100)) {
                throw new IllegalArgumentException("beta must be more than 0 and at most 100, not " + beta);
            }
            this.beta = beta;
            return this;
        }

        /**
         * The largest encoded value the cache stores; a larger one fails the call with
         * {@link IllegalArgumentException}. Defaults to {@value #DEFAULT_MAX_VALUE_BYTES} bytes.
         *
         * @param maxValueBytes from 1 to 512 MiB.
         * @return this builder.
         */
        public Builder maxValueBytes(int maxValueBytes) {
            if (maxValueBytes < 1 || maxValueBytes > 512 * 1024 * 1024 - Entry.HEADER_BYTES) {
                throw new IllegalArgumentException("maxValueBytes must be between 1 and 512 MiB, not " + maxValueBytes);
            }
            this.maxValueBytes = maxValueBytes;
            return this;
        }

        /**
         * The clock of expiry decisions (tests inject one). Defaults to {@link Clock#systemUTC()}. Pods of one fleet
         * compare their clocks with the expiry another pod wrote, so keep them in sync (NTP).
         *
         * @param clock the clock.
         * @return this builder.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /**
         * The random source of jitter and early refresh (tests inject one). Defaults to {@link ThreadLocalRandom}.
         *
         * @param random returns values in {@code [0, 1)}.
         * @return this builder.
         */
        public Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random must not be null");
            return this;
        }

        /**
         * Where loaders run. By default they are called on the thread that found the miss (a Redis client or timer
         * thread), which suits loaders that return at once with a stage completed later; name an executor for loaders
         * that do work before they return (a blocking JDBC call wrapped in a completed stage, say). A refusal of the
         * executor fails the call like a loader failure.
         *
         * @param executor runs each load's {@code loader.get()}.
         * @return this builder.
         */
        public Builder loaderExecutor(Executor executor) {
            this.loaderExecutor = Objects.requireNonNull(executor, "executor must not be null");
            return this;
        }

        /**
         * Turns on the near cache: up to {@code maxEntries} values held in this process in front of Redis, served
         * without a round trip, kept correct by Redis's server-assisted client-side caching ({@code CLIENT TRACKING ON
         * BCAST PREFIX namespace:} on a dedicated RESP3 connection: every change of a key of the namespace, by anyone,
         * removes it here within one push message). Emptied whole whenever an invalidation could be missed (the
         * tracking connection drops, the shared connection disconnects or reconnects, the manager leaves or moves to
         * another node) and not used until tracking is set up again; a server that cannot track (before Redis 6)
         * leaves it off, logged once. Off by default (0). Costs one connection per cache and one push message per
         * write to the namespace; when full it drops arbitrary entries (not LRU). Values are held as stored in Redis,
         * so each hit decodes them again (callers never share a mutable object). Close the cache to release it.
         *
         * @param maxEntries 0 (off) to 10,000,000.
         * @return this builder.
         * @throws IllegalArgumentException if out of range.
         */
        public Builder nearCache(int maxEntries) {
            if (maxEntries < 0 || maxEntries > 10_000_000) {
                throw new IllegalArgumentException(
                        "nearCache maxEntries must be between 0 (off) and 10,000,000, not " + maxEntries);
            }
            this.nearCacheEntries = maxEntries;
            return this;
        }

        /**
         * The cache.
         *
         * @return a new cache on the builder's manager.
         * @throws NullPointerException if the namespace or the TTL was not set.
         * @throws IllegalArgumentException if a near cache is asked of a manager in {@link RedisMode#CLUSTER} mode:
         *     keys live on many nodes there, and one tracking connection cannot see all their changes.
         */
        public RedisCache build() {
            if (nearCacheEntries > 0 && manager.settings().mode() == RedisMode.CLUSTER) {
                throw new IllegalArgumentException(
                        "a near cache cannot be kept correct on a Redis Cluster (keys live on "
                                + "many nodes, invalidations come from each): build the cache without nearCache(..), or use "
                                + "a standalone or Sentinel Redis");
            }
            return new RedisCache(this);
        }
    }
}
