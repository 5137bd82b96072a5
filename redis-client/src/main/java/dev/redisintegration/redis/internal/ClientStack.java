package dev.redisintegration.redis.internal;

import dev.redisintegration.redis.RedisSettings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * Everything one manager owns, wired together: Lettuce's resources and client, a timer thread of our own for
 * deadlines (Lettuce threads may be busy or blocked exactly when a deadline is due), the shared connection, the
 * exclusive pool, the failover guard, the prober and the state tracker. Closed in dependency order.
 */
public final class ClientStack {

  private static final Logger log = LoggerFactory.getLogger("dev.redisintegration.redis.RedisConnectionManager");
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

  public final ConnectionStateTracker tracker;
  public final SharedConnection shared;
  public final ExclusivePool pool;
  public final NodeGuard guard;
  public final Prober prober;
  private final String url;
  private final ClientResources resources;
  private final ScheduledThreadPoolExecutor timer;
  private final RedisClient client;
  private final Disposable reconnectFailures;

  /**
   * @param nameServer the DNS server to ask, or {@code null} for the system's.
   * @param latencyRecorder where Lettuce records command latencies.
   * @param isClosed whether the owning manager is closed (failures then are not reported).
   */
  public ClientStack(RedisSettings settings, InetSocketAddress nameServer, CommandLatencyRecorder latencyRecorder,
      java.util.function.BooleanSupplier isClosed) {
    this.url = settings.maskedUrl();
    FailureReasons reasons = new FailureReasons(settings.host(), settings.password(), settings.commandTimeout());
    this.tracker = new ConnectionStateTracker(url, Clock.systemUTC());
    this.resources = LettuceConfig.resources(settings, nameServer, latencyRecorder);
    this.timer = timer();
    this.client = RedisClient.create(resources);
    client.setOptions(LettuceConfig.clientOptions(settings));
    Connector connector = new Connector(client, LettuceConfig.redisUri(settings), resources, timer,
        settings.connectTimeout(), error -> {
          if (!isClosed.getAsBoolean()) {
            tracker.connectFailed(reasons.describe(error));
          }
        });
    this.shared = new SharedConnection(connector, timer, resources.reconnectDelay());
    this.pool = new ExclusivePool(connector, settings.poolMaxTotal(), RedisSettings.ENV_POOL_MAX_TOTAL);
    this.guard = new NodeGuard(shared, pool, tracker, timer, settings.pingTimeout(), settings.verifyInterval(),
        settings.expectedRole(), url);
    this.prober = new Prober(shared, timer, settings.pingTimeout(), settings.expectedRole(), reasons,
        tracker::lastFailure, guard::replicaSeen);
    shared.observe(guard);
    prober.explainMovesWith(guard::leavingReason);
    client.addListener((RedisConnectionStateListener) shared);
    client.addListener((CommandListener) guard);
    this.reconnectFailures = resources.eventBus().get()
        .filter(ReconnectFailedEvent.class::isInstance)
        .cast(ReconnectFailedEvent.class)
        .subscribe(event -> tracker.reconnectFailed(reasons.describe(event.getCause()), event.getAttempt()),
            error -> log.debug("Lettuce event stream ended", error));
  }

  /** Releases everything; {@code done} completes when the last resource is released. */
  public void close(CompletableFuture<Void> done) {
    guard.close();
    tracker.close();
    reconnectFailures.dispose();
    prober.closeAll();
    pool.closeAsync()
        .handle((ignored, error) -> shared.closeAsync()).thenCompose(Function.identity())
        .handle((ignored, error) -> client.shutdownAsync(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
        .thenCompose(Function.identity())
        .whenComplete((ignored, error) -> {
          if (error != null) {
            log.debug("Shutting down the Redis client for {} failed", url, error);
          }
          // The listener runs on a Lettuce thread that this very call terminates: complete from its future.
          resources.shutdown(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).addListener(finished -> {
            resources.addressResolverGroup().close(); // ours, not Lettuce's shared default: Lettuce leaves it open
            timer.shutdownNow();
            log.debug("Closed the Redis connection manager for {}", url);
            done.complete(null);
          });
        });
  }

  /** How long {@link #close(CompletableFuture)} may take at most, for a blocking close. */
  public static Duration closeBound() {
    return SHUTDOWN_TIMEOUT.multipliedBy(2);
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
