package dev.redisintegration.redis.internal;

import dev.redisintegration.redis.ExpectedRole;
import dev.redisintegration.redis.RedisProbe;
import dev.redisintegration.redis.ReplicationRole;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Bounded health probes of the shared connection. A connect, when one is needed, is bounded by the connect timeout
 * and the round by the ping timeout, so a cold JVM's first probe is not charged for class loading and the TLS
 * handshake: the worst case of a first call is connect timeout + ping timeout, of every later one the ping timeout.
 *
 * <p>The round depends on the topology: one {@code ROLE} round trip on a standalone connection (here), the Sentinels
 * and the data node at once ({@link SentinelProbe}), every primary of a cluster at once ({@link ClusterProbe}).
 */
public final class Prober {

    /** The second phase of a probe, once the shared connection is there: bounded by the ping timeout. */
    public interface Round {
        /**
         * @param startNanos when the probe started ({@link System#nanoTime()}), for its latency.
         * @return the probe; may fail, then the failure is described as the reason.
         */
        CompletableFuture<RedisProbe> run(StatefulConnection<String, String> connection, long startNanos);
    }

    /** The reason of a probe that reached a replica while a primary was expected. */
    public static final String REPLICA_REASON = "connected to a replica, not the primary";

    private final SharedConnection shared;
    private final ScheduledExecutorService timer;
    private final Duration pingTimeout;
    private final ExpectedRole expectedRole;
    private final Supplier<String> lastFailure;
    private final FailureReasons reasons;
    private final Runnable replicaSeen;
    private final Supplier<String> mode;
    private volatile Supplier<String> leavingReason = () -> null;
    private final Set<CompletableFuture<RedisProbe>> pending = ConcurrentHashMap.newKeySet();

    /**
     * @param lastFailure the reason of the last failed connect or reconnect, added to a "not connected" reason.
     * @param replicaSeen told when a probe finds a replica while a primary is expected.
     */
    /**
     * @param mode the mode's name for the probe's details ({@code standalone}, {@code sentinel}, {@code cluster}).
     */
    public Prober(
            SharedConnection shared,
            ScheduledExecutorService timer,
            Duration pingTimeout,
            ExpectedRole expectedRole,
            FailureReasons reasons,
            Supplier<String> lastFailure,
            Runnable replicaSeen,
            Supplier<String> mode) {
        this.mode = mode;
        this.shared = shared;
        this.timer = timer;
        this.pingTimeout = pingTimeout;
        this.expectedRole = expectedRole;
        this.reasons = reasons;
        this.lastFailure = lastFailure;
        this.replicaSeen = replicaSeen;
    }

    /** Where a failed probe learns why the manager is between nodes (see {@link NodeGuard#leavingReason()}). */
    public void explainMovesWith(Supplier<String> leavingReason) {
        this.leavingReason = leavingReason;
    }

    /**
     * Never completes exceptionally; see the class comment for its bound.
     *
     * @param round chooses the round once connected (the mode of an auto stack is known only then).
     */
    public CompletableFuture<RedisProbe> probe(Supplier<Round> round) {
        long start = System.nanoTime();
        CompletableFuture<RedisProbe> result = new CompletableFuture<>();
        pending.add(result);
        result.whenComplete((probe, error) -> pending.remove(result));
        CompletableFuture<RedisProbe> attempt;
        try {
            attempt = shared.get().thenCompose(connection -> round.get().run(connection, start));
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        attempt.whenComplete((probe, error) -> result.complete(
                error == null
                        ? probe
                        : new RedisProbe(
                                false,
                                since(start),
                                reason(error),
                                ReplicationRole.UNKNOWN,
                                Map.of("mode", mode.get()))));
        return result;
    }

    /** The standalone round: one {@code ROLE} (or {@code PING}) on the shared connection. */
    public Round standalone(boolean withRole) {
        return (connection, start) -> Deadlines.failAfter(roundTrip(connection, withRole), pingTimeout, "", timer)
                .thenApply(role -> judge(role, since(start)));
    }

    /**
     * One round trip on {@code connection}: {@code ROLE}, which proves the server answers (as {@code PONG} would) and
     * names its role; where {@code ROLE} is refused (an ACL without it, a proxy that does not know it), {@code PING}
     * with the role unknown. Unbounded: callers add their own deadline.
     */
    public static CompletableFuture<ReplicationRole> roundTrip(
            StatefulConnection<String, String> connection, boolean withRole) {
        RedisClusterAsyncCommands<String, String> commands = Commands.of(connection);
        if (!withRole) {
            return ping(commands);
        }
        return commands.role()
                .toCompletableFuture()
                .thenApply(Prober::role)
                .exceptionallyCompose(error -> unwrap(error) instanceof RedisCommandExecutionException
                        ? ping(commands)
                        : CompletableFuture.failedFuture(error));
    }

    /** Completes every pending probe as failed ({@code "client closed"}). */
    public void closeAll() {
        for (CompletableFuture<RedisProbe> probe : pending) {
            probe.complete(RedisProbe.down(Duration.ZERO, "client closed"));
        }
    }

    /** Up unless a replica where a primary is expected; details: the mode and the node. */
    RedisProbe judge(ReplicationRole role, Duration latency) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", mode.get());
        details.put("node", shared.remoteAddress());
        if (role == ReplicationRole.REPLICA && expectedRole == ExpectedRole.PRIMARY) {
            replicaSeen.run();
            return new RedisProbe(false, latency, REPLICA_REASON, role, details);
        }
        return new RedisProbe(true, latency, null, role, details);
    }

    String reason(Throwable error) {
        String reason = reasons.describe(error);
        String leaving = leavingReason.get();
        if (reason.startsWith("not connected") && leaving != null) {
            return leaving + "; reconnecting through the endpoint";
        }
        String last = lastFailure.get();
        if (reason.startsWith("not connected") && last != null) {
            return reason + ", last attempt: " + last;
        }
        return reason;
    }

    private static CompletableFuture<ReplicationRole> ping(RedisClusterAsyncCommands<String, String> commands) {
        return commands.ping()
                .toCompletableFuture()
                .thenCompose(reply -> "PONG".equalsIgnoreCase(reply)
                        ? CompletableFuture.completedFuture(ReplicationRole.UNKNOWN)
                        : CompletableFuture.failedFuture(new IllegalStateException("unexpected reply to PING")));
    }

    static ReplicationRole role(List<Object> reply) {
        if (reply == null || reply.isEmpty()) {
            return ReplicationRole.UNKNOWN;
        }
        return switch (String.valueOf(reply.get(0))) {
            case "master" -> ReplicationRole.PRIMARY;
            case "slave", "replica" -> ReplicationRole.REPLICA;
            default -> ReplicationRole.UNKNOWN;
        };
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
