package dev.redisintegration.reliability;

import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.SwitchingProxy;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * A managed Redis in miniature: a primary and its replica (two real redis-servers) behind one name, the
 * {@link SwitchingProxy} the service gets as {@code REDIS_PRIMARY_ENDPOINT}. A failover promotes the replica and moves
 * the name to it; the old primary is demoted to a replica of the new one, killed or hung.
 */
final class ReplicatedPair implements AutoCloseable {

    /** The client name the service shows in {@code CLIENT LIST} (its {@code REDIS_CLIENT_NAME} default). */
    static final String SERVICE_CLIENT_NAME = "redis-integration";

    private static final Duration IN_SYNC_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern OFFSET = Pattern.compile("(?m)^(?:master_repl_offset|slave_repl_offset):(\\d+)\\r?$");

    private final RedisServer first;
    private final RedisServer second;
    private final SwitchingProxy name;
    private RedisServer primary;
    private RedisServer replica;

    private ReplicatedPair(RedisServer first, RedisServer second, SwitchingProxy name) {
        this.first = first;
        this.second = second;
        this.name = name;
        this.primary = first;
        this.replica = second;
    }

    /** Starts a primary, a replica in sync with it, and the name leading to the primary. */
    static ReplicatedPair start(String... extraArgs) {
        RedisServer first = RedisServer.builder().extraArgs(extraArgs).build();
        RedisServer second = null;
        try {
            second = RedisServer.builder().replicaOf(first).extraArgs(extraArgs).build();
            ReplicatedPair pair = new ReplicatedPair(first, second, SwitchingProxy.start(first));
            pair.awaitInSync();
            return pair;
        } catch (RuntimeException | Error e) {
            first.close();
            if (second != null) {
                second.close();
            }
            throw e;
        }
    }

    RedisServer primary() {
        return primary;
    }

    RedisServer replica() {
        return replica;
    }

    SwitchingProxy name() {
        return name;
    }

    /** {@code REDIS_PRIMARY_ENDPOINT} for the service: the name, never a node. */
    String endpoint() {
        return name.endpoint();
    }

    /**
     * When a failover happened, in {@link System#nanoTime()}.
     *
     * @param movedNanos right after the name moved to the new primary: what clients can notice starts here
     * @param writesOnlyOnNewPrimaryFrom from here on no node but the new primary can acknowledge a write (the old one
     *     is demoted, dead or hung), so every write acknowledged later must be on the new primary
     */
    record Failover(long movedNanos, long writesOnlyOnNewPrimaryFrom) {}

    /**
     * A planned failover as a managed service runs it: wait until the replica has every write, promote it, move the
     * name, demote the old primary to a replica of the new one (its clients stay connected; writes get READONLY).
     * Between the promotion and the demotion both nodes take writes for a few milliseconds; what the old one takes
     * then is lost, as in any failover without fencing, and is not held against the client.
     */
    Failover plannedFailover() {
        awaitInSync();
        RedisServer old = primary;
        RedisServer promoted = replica;
        promoted.promote();
        name.switchTo(promoted);
        long moved = System.nanoTime();
        old.replicaOf(promoted);
        long demoted = System.nanoTime();
        primary = promoted;
        replica = old;
        return new Failover(moved, demoted);
    }

    /** The primary dies (SIGKILL); its replica is promoted and the name moved to it. */
    Failover failoverAfterKill() {
        awaitInSync();
        primary.stop();
        return promoteReplicaAndMove();
    }

    /**
     * The primary hangs (SIGSTOP: sockets open, nothing answers); its replica is promoted and the name moved to it.
     * The old primary stays paused until {@link #close()}.
     */
    Failover failoverAfterHang() {
        awaitInSync();
        primary.pause();
        return promoteReplicaAndMove();
    }

    private Failover promoteReplicaAndMove() {
        RedisServer promoted = replica;
        promoted.promote();
        name.switchTo(promoted);
        long moved = System.nanoTime();
        replica = primary;
        primary = promoted;
        return new Failover(moved, moved);
    }

    /** Whether the service has a connection on {@code node}, by its client name in {@code CLIENT LIST}. */
    static boolean serviceConnectedTo(RedisServer node) {
        return node.clientList().stream().anyMatch(line -> line.contains(" name=" + SERVICE_CLIENT_NAME + " "));
    }

    /**
     * Waits until the replica's replication offset has reached the primary's as read just before: it holds every
     * write acknowledged until then, even while a writer keeps writing.
     */
    void awaitInSync() {
        Awaitility.await("replica " + replica.endpoint() + " in sync with primary " + primary.endpoint())
                .atMost(IN_SYNC_TIMEOUT)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    long primaryOffset = offset(primary.command("INFO", "replication"));
                    String replicaInfo = replica.command("INFO", "replication");
                    return replicaInfo.contains("master_link_status:up") && offset(replicaInfo) >= primaryOffset;
                });
    }

    private static long offset(String infoReplication) {
        Matcher m = OFFSET.matcher(infoReplication);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Override
    public void close() {
        try {
            name.close();
        } finally {
            try {
                first.close();
            } finally {
                second.close();
            }
        }
    }
}
