package dev.redisintegration.redis;

import dev.redisintegration.redis.internal.ClientStack;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import java.net.InetSocketAddress;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide Redis connection manager: one lazily opened, shared, multiplexed Lettuce connection for ordinary
 * commands, a small bounded pool of exclusive connections for transactions and blocking commands, bounded probes,
 * connection-state events and counters.
 *
 * <p>One API for every topology ({@link RedisSettings#mode()}: standalone, Sentinel, Cluster). It follows the primary:
 * a {@code READONLY} reply, a verification ({@link RedisSettings#verifyInterval()}) or probe that finds a replica, or
 * a node that stops answering makes it leave the node and reconnect through the endpoint, keeping the objects callers
 * hold; in a cluster the cluster's topology decides. See the module README, "Failover" and "Topologies".
 *
 * <p>Every instance owns its Lettuce resources and releases them on {@link #close()}. While disconnected, commands fail
 * fast; every command is bounded by {@link RedisSettings#commandTimeout()}. After {@link #close()}, every method but
 * {@link #settings()}, {@link #getConnectionUrl()} and {@link #stats()} throws {@link IllegalStateException}.
 *
 * <p>Thread-safe. Do not call the blocking {@link #close()} from a Lettuce thread (a callback of a returned stage);
 * use {@link #closeAsync()} there.
 *
 * @since 0.1
 */
public final class RedisConnectionManager implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisConnectionManager.class);
    /** The process-wide instance ({@link Redis} closes it only if it exists). */
    static final ProcessInstance INSTANCE =
            new ProcessInstance(() -> create(RedisSettings.fromEnvironment(System.getenv())));

    private final RedisSettings settings;
    private final ClientStack stack;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();

    private RedisConnectionManager(
            RedisSettings settings, @Nullable InetSocketAddress nameServer, CommandLatencyRecorder latencyRecorder) {
        this.settings = settings;
        this.stack = new ClientStack(settings, nameServer, latencyRecorder, closed::get);
    }

    /**
     * The process-wide instance, created from {@code System.getenv()} on first use (thread-safe).
     *
     * @return the shared manager; once closed, it stays closed.
     * @throws IllegalArgumentException if a {@code REDIS_*} variable is invalid (retried on the next call).
     */
    public static RedisConnectionManager getInstance() {
        return INSTANCE.get();
    }

    /**
     * An independent manager (for tests or a second endpoint); the caller closes it. Does not connect yet.
     *
     * @param settings the settings.
     * @return a new manager.
     * @throws NullPointerException if {@code settings} is {@code null}.
     */
    public static RedisConnectionManager create(RedisSettings settings) {
        return create(settings, (InetSocketAddress) null);
    }

    /**
     * As {@link #create(RedisSettings)}, with command latencies recorded by Lettuce's own hook, e.g. Micrometer's
     * {@code MicrometerCommandLatencyRecorder} (tags: command type and node, never keys). The recorder stays the
     * caller's: closing the manager does not close it.
     *
     * @param settings the settings.
     * @param latencyRecorder the recorder.
     * @return a new manager.
     * @throws NullPointerException if an argument is {@code null}.
     */
    public static RedisConnectionManager create(RedisSettings settings, CommandLatencyRecorder latencyRecorder) {
        return new RedisConnectionManager(
                Objects.requireNonNull(settings, "settings must not be null"),
                null,
                Objects.requireNonNull(latencyRecorder, "latencyRecorder must not be null"));
    }

    /** As {@link #create(RedisSettings)}, resolving host names with the DNS server at {@code nameServer} (tests). */
    static RedisConnectionManager create(RedisSettings settings, @Nullable InetSocketAddress nameServer) {
        return new RedisConnectionManager(
                Objects.requireNonNull(settings, "settings must not be null"),
                nameServer,
                CommandLatencyRecorder.disabled());
    }

    /**
     * Sends {@code PING}, connecting first if needed.
     *
     * @return {@code true} only if {@code PONG} arrived in time: within {@link RedisSettings#pingTimeout()} once
     *     connected; a call that must connect first may also take up to {@link RedisSettings#connectTimeout()} for
     *     that. Never completes exceptionally.
     * @throws IllegalStateException if this manager is closed.
     */
    public CompletionStage<Boolean> ping() {
        ensureOpen();
        return stack.probe(false).thenApply(RedisProbe::up);
    }

    /**
     * A detailed ping for health checks that knows the topology: one round of requests, bounded like {@link #ping()}.
     * Standalone: one {@code ROLE} ({@code PING} where refused); a replica is down unless
     * {@link RedisSettings#expectedRole()} is {@link ExpectedRole#ANY}. Sentinel: every Sentinel asked for the primary,
     * and {@code ROLE} on it. Cluster: {@code cluster_state}, every slot served, each primary answering; down names the
     * failing slot ranges. Details per mode: the module README, "Topologies".
     *
     * @return the latency, a short secret-free reason on failure (e.g. {@code "connection refused"}, {@code "timed out
     *     after 500 ms"}), the role and what the probe saw ({@link RedisProbe#details()}). Never completes
     *     exceptionally.
     * @throws IllegalStateException if this manager is closed.
     */
    public CompletionStage<RedisProbe> probe() {
        ensureOpen();
        return stack.probe(true);
    }

    /**
     * The async commands of the shared, multiplexed connection (thread-safe; do not close it), connected lazily (one
     * connect for concurrent first calls; a failed connect is forgotten). The object keeps working across reconnects and
     * moves. Its type is the command set a standalone node and a cluster share, the same in every mode; it has no
     * {@code MULTI}/{@code EXEC}, and blocking commands stall every caller: use {@code withExclusiveConnection} for both.
     *
     * @return a stage with the commands, failing with {@link TimeoutException} after
     *     {@link RedisSettings#connectTimeout()} or with Lettuce's connection exception.
     * @throws IllegalStateException if this manager is closed.
     */
    public CompletionStage<RedisClusterAsyncCommands<String, String>> getClient() {
        ensureOpen();
        return stack.commands();
    }

    /**
     * Runs {@code work} on a connection of its own from a bounded pool (at most {@link RedisSettings#poolMaxTotal()}),
     * for transactions and blocking commands; the connection returns to the pool when the work's stage completes. Do not
     * close it; leave it as you found it. After a move, connections to the old node are not reused. A Redis Cluster has
     * no single node: there use {@link #withExclusiveConnection(String, Function)}.
     *
     * @param work the work; must not return {@code null}.
     * @param <T> the result type.
     * @return the stage of {@code work}; fails with {@link NoSuchElementException} at once if every pooled connection
     *     is in use.
     * @throws NullPointerException if {@code work} is {@code null}.
     * @throws IllegalStateException if this manager is closed, or talks to a Redis Cluster.
     */
    public <T> CompletionStage<T> withExclusiveConnection(
            Function<StatefulRedisConnection<String, String>, CompletionStage<T>> work) {
        Objects.requireNonNull(work, "work must not be null");
        ensureOpen();
        return stack.withExclusiveConnection(null, work);
    }

    /**
     * Runs {@code work} on a connection of its own to the node serving {@code key}: in a Redis Cluster the primary
     * owning the key's slot (a bounded pool per primary; every key the work uses must share the slot, e.g. one
     * {@code {hash tag}}); elsewhere the same as {@link #withExclusiveConnection(Function)}. Example: the module README.
     *
     * @param key a key the work uses; its slot picks the node in a cluster. Must not be {@code null}.
     * @param work the work; must not return {@code null}. Leave the connection as you found it.
     * @param <T> the result type.
     * @return the stage of {@code work}; fails with {@link NoSuchElementException} at once if every pooled connection
     *     is in use, with {@link IllegalStateException} if no primary serves the slot now (a cluster failing over).
     * @throws NullPointerException if {@code key} or {@code work} is {@code null}.
     * @throws IllegalStateException if this manager is closed.
     * @since 0.3
     */
    public <T> CompletionStage<T> withExclusiveConnection(
            String key, Function<StatefulRedisConnection<String, String>, CompletionStage<T>> work) {
        Objects.requireNonNull(key, "key must not be null");
        Objects.requireNonNull(work, "work must not be null");
        ensureOpen();
        return stack.withExclusiveConnection(key, work);
    }

    /**
     * Opens a connection of the caller's own, outside the pool, to the node the shared connection would reach now (in
     * Sentinel mode the primary), for state that must not be shared: RESP3 push messages such as {@code CLIENT
     * TRACKING} invalidations, {@code SUBSCRIBE}. Unlike every other connection of the manager it does <b>not</b>
     * reconnect, because the server forgets such state when a connection drops and a quiet reconnect would leave the
     * caller believing it still holds it: instead {@code onDisconnected} runs once (on a Lettuce thread, also when the
     * caller or {@link #close()} closes it) and the caller opens a new one if it still needs one. The caller closes it;
     * closing the manager closes it too. Same endpoint, credentials, TLS and timeouts as the shared connection; the
     * protocol is RESP3 where the server speaks it (Redis 6 and later).
     *
     * @param onDisconnected told once when the connection is gone; must not block.
     * @return a stage with the connection, failing with {@link TimeoutException} after
     *     {@link RedisSettings#connectTimeout()}, with Lettuce's connection exception, or, in {@link RedisMode#AUTO}
     *     mode that finds a Redis Cluster, with {@link IllegalStateException}.
     * @throws NullPointerException if {@code onDisconnected} is {@code null}.
     * @throws IllegalStateException if this manager is closed, or talks to a Redis Cluster (one connection reaches one
     *     node; a cluster has many).
     * @since 0.4
     */
    public CompletionStage<StatefulRedisConnection<String, String>> openDedicatedConnection(Runnable onDisconnected) {
        Objects.requireNonNull(onDisconnected, "onDisconnected must not be null");
        ensureOpen();
        return stack.openDedicated(onDisconnected);
    }

    /** @return the endpoint as a URL with credentials masked, e.g. {@code rediss://app:****@cache:6380}; safe to log. */
    public String getConnectionUrl() {
        return settings.maskedUrl();
    }

    /** @return the settings this manager was created with. */
    public RedisSettings settings() {
        return settings;
    }

    /** @return what the manager saw so far (replies, verdicts, moves, reconnects): a cheap snapshot for metrics. */
    public ConnectionStats stats() {
        return stack.guard.stats();
    }

    /**
     * Subscribes to the {@link ConnectionState} events of the shared connection (CONNECTED and DISCONNECTED once per
     * change; failed attempts; LEAVING_NODE and MOVED around a move; in a cluster, per node in use).
     *
     * @param listener the listener; one that throws does not affect others.
     * @return the subscription; close it to unsubscribe.
     * @throws NullPointerException if {@code listener} is {@code null}.
     * @throws IllegalStateException if this manager is closed.
     */
    public ConnectionStateSubscription subscribe(ConnectionStateListener listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        ensureOpen();
        return stack.tracker.subscribe(listener);
    }

    /**
     * Closes the pool, the shared connection, the client and its resources. Idempotent: later calls return the same
     * stage. Probes still pending complete with {@code up = false}.
     *
     * @return a stage completing when every resource is released.
     */
    public CompletionStage<Void> closeAsync() {
        if (!closed.compareAndSet(false, true)) {
            return closeFuture.minimalCompletionStage();
        }
        stack.close(closeFuture);
        return closeFuture.minimalCompletionStage();
    }

    /** Blocking {@link #closeAsync()}, waiting at most a few seconds. Idempotent. */
    @Override
    public void close() {
        try {
            closeAsync().toCompletableFuture().get(ClientStack.closeBound().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Closing the Redis connection manager for {} did not finish cleanly", getConnectionUrl(), e);
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("RedisConnectionManager is closed");
        }
    }
}
