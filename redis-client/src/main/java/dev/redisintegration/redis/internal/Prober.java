package dev.redisintegration.redis.internal;

import dev.redisintegration.redis.ExpectedRole;
import dev.redisintegration.redis.RedisProbe;
import dev.redisintegration.redis.ReplicationRole;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Bounded health probes of the shared connection. A connect, when one is needed, is bounded by the connect timeout
 * and the round trip by the ping timeout, so a cold JVM's first probe is not charged for class loading and the TLS
 * handshake: the worst case of a first call is connect timeout + ping timeout, of every later one the ping timeout.
 */
public final class Prober {

  /** The reason of a probe that reached a replica while a primary was expected. */
  public static final String REPLICA_REASON = "connected to a replica, not the primary";

  private final SharedConnection shared;
  private final ScheduledExecutorService timer;
  private final Duration pingTimeout;
  private final ExpectedRole expectedRole;
  private final Supplier<String> lastFailure;
  private final FailureReasons reasons;
  private final Runnable replicaSeen;
  private volatile Supplier<String> leavingReason = () -> null;
  private final Set<CompletableFuture<RedisProbe>> pending = ConcurrentHashMap.newKeySet();

  /**
   * @param lastFailure the reason of the last failed connect or reconnect, added to a "not connected" reason.
   * @param replicaSeen told when a probe finds a replica while a primary is expected.
   */
  public Prober(SharedConnection shared, ScheduledExecutorService timer, Duration pingTimeout,
      ExpectedRole expectedRole, FailureReasons reasons, Supplier<String> lastFailure, Runnable replicaSeen) {
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

  /** Never completes exceptionally; see the class comment for its bound. */
  public CompletableFuture<RedisProbe> probe(boolean withRole) {
    long start = System.nanoTime();
    CompletableFuture<RedisProbe> result = new CompletableFuture<>();
    pending.add(result);
    result.whenComplete((probe, error) -> pending.remove(result));
    CompletableFuture<ReplicationRole> attempt;
    try {
      attempt = shared.get().thenCompose(connection -> Deadlines.failAfter(
          roundTrip(connection, withRole), pingTimeout, "", timer));
    } catch (RuntimeException e) {
      attempt = CompletableFuture.failedFuture(e);
    }
    attempt.whenComplete((role, error) -> result.complete(error == null ? judge(role, since(start))
        : RedisProbe.down(since(start), reason(error))));
    return result;
  }

  /**
   * One round trip on {@code connection}: {@code ROLE}, which proves the server answers (as {@code PONG} would) and
   * names its role; where {@code ROLE} is refused (an ACL without it, a proxy that does not know it), {@code PING}
   * with the role unknown. Unbounded: callers add their own deadline.
   */
  public static CompletableFuture<ReplicationRole> roundTrip(StatefulRedisConnection<String, String> connection,
      boolean withRole) {
    RedisAsyncCommands<String, String> commands = connection.async();
    if (!withRole) {
      return ping(commands);
    }
    return commands.role().toCompletableFuture()
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

  private RedisProbe judge(ReplicationRole role, Duration latency) {
    if (role == ReplicationRole.REPLICA && expectedRole == ExpectedRole.PRIMARY) {
      replicaSeen.run();
      return new RedisProbe(false, latency, REPLICA_REASON, role);
    }
    return RedisProbe.up(latency, role);
  }

  private String reason(Throwable error) {
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

  private static CompletableFuture<ReplicationRole> ping(RedisAsyncCommands<String, String> commands) {
    return commands.ping().toCompletableFuture().thenCompose(reply -> "PONG".equalsIgnoreCase(reply)
        ? CompletableFuture.completedFuture(ReplicationRole.UNKNOWN)
        : CompletableFuture.failedFuture(new IllegalStateException("unexpected reply to PING")));
  }

  private static ReplicationRole role(List<Object> reply) {
    if (reply == null || reply.isEmpty()) {
      return ReplicationRole.UNKNOWN;
    }
    return switch (String.valueOf(reply.get(0))) {
      case "master" -> ReplicationRole.PRIMARY;
      case "slave", "replica" -> ReplicationRole.REPLICA;
      default -> ReplicationRole.UNKNOWN;
    };
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }
}
