package dev.redisintegration.redis.internal;

import dev.redisintegration.redis.RedisMode;
import dev.redisintegration.redis.RedisProbe;
import dev.redisintegration.redis.RedisSettings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * Everything one manager owns, wired together: Lettuce's resources and clients, a timer thread of our own for
 * deadlines (Lettuce threads may be busy or blocked exactly when a deadline is due), the shared connection, the
 * exclusive pool, the failover guard, the prober and the state tracker; for Redis Cluster the cluster client and its
 * parts, for Sentinel the probe's links to the Sentinels. Closed in dependency order.
 *
 * <p>The mode is fixed at construction, except {@link RedisMode#AUTO} with one host: the first connect asks the
 * server ({@code INFO cluster}) and the answer decides for the life of the manager.
 */
public final class ClientStack {

    private static final Logger log = LoggerFactory.getLogger("dev.redisintegration.redis.RedisConnectionManager");
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    public final ConnectionStateTracker tracker;
    public final SharedConnection shared;
    public final ExclusivePool pool;
    public final NodeGuard guard;
    public final Prober prober;
    private final RedisSettings settings;
    private final String url;
    private final FailureReasons reasons;
    private final ClientResources resources;
    private final ScheduledThreadPoolExecutor timer;
    private final RedisClient client;
    private final RedisURI uri;
    private final DedicatedConnections dedicated;
    private final Disposable reconnectFailures;
    /** {@link RedisMode#AUTO} until the first connect decided. */
    private final AtomicReference<RedisMode> mode;

    private final SentinelProbe sentinelProbe;
    private final Object clusterLock = new Object();
    private volatile ClusterTopology cluster;
    private volatile ClusterProbe clusterProbe;
    private boolean closing; // guarded by clusterLock

    /**
     * @param nameServer the DNS server to ask, or {@code null} for the system's.
     * @param latencyRecorder where Lettuce records command latencies.
     * @param isClosed whether the owning manager is closed (failures then are not reported).
     */
    public ClientStack(
            RedisSettings settings,
            InetSocketAddress nameServer,
            CommandLatencyRecorder latencyRecorder,
            BooleanSupplier isClosed) {
        this.settings = settings;
        this.url = settings.maskedUrl();
        this.mode = new AtomicReference<>(settings.mode());
        this.reasons = new FailureReasons(
                settings.host(), settings.password(), settings.sentinelPassword(), settings.commandTimeout());
        this.tracker = new ConnectionStateTracker(url, Clock.systemUTC());
        this.resources = LettuceConfig.resources(settings, nameServer, latencyRecorder);
        this.timer = timer();
        this.client = RedisClient.create(resources);
        client.setOptions(LettuceConfig.clientOptions(settings));
        this.uri = LettuceConfig.redisUri(settings);
        this.dedicated = new DedicatedConnections(settings, resources, timer, uri);
        Consumer<Throwable> connectFailed = error -> {
            if (!isClosed.getAsBoolean()) {
                tracker.connectFailed(reasons.describe(error));
            }
        };
        this.shared = new SharedConnection(
                new Connector<>(this::openShared, resources, timer, settings.connectTimeout(), connectFailed),
                timer,
                resources.reconnectDelay());
        this.pool = new ExclusivePool(
                new Connector<>(
                        () -> client.connectAsync(StringCodec.UTF8, uri),
                        resources,
                        timer,
                        settings.connectTimeout(),
                        connectFailed),
                settings.poolMaxTotal(),
                RedisSettings.ENV_POOL_MAX_TOTAL);
        this.guard = new NodeGuard(
                shared,
                pool,
                tracker,
                timer,
                settings.pingTimeout(),
                settings.verifyInterval(),
                settings.expectedRole(),
                url,
                this::isCluster,
                () -> {
                    ClusterTopology topology = cluster;
                    if (topology != null) {
                        topology.requestRefresh();
                    }
                });
        this.prober = new Prober(
                shared,
                timer,
                settings.pingTimeout(),
                settings.expectedRole(),
                reasons,
                tracker::lastFailure,
                guard::replicaSeen,
                () -> mode.get().name().toLowerCase(Locale.ROOT));
        this.sentinelProbe = settings.mode() == RedisMode.SENTINEL
                ? new SentinelProbe(
                        settings,
                        client,
                        resources,
                        timer,
                        prober,
                        shared,
                        reasons::describe,
                        guard::primaryIsElsewhere)
                : null;
        prober.explainMovesWith(guard::leavingReason);
        shared.observe(new SharedConnection.Observer() {
            @Override
            public void connected(String remote) {
                ClusterTopology topology = cluster;
                if (isCluster() && topology != null) {
                    topology.connected();
                } else {
                    guard.connected(remote);
                }
            }

            @Override
            public void disconnected() {
                guard.disconnected();
            }
        });
        client.addListener((RedisConnectionStateListener) shared);
        client.addListener((CommandListener) guard);
        if (settings.mode() == RedisMode.CLUSTER) {
            cluster();
        }
        this.reconnectFailures = resources
                .eventBus()
                .get()
                .filter(ReconnectFailedEvent.class::isInstance)
                .cast(ReconnectFailedEvent.class)
                .subscribe(
                        event -> tracker.reconnectFailed(reasons.describe(event.getCause()), event.getAttempt()),
                        error -> log.debug("Lettuce event stream ended", error));
    }

    /** The mode now: {@link RedisMode#AUTO} while an auto stack has not connected yet. */
    public RedisMode mode() {
        return mode.get();
    }

    /** The shared connection's commands, connecting first if needed. */
    public CompletableFuture<RedisClusterAsyncCommands<String, String>> commands() {
        return shared.get().thenApply(Commands::of);
    }

    /** Never completes exceptionally; bounded as {@link Prober} says. */
    public CompletableFuture<RedisProbe> probe(boolean withRole) {
        if (sentinelProbe != null && withRole) {
            sentinelProbe.openLinks();
        }
        return prober.probe(() -> {
            RedisMode now = mode.get();
            if (now == RedisMode.CLUSTER) {
                return clusterProbe;
            }
            return now == RedisMode.SENTINEL && withRole ? sentinelProbe : prober.standalone(withRole);
        });
    }

    /**
     * Runs {@code work} on an exclusive connection: from the pool of the one node (standalone, Sentinel), or, in a
     * cluster, from the pool of the primary serving {@code key}'s slot.
     *
     * @param key the key whose primary to use in a cluster, or {@code null} for "no key" (not possible in a cluster).
     * @throws IllegalStateException at once if the stack is a cluster and {@code key} is {@code null}.
     */
    public <T> CompletionStage<T> withExclusiveConnection(
            String key, Function<StatefulRedisConnection<String, String>, CompletionStage<T>> work) {
        RedisMode now = mode.get();
        if (now == RedisMode.AUTO) {
            // Which pool depends on the mode, which the first connect decides.
            return shared.get().thenCompose(connection -> withExclusiveConnection(key, work));
        }
        if (now != RedisMode.CLUSTER) {
            return pool.run(work);
        }
        if (key == null) {
            throw new IllegalStateException(noKeyInCluster());
        }
        return shared.get()
                .thenCompose(connection -> cluster.withExclusiveConnection(
                        (StatefulRedisClusterConnection<String, String>) connection, key, work));
    }

    /**
     * A connection of the caller's own that does not reconnect (see {@link DedicatedConnections}); standalone and
     * Sentinel only.
     *
     * @throws IllegalStateException at once if the stack is a cluster (the stage fails with it if auto finds one).
     */
    public CompletableFuture<StatefulRedisConnection<String, String>> openDedicated(Runnable onDisconnected) {
        RedisMode now = mode.get();
        if (now == RedisMode.AUTO) {
            return shared.get().thenCompose(connection -> openDedicated(onDisconnected));
        }
        if (now == RedisMode.CLUSTER) {
            throw new IllegalStateException(dedicatedInCluster());
        }
        return dedicated.open(onDisconnected);
    }

    /** The message of {@code openDedicatedConnection} in a cluster. */
    public static String dedicatedInCluster() {
        return "a dedicated connection goes to one node, and a Redis Cluster has many: it is available in standalone "
                + "and Sentinel mode only";
    }

    /** The message of {@code withExclusiveConnection(work)} in a cluster: what to use instead. */
    public static String noKeyInCluster() {
        return "withExclusiveConnection(work) needs one node, and a Redis Cluster has many: use "
                + "withExclusiveConnection(key, work), which runs on the primary serving the key's slot (keys of one "
                + "transaction must share a slot, e.g. with a {hash tag})";
    }

    /** Releases everything; {@code done} completes when the last resource is released. */
    public void close(CompletableFuture<Void> done) {
        synchronized (clusterLock) {
            closing = true; // no cluster client is created from now on: see cluster()
        }
        guard.close();
        tracker.close();
        reconnectFailures.dispose();
        prober.closeAll();
        CompletableFuture<Void> sentinels =
                sentinelProbe == null ? CompletableFuture.completedFuture(null) : sentinelProbe.closeAsync();
        sentinels
                .handle((ignored, error) -> pool.closeAsync())
                .thenCompose(Function.identity())
                .handle((ignored, error) -> dedicated.closeAsync(SHUTDOWN_TIMEOUT))
                .thenCompose(Function.identity())
                .handle((ignored, error) -> shared.closeAsync())
                .thenCompose(Function.identity())
                .handle((ignored, error) -> {
                    ClusterTopology topology;
                    synchronized (clusterLock) {
                        topology = cluster;
                    }
                    return topology == null
                            ? CompletableFuture.<Void>completedFuture(null)
                            : topology.closeAsync(SHUTDOWN_TIMEOUT);
                })
                .thenCompose(Function.identity())
                .handle((ignored, error) -> client.shutdownAsync(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .thenCompose(Function.identity())
                .whenComplete((ignored, error) -> {
                    if (error != null) {
                        log.debug("Shutting down the Redis client for {} failed", url, error);
                    }
                    // The listener runs on a Lettuce thread that this very call terminates: complete from its future.
                    resources
                            .shutdown(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .addListener(finished -> {
                                resources
                                        .addressResolverGroup()
                                        .close(); // ours, not Lettuce's shared default: Lettuce leaves it open
                                timer.shutdownNow();
                                log.debug("Closed the Redis connection manager for {}", url);
                                done.complete(null);
                            });
                });
    }

    /** How long {@link #close(CompletableFuture)} may take at most, for a blocking close. */
    public static Duration closeBound() {
        return SHUTDOWN_TIMEOUT.multipliedBy(3);
    }

    private boolean isCluster() {
        return mode.get() == RedisMode.CLUSTER;
    }

    /** How the shared connection is opened, per mode; see the class comment for auto. */
    private CompletableFuture<StatefulConnection<String, String>> openShared() {
        RedisMode now = mode.get();
        if (now == RedisMode.CLUSTER) {
            return cluster().open();
        }
        CompletableFuture<StatefulRedisConnection<String, String>> standalone =
                client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
        if (now != RedisMode.AUTO) {
            return standalone.thenApply(connection -> connection);
        }
        return standalone.thenCompose(this::decide);
    }

    /**
     * Auto mode, first connect: a server whose {@code INFO cluster} says {@code cluster_enabled:1} is a cluster node,
     * used as a seed from now on; any other server is standalone. One that refuses {@code INFO} (an ACL) stays
     * standalone, with one log line saying how to choose.
     */
    private CompletableFuture<StatefulConnection<String, String>> decide(
            StatefulRedisConnection<String, String> connection) {
        return connection
                .async()
                .info("cluster")
                .toCompletableFuture()
                .handle((info, error) -> {
                    if (error != null) {
                        Throwable cause = Prober.unwrap(error);
                        if (!(cause instanceof RedisCommandExecutionException)) {
                            connection.closeAsync();
                            return CompletableFuture.<StatefulConnection<String, String>>failedFuture(cause);
                        }
                        if (mode.compareAndSet(RedisMode.AUTO, RedisMode.STANDALONE)) {
                            log.info(
                                    "Redis at {} refused INFO ({}), so it cannot tell whether it is a Redis Cluster node: using it "
                                            + "as a standalone server; set {}=standalone or {}=cluster to say which",
                                    url,
                                    reasons.describe(cause),
                                    RedisSettings.ENV_MODE,
                                    RedisSettings.ENV_MODE);
                        }
                        return CompletableFuture.<StatefulConnection<String, String>>completedFuture(connection);
                    }
                    if (info != null && info.contains("cluster_enabled:1")) {
                        connection.closeAsync();
                        if (mode.compareAndSet(RedisMode.AUTO, RedisMode.CLUSTER)) {
                            log.info(
                                    "Redis at {} is a Redis Cluster node: using it as a cluster (seed); set {}=cluster to say so "
                                            + "and skip this check",
                                    url,
                                    RedisSettings.ENV_MODE);
                        }
                        return cluster().open();
                    }
                    mode.compareAndSet(RedisMode.AUTO, RedisMode.STANDALONE);
                    return CompletableFuture.<StatefulConnection<String, String>>completedFuture(connection);
                })
                .thenCompose(Function.identity());
    }

    /** The cluster parts, created once (at construction in cluster mode, else when auto finds a cluster). */
    private ClusterTopology cluster() {
        ClusterTopology topology = cluster;
        if (topology != null) {
            return topology;
        }
        synchronized (clusterLock) {
            if (cluster == null) {
                if (closing) {
                    throw new IllegalStateException("RedisConnectionManager is closed");
                }
                ClusterTopology created = new ClusterTopology(settings, resources, timer, client, tracker, guard);
                clusterProbe = new ClusterProbe(created, timer, settings.pingTimeout(), reasons::describe);
                cluster = created;
            }
            return cluster;
        }
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "redis-client-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true); // most deadlines are cancelled: do not keep them queued until due
        return timer;
    }
}
