package dev.redisintegration.redis.internal;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * Turns the connections of a cluster client (the cluster connection itself and one per node it talks to) into the
 * manager's one connection state: {@code DISCONNECTED} when a connection drops while it is still in use,
 * {@code CONNECTED} once every dropped one is back, closed, or leads to a node that no longer serves slots (a failed
 * primary whose replica took over). The tracker dedupes, so a node that flaps while another is still down publishes
 * nothing new. Connections Lettuce closes on purpose (topology refresh, stale nodes) are not drops.
 */
final class ClusterWatch implements RedisConnectionStateListener {

    private final ConnectionStateTracker tracker;
    private final Supplier<Partitions> partitions;
    private final Map<RedisChannelHandler<?, ?>, SocketAddress> addresses =
            Collections.synchronizedMap(new WeakHashMap<>());
    /** Dropped connections still in use, by their last remote address; guarded by itself. */
    private final Map<RedisChannelHandler<?, ?>, SocketAddress> down = new WeakHashMap<>();
    /** Off until the cluster connection exists: the seed connections of the first topology load are not "connected". */
    private volatile boolean active;

    ClusterWatch(ConnectionStateTracker tracker, Supplier<Partitions> partitions) {
        this.tracker = tracker;
        this.partitions = partitions;
    }

    /** The cluster connection was opened (or adopted after a late connect). */
    void clusterConnected() {
        active = true;
        settle();
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress socketAddress) {
        addresses.put(handler, socketAddress);
        synchronized (down) {
            down.remove(handler);
        }
        settle();
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
        if (handler.isClosed()) {
            synchronized (down) {
                down.remove(handler);
            }
            settle();
            return;
        }
        if (!active) {
            return;
        }
        SocketAddress address = addresses.get(handler);
        synchronized (down) {
            down.put(handler, address);
        }
        tracker.disconnected();
    }

    /** The topology changed: a node that lost its slots no longer counts as down. */
    void topologyChanged() {
        settle();
    }

    private void settle() {
        if (!active) {
            return;
        }
        Partitions view = partitions.get();
        boolean allUp;
        synchronized (down) {
            down.entrySet().removeIf(entry -> entry.getKey().isClosed() || !servesSlots(view, entry.getValue()));
            allUp = down.isEmpty();
        }
        if (allUp) {
            tracker.connected();
        }
    }

    /** Whether the node at {@code address} is a primary with slots in {@code view}; an unknown address counts as one. */
    private static boolean servesSlots(Partitions view, SocketAddress address) {
        if (view == null || !(address instanceof InetSocketAddress inet)) {
            return true;
        }
        String ip = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        RedisClusterNode node = view.getPartition(ip, inet.getPort());
        if (node == null && !ip.equals(inet.getHostString())) {
            node = view.getPartition(inet.getHostString(), inet.getPort());
        }
        // Not in the topology by that address (announced by name?): keep treating it as in use, to be safe.
        return node == null || node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.hasNoSlots();
    }
}
