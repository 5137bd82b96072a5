package dev.redisintegration.redis.internal;

import dev.redisintegration.redis.RedisSettings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * The Redis Cluster side of a manager: Lettuce's cluster client (on the manager's resources, with topology refresh),
 * the connection states of its node connections, and exclusive connections per primary. The cluster's topology is the
 * source of truth: Lettuce refreshes it on redirects, persistent reconnects and periodically; this class asks for a
 * refresh when it sees the topology is stale (a redirect on an exclusive connection, a probe that found another
 * owner), at most once per second.
 */
public final class ClusterTopology {

    private static final Logger log = LoggerFactory.getLogger("dev.redisintegration.redis.RedisConnectionManager");
    private static final Duration REFRESH_SPACING = Duration.ofSeconds(1);

    private final RedisSettings settings;
    private final ClientResources resources;
    private final ScheduledExecutorService timer;
    private final RedisClient nodeClient;
    private final RedisClusterClient client;
    private final ClusterWatch watch;
    private final Disposable topologyChanges;
    private final Map<String, ExclusivePool> pools = new ConcurrentHashMap<>();
    private volatile long nextRefresh = System.nanoTime();
    private volatile StatefulRedisClusterConnection<String, String> connection;
    private volatile boolean closed;
    /** The client's view of the topology (Lettuce updates it in place), once a connection loaded it. */
    private volatile Partitions partitions;

    /**
     * @param nodeClient the standalone client exclusive connections to one primary are opened with.
     * @param commandListener told about every failed command of the cluster's connections ({@code READONLY} counts).
     */
    public ClusterTopology(
            RedisSettings settings,
            ClientResources resources,
            ScheduledExecutorService timer,
            RedisClient nodeClient,
            ConnectionStateTracker tracker,
            CommandListener commandListener) {
        this.settings = settings;
        this.resources = resources;
        this.timer = timer;
        this.nodeClient = nodeClient;
        this.client = RedisClusterClient.create(resources, LettuceConfig.clusterSeeds(settings));
        client.setOptions(LettuceConfig.clusterClientOptions(settings));
        client.addListener(commandListener);
        this.watch = new ClusterWatch(tracker, this::partitionsOrNull);
        client.addListener(watch);
        this.topologyChanges = resources
                .eventBus()
                .get()
                .filter(ClusterTopologyChangedEvent.class::isInstance)
                .subscribe(event -> topologyChanged(), error -> log.debug("Lettuce event stream ended", error));
    }

    /**
     * Opens the cluster connection (Lettuce loads the topology from the seeds first), then a connection to every
     * primary: with commands rejected while disconnected, Lettuce rejects a command for a node whose connection is still
     * being opened, so the shared connection is handed out only once they are open (or failed, e.g. a node that is
     * down). All of it within the caller's connect deadline.
     */
    public CompletableFuture<StatefulConnection<String, String>> open() {
        // connectAsync needs the topology loaded (only the blocking connect() loads it itself): load it, without
        // blocking.
        return client.refreshPartitionsAsync()
                .toCompletableFuture()
                .thenCompose(loaded -> client.connectAsync(StringCodec.UTF8))
                .thenCompose(opened -> {
                    connection = opened;
                    partitions = opened.getPartitions();
                    return openNodeConnections(opened).thenApply(ignored -> opened);
                });
    }

    /** The shared cluster connection exists now. */
    public void connected() {
        watch.clusterConnected();
    }

    /**
     * Runs {@code work} on an exclusive connection to the primary serving {@code key}'s slot, per the client's view of
     * the topology: one bounded pool per primary.
     */
    public <T> CompletionStage<T> withExclusiveConnection(
            StatefulRedisClusterConnection<String, String> connection,
            String key,
            Function<StatefulRedisConnection<String, String>, CompletionStage<T>> work) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("RedisConnectionManager is closed"));
        }
        int slot = SlotHash.getSlot(key);
        RedisClusterNode owner = connection.getPartitions().getMasterBySlot(slot);
        if (owner == null || owner.getUri() == null) {
            requestRefresh();
            return CompletableFuture.failedFuture(new IllegalStateException("no Redis Cluster node serves slot " + slot
                    + " (of the key) now: the cluster may be failing over; the topology is being refreshed"));
        }
        String host = owner.getUri().getHost();
        int port = owner.getUri().getPort();
        ExclusivePool pool = pools.computeIfAbsent(
                host + ":" + port,
                address -> new ExclusivePool(
                        new Connector<StatefulRedisConnection<String, String>>(
                                () -> nodeClient.connectAsync(
                                        StringCodec.UTF8, LettuceConfig.nodeUri(settings, host, port)),
                                resources,
                                timer,
                                settings.connectTimeout(),
                                error -> log.debug("Exclusive connection to {} failed", address, error)),
                        settings.poolMaxTotal(),
                        RedisSettings.ENV_POOL_MAX_TOTAL));
        return pool.run(work);
    }

    /** Asks Lettuce to reload the topology now, at most once per second. */
    public void requestRefresh() {
        long now = System.nanoTime();
        long next = nextRefresh;
        if (now - next >= 0) {
            nextRefresh = now + REFRESH_SPACING.toNanos();
            client.refreshPartitionsAsync().whenComplete((ignored, error) -> {
                if (error != null) {
                    log.debug("Refreshing the Redis Cluster topology failed", error);
                }
            });
        }
    }

    /** The client's view of the topology, or {@code null} before the first connect (never loads it: that blocks). */
    Partitions partitionsOrNull() {
        return partitions;
    }

    public CompletableFuture<Void> closeAsync(Duration timeout) {
        closed = true;
        topologyChanges.dispose();
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        pools.values().forEach(pool -> closing.add(pool.closeAsync().exceptionally(error -> null)));
        return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
                .thenCompose(ignored -> client.shutdownAsync(0, timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    private void topologyChanged() {
        watch.topologyChanged();
        Partitions view = partitionsOrNull();
        StatefulRedisClusterConnection<String, String> cluster = connection;
        if (view == null || cluster == null) {
            return;
        }
        // A promoted replica is a new primary: open its connection now, not with the first command for its slots
        // (which Lettuce would reject while the connection is being opened).
        openNodeConnections(cluster);
        // Exclusive connections to a node that no longer serves slots are not handed out again.
        pools.forEach((address, pool) -> {
            int colon = address.lastIndexOf(':');
            RedisClusterNode node =
                    view.getPartition(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
            if (node == null || !node.is(RedisClusterNode.NodeFlag.UPSTREAM) || node.hasNoSlots()) {
                pool.drain();
            }
        });
    }

    /** Opens the connections to every primary that serves slots; never fails. */
    private static CompletableFuture<Void> openNodeConnections(StatefulRedisClusterConnection<String, String> cluster) {
        List<CompletableFuture<?>> opening = new ArrayList<>();
        for (RedisClusterNode node : cluster.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.hasNoSlots()) {
                // By host and port, as Lettuce routes slots (a node id would open a second connection to the node).
                opening.add(cluster.getConnectionAsync(
                                node.getUri().getHost(), node.getUri().getPort())
                        .handle((opened, error) -> null));
            }
        }
        return CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new));
    }
}
