package dev.redisintegration.cache.internal;

import dev.redisintegration.redis.ConnectionState;
import dev.redisintegration.redis.ConnectionStateSubscription;
import dev.redisintegration.redis.RedisConnectionManager;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.codec.StringCodec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process level of a cache, kept correct by Redis server-assisted client-side caching.
 *
 * <p><b>How it stays correct.</b> A connection of its own (redis-client's dedicated connection: RESP3, no quiet
 * reconnect) sends {@code CLIENT TRACKING ON BCAST PREFIX namespace:}; from then on Redis pushes an
 * {@code invalidate} message on it for every key of the namespace that anyone changes, deletes, expires or evicts
 * (and a null one for {@code FLUSHALL}/{@code FLUSHDB}). Entries are only ever taken from {@code GET} replies of the
 * shared connection, and a reply may travel on the other connection than the invalidation of a write that came just
 * after it; so each read takes a {@link Ticket} before its {@code GET} is sent, an invalidation of the key marks the
 * ticket, and a marked ticket's reply is not kept (and if it was kept a moment before the mark, it is removed: marks
 * are set before entries are removed, entries are stored before marks are read).
 *
 * <p><b>When it cannot be.</b> Without the tracking connection nothing is served or stored: the whole level is
 * dropped whenever that connection drops, the shared connection disconnects or reconnects, or the manager leaves or
 * moves to another node; the tracking connection is then opened again on the next read (at most one attempt at a time,
 * with back-off after a failure) and must reach the same server as the shared connection ({@code run_id}). A server
 * that cannot track (no RESP3, before Redis 6) or a cluster leaves it off for good, logged once.
 */
public final class NearCache {

    private static final Logger log = LoggerFactory.getLogger("dev.redisintegration.cache.RedisCache");
    private static final long FIRST_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long MAX_RETRY_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    private final RedisConnectionManager manager;
    private final String namespace;
    private final String prefix;
    private final int maxEntries;
    private final LongSupplier nanoTime;
    private final Duration setupTimeout;

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Ticket> pending = new ConcurrentHashMap<>();
    /** Bumped by every flush: a ticket of an earlier epoch is not kept. */
    private final AtomicLong epoch = new AtomicLong();
    /** Bumped whenever tracking is dropped: a set-up that began before does not install its connection. */
    private final AtomicLong generation = new AtomicLong();

    private final AtomicBoolean settingUp = new AtomicBoolean();
    private volatile @Nullable StatefulRedisConnection<String, String> tracking;
    private volatile long retryAtNanos;
    private volatile long retryDelayNanos = FIRST_RETRY_NANOS;
    private volatile boolean disabledForGood;
    private volatile boolean closed;
    /** What was last logged about the state, so a repeated failure logs nothing new. */
    private @Nullable String lastLogged; // guarded by this

    private final ConnectionStateSubscription subscription;

    private final LongAdder hits = new LongAdder();
    private final LongAdder invalidations = new LongAdder();
    private final LongAdder flushes = new LongAdder();

    public NearCache(RedisConnectionManager manager, String namespace, int maxEntries, LongSupplier nanoTime) {
        this.manager = manager;
        this.namespace = namespace;
        this.prefix = Keys.key(namespace, "");
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
        this.setupTimeout = manager.settings()
                .connectTimeout()
                .plus(manager.settings().commandTimeout().multipliedBy(2));
        this.retryAtNanos = nanoTime.getAsLong();
        this.subscription = manager.subscribe(event -> {
            ConnectionState state = event.state();
            if (state == ConnectionState.DISCONNECTED
                    || state == ConnectionState.CONNECTED
                    || state == ConnectionState.LEAVING_NODE
                    || state == ConnectionState.MOVED) {
                drop("the shared connection reported " + state);
            }
        });
    }

    /** A read's mark: taken before the {@code GET}, consulted when its reply is offered. */
    public static final class Ticket {
        private final long epoch;
        private volatile boolean invalidated;

        private Ticket(long epoch) {
            this.epoch = epoch;
        }
    }

    /**
     * The entry of {@code redisKey} if tracking is on and one is held and not expired at {@code nowMillis}; otherwise
     * {@code null} (and tracking is set up in the background if it is off).
     */
    public @Nullable Entry get(String redisKey, long nowMillis) {
        if (tracking == null) {
            setUpSoon();
            return null;
        }
        Entry entry = entries.get(redisKey);
        if (entry == null) {
            return null;
        }
        if (nowMillis >= entry.expiresAtMillis()) {
            entries.remove(redisKey, entry);
            return null;
        }
        hits.increment();
        return entry;
    }

    /**
     * A ticket for a {@code GET} about to be sent, or {@code null} when tracking is off (then nothing is kept). One
     * ticket per key at a time: the cache's single-flight sends one {@code GET} per key at a time and offers its reply
     * before the next can start.
     */
    public @Nullable Ticket ticket(String redisKey) {
        if (tracking == null) {
            return null;
        }
        Ticket ticket = new Ticket(epoch.get());
        pending.put(redisKey, ticket);
        return ticket;
    }

    /** The reply of a ticket's {@code GET}: kept if nothing invalidated it meanwhile; {@code null} only ends it. */
    public void offer(String redisKey, @Nullable Ticket ticket, @Nullable Entry entry) {
        if (ticket == null) {
            return;
        }
        if (entry != null && valid(ticket)) {
            entries.put(redisKey, entry);
            if (!valid(ticket)) {
                entries.remove(redisKey, entry);
            } else if (entries.size() > maxEntries) {
                evict();
            }
        }
        pending.remove(redisKey, ticket);
    }

    /** This process changed or removed the key: forget it now, before Redis's own invalidation arrives. */
    public void invalidate(String redisKey) {
        Ticket ticket = pending.get(redisKey);
        if (ticket != null) {
            ticket.invalidated = true;
        }
        entries.remove(redisKey);
    }

    /** Forgets everything (the namespace was invalidated, or tracking cannot vouch for the entries any more). */
    public void flush() {
        epoch.incrementAndGet();
        entries.clear();
        flushes.increment();
    }

    public long hits() {
        return hits.sum();
    }

    public long invalidations() {
        return invalidations.sum();
    }

    public long flushes() {
        return flushes.sum();
    }

    /** Whether entries are served now (tracking is on). */
    public boolean active() {
        return tracking != null;
    }

    public int size() {
        return entries.size();
    }

    /**
     * Stops tracking and waits, at most {@link #CLOSE_WAIT_MILLIS} ms, for the connection to close: a manager closed
     * right after would otherwise close it a second time, which Lettuce logs as a warning.
     */
    public void close() {
        closed = true;
        subscription.close();
        CompletableFuture<Void> closing = drop(null);
        try {
            closing.get(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            log.debug(
                    "Closing the near cache's connection of namespace '{}' did not finish: {}",
                    namespace,
                    e.toString());
        }
    }

    private boolean valid(Ticket ticket) {
        return !ticket.invalidated && ticket.epoch == epoch.get() && tracking != null;
    }

    /**
     * Over the bound: removes arbitrary entries (hash order, in effect random) down to 90 % of it. Cheaper than an
     * LRU on the hit path, which must stay a map lookup; the entries removed are read from Redis again when needed.
     */
    private void evict() {
        int target = maxEntries - Math.max(1, maxEntries / 10);
        Iterator<String> keys = entries.keySet().iterator();
        while (entries.size() > target && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }

    private void onPush(PushMessage message) {
        if (!"invalidate".equals(message.getType())) {
            return;
        }
        List<Object> content = message.getContent();
        Object keys = content.size() > 1 ? content.get(1) : null;
        if (!(keys instanceof List<?> list)) { // null: FLUSHALL / FLUSHDB
            flush();
            return;
        }
        for (Object key : list) {
            if (key instanceof ByteBuffer buffer) {
                invalidations.increment();
                invalidate(StringCodec.UTF8.decodeKey(buffer.duplicate()));
            }
        }
    }

    /** Tracking stops: nothing is served until it is set up again; {@code reason} is logged, once per change. */
    private CompletableFuture<Void> drop(@Nullable String reason) {
        generation.incrementAndGet();
        StatefulRedisConnection<String, String> connection = tracking;
        tracking = null;
        flush();
        CompletableFuture<Void> closing = CompletableFuture.completedFuture(null);
        if (connection != null) {
            if (connection.isOpen()) {
                closing = connection.closeAsync();
            }
            if (reason != null) {
                logOnce(
                        "off:" + reason,
                        false,
                        "The near cache of namespace '{}' is off and empty: {}; it is set up again on the next read",
                        reason);
            }
        }
        return closing;
    }

    private void setUpSoon() {
        if (closed
                || disabledForGood
                || nanoTime.getAsLong() - retryAtNanos < 0
                || !settingUp.compareAndSet(false, true)) {
            return;
        }
        long started = generation.get();
        AtomicReference<StatefulRedisConnection<String, String>> opening = new AtomicReference<>();
        CompletableFuture<StatefulRedisConnection<String, String>> opened;
        try {
            opened = manager.openDedicatedConnection(() -> lost(opening.get())).toCompletableFuture();
        } catch (RuntimeException e) { // a closed manager, or a cluster
            opened = CompletableFuture.failedFuture(e);
        }
        opened.thenCompose(connection -> {
                    opening.set(connection);
                    return track(connection)
                            .whenComplete((ignored, error) -> {
                                if (error != null) {
                                    connection.closeAsync();
                                }
                            })
                            .thenApply(ignored -> connection);
                })
                .orTimeout(setupTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((connection, error) -> {
                    try {
                        if (error != null) {
                            failed(Deadlines.unwrap(error));
                        } else if (closed || generation.get() != started || !connection.isOpen()) {
                            connection.closeAsync(); // dropped while setting up: it may be on the old node
                            retryAtNanos = nanoTime.getAsLong();
                        } else {
                            flush(); // nothing read before tracking began may be kept
                            tracking = connection;
                            retryDelayNanos = FIRST_RETRY_NANOS;
                            // A drop (a move, a disconnect) or the connection's own end may have come between the
                            // check above and now, and found no tracking to stop: look again.
                            if (generation.get() != started) {
                                drop("the shared connection moved or reconnected while tracking was set up");
                            } else if (!connection.isOpen()) {
                                drop("the tracking connection dropped");
                            } else {
                                logOnce("on", true, "The near cache of namespace '{}' is on{}", "");
                            }
                        }
                    } finally {
                        settingUp.set(false);
                    }
                });
    }

    /** RESP3 checked, tracking on, and the same server as the shared connection. */
    private CompletableFuture<Void> track(StatefulRedisConnection<String, String> connection) {
        connection.addListener((PushListener) this::onPush);
        return connection
                .async()
                .clientInfo()
                .toCompletableFuture()
                .exceptionally(error -> {
                    if (Deadlines.unwrap(error) instanceof RedisCommandExecutionException) {
                        throw new Unsupported("the server refuses CLIENT INFO (Redis 6.2 or later is needed)");
                    }
                    throw new CompletionException(Deadlines.unwrap(error));
                })
                .thenCompose(info -> {
                    // Redis 7 says which protocol; Lettuce speaks RESP3 to every server that accepts HELLO (6 and
                    // later).
                    if (info.contains(" resp=") && !info.contains(" resp=3")) {
                        throw new Unsupported("the server does not speak RESP3 with this client (Redis 6 or later and "
                                + "a HELLO it accepts are needed)");
                    }
                    return connection
                            .async()
                            .clientTracking(
                                    TrackingArgs.Builder.enabled().bcast().prefixes(prefix))
                            .toCompletableFuture();
                })
                .thenCompose(ok -> connection.async().info("server").toCompletableFuture())
                .thenCombine(manager.getClient().thenCompose(commands -> commands.info("server")), (ours, shared) -> {
                    String ourId = runId(ours);
                    if (ourId == null || !ourId.equals(runId(shared))) {
                        throw new OtherServer();
                    }
                    return null;
                });
    }

    /** A tracking connection is gone: tracking stops if it was the one in use, and a set-up under way is void. */
    private void lost(@Nullable StatefulRedisConnection<String, String> connection) {
        if (connection != null && tracking == connection) {
            drop("the tracking connection dropped");
        } else {
            generation.incrementAndGet();
        }
    }

    /**
     * Retried with back-off, except where no retry can help: the server cannot track ({@link Unsupported}), or the
     * manager cannot hand out a dedicated connection at all (it is closed, or a Redis Cluster: redis-client's
     * {@code IllegalStateException}).
     */
    private void failed(Throwable error) {
        if (error instanceof Unsupported || error instanceof IllegalStateException) {
            disabledForGood = true;
            logOnce(
                    "never:" + error.getMessage(),
                    false,
                    "The near cache of namespace '{}' stays off: {}",
                    error.getMessage());
            return;
        }
        long delay = retryDelayNanos;
        retryAtNanos = nanoTime.getAsLong() + delay;
        retryDelayNanos = Math.min(MAX_RETRY_NANOS, delay * 2);
        logOnce(
                "off:" + describe(error),
                false,
                "The near cache of namespace '{}' is off: setting up tracking failed ({}); reads go to Redis",
                describe(error));
    }

    private synchronized void logOnce(String state, boolean info, String message, String detail) {
        if (state.equals(lastLogged)) {
            return;
        }
        boolean wasOff = lastLogged != null && !lastLogged.equals("on");
        lastLogged = state;
        if (info) {
            log.info(message, namespace, wasOff ? " again" : "");
        } else {
            log.warn(message, namespace, detail);
        }
    }

    private static @Nullable String runId(@Nullable String info) {
        if (info == null) {
            return null;
        }
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("run_id:")) {
                return line.substring("run_id:".length()).trim();
            }
        }
        return null;
    }

    private static String describe(Throwable error) {
        if (error instanceof java.util.concurrent.TimeoutException) {
            return "no answer in time";
        }
        return error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
    }

    /** The tracking connection reached another server than the shared connection: the endpoint is moving; retried. */
    private static final class OtherServer extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OtherServer() {
            super(
                    "the tracking connection reached another server than the shared connection (the endpoint is moving)",
                    null,
                    false,
                    false);
        }
    }

    /** The server cannot track for us: no retry will change that. */
    private static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsupported(String message) {
            super(message, null, false, false);
        }
    }
}
