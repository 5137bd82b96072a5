package dev.redisintegration.redis;

import dev.redisintegration.redis.internal.ConnectionStateTracker;
import dev.redisintegration.redis.internal.Deadlines;
import dev.redisintegration.redis.internal.Durations;
import dev.redisintegration.redis.internal.FailureReasons;
import dev.redisintegration.redis.internal.LettuceConfig;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.support.AsyncConnectionPoolSupport;
import io.lettuce.core.support.BoundedAsyncPool;
import io.lettuce.core.support.BoundedPoolConfig;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * The process-wide Redis connection manager: one lazily opened, shared, multiplexed Lettuce connection for ordinary
 * commands, a small bounded pool of exclusive connections for transactions and blocking commands, bounded health
 * pings, and connection-state events.
 *
 * <p>Every instance owns its Lettuce {@link ClientResources} and {@link RedisClient} and releases them on
 * {@link #close()}. The shared connection reconnects automatically with a jittered exponential back-off capped at
 * {@link RedisSettings#reconnectMaxDelay()}; while it is disconnected, commands fail fast instead of queueing, and
 * every command is bounded by {@link RedisSettings#commandTimeout()}.
 *
 * <p>After {@link #close()}, {@link #ping()}, {@link #probe()}, {@link #getClient()},
 * {@link #withExclusiveConnection(Function)} and {@link #subscribe(ConnectionStateListener)} throw
 * {@link IllegalStateException} at once; {@link #settings()} and {@link #getConnectionUrl()} keep working because they
 * only describe the configuration.
 *
 * <p>Thread-safe. Do not call the blocking {@link #close()} from a Lettuce thread (a callback of a returned stage);
 * use {@link #closeAsync()} there.
 *
 * @since 0.1
 */
public final class RedisConnectionManager implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RedisConnectionManager.class);
  private static final String CLOSED_MESSAGE = "RedisConnectionManager is closed";
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
  private static final Object INSTANCE_LOCK = new Object();
  private static volatile RedisConnectionManager instance;

  private final RedisSettings settings;
  private final String connectionUrl;
  private final ClientResources resources;
  /** Our own timer thread for deadlines: Lettuce threads may be busy (or blocked) exactly when a deadline is due. */
  private final ScheduledThreadPoolExecutor deadlines;
  private final RedisClient client;
  private final RedisURI uri;
  private final FailureReasons failureReasons;
  private final ConnectionStateTracker tracker;
  private final Disposable reconnectFailures;
  private final AtomicReference<CompletableFuture<StatefulRedisConnection<String, String>>> shared =
      new AtomicReference<>();
  private volatile StatefulRedisConnection<String, String> sharedConnection;
  private final Object poolLock = new Object();
  private BoundedAsyncPool<StatefulRedisConnection<String, String>> pool; // guarded by poolLock
  private final Set<CompletableFuture<RedisProbe>> pendingProbes = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Shared connects that failed in a row; drives the back-off of {@link #scheduleConnectRetry()}. */
  private final AtomicInteger failedConnects = new AtomicInteger();
  private final AtomicBoolean connectRetryScheduled = new AtomicBoolean();
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();

  private RedisConnectionManager(RedisSettings settings) {
    this.settings = settings;
    this.connectionUrl = settings.maskedUrl();
    this.failureReasons = new FailureReasons(settings.host(), settings.password(), settings.commandTimeout());
    this.tracker = new ConnectionStateTracker(connectionUrl, Clock.systemUTC());
    this.resources = LettuceConfig.resources(settings);
    this.deadlines = deadlineTimer();
    this.uri = LettuceConfig.redisUri(settings);
    this.client = RedisClient.create(resources);
    client.setOptions(LettuceConfig.clientOptions(settings));
    client.addListener(new SharedConnectionListener());
    this.reconnectFailures = resources.eventBus().get()
        .filter(ReconnectFailedEvent.class::isInstance)
        .cast(ReconnectFailedEvent.class)
        .subscribe(event -> tracker.reconnectFailed(failureReasons.describe(event.getCause()), event.getAttempt()),
            error -> log.debug("Lettuce event stream ended", error));
  }

  /**
   * The process-wide instance, created from {@code System.getenv()} on first use (thread-safe).
   *
   * @return the shared manager; once closed, it stays closed.
   * @throws IllegalArgumentException if a {@code REDIS_*} variable is invalid (retried on the next call).
   */
  public static RedisConnectionManager getInstance() {
    RedisConnectionManager local = instance;
    if (local == null) {
      synchronized (INSTANCE_LOCK) {
        local = instance;
        if (local == null) {
          local = create(RedisSettings.fromEnvironment(System.getenv()));
          instance = local;
        }
      }
    }
    return local;
  }

  /**
   * An independent manager (for tests or a second endpoint); the caller closes it. Does not connect yet.
   *
   * @param settings the settings, must not be {@code null}.
   * @return a new manager.
   */
  public static RedisConnectionManager create(RedisSettings settings) {
    return new RedisConnectionManager(Objects.requireNonNull(settings, "settings must not be null"));
  }

  /**
   * Sends {@code PING}, connecting first if needed.
   *
   * @return a stage completing with {@code true} only if {@code PONG} arrived within
   *     {@link RedisSettings#pingTimeout()}; otherwise {@code false}. Never completes exceptionally, and completes
   *     within the ping timeout plus scheduling slack even when Redis is down, hung, unreachable or not connected yet.
   * @throws IllegalStateException if this manager is closed.
   */
  public CompletionStage<Boolean> ping() {
    return probe(false).thenApply(RedisProbe::up);
  }

  /**
   * A detailed ping for health checks, bounded by {@link RedisSettings#pingTimeout()}: one {@code ROLE} round trip,
   * which proves the server answers (as {@code PONG} would) and tells whether it is the primary or a replica. Where
   * the server refuses {@code ROLE} (an ACL without it), it falls back to {@code PING} and reports the role unknown.
   *
   * @return a stage with the latency, a short human reason on failure (e.g. {@code "connection refused"},
   *     {@code "timed out after 500 ms"}, {@code "authentication failed (WRONGPASS: …)"}) and the replication role.
   *     Never completes exceptionally; the reason never contains the password.
   * @throws IllegalStateException if this manager is closed.
   */
  public CompletionStage<RedisProbe> probe() {
    return probe(true);
  }

  private CompletionStage<RedisProbe> probe(boolean withRole) {
    ensureOpen();
    long start = System.nanoTime();
    Duration timeout = settings.pingTimeout();
    CompletableFuture<RedisProbe> result = new CompletableFuture<>();
    pendingProbes.add(result);
    result.whenComplete((probe, error) -> pendingProbes.remove(result));
    ScheduledFuture<?> timer;
    try {
      timer = deadlines.schedule(() -> {
        boolean connecting = sharedConnection == null;
        result.complete(RedisProbe.down(since(start), "timed out after " + Durations.format(timeout)
            + (connecting ? " while connecting" : "")));
      }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      result.complete(RedisProbe.down(since(start), "client closed"));
      return result;
    }
    CompletableFuture<RedisProbe> attempt;
    try {
      attempt = sharedConnection().thenCompose(connection -> {
        RedisAsyncCommands<String, String> commands = connection.async();
        if (!withRole) {
          return pingProbe(commands, start, ReplicationRole.UNKNOWN);
        }
        // One round trip: a ROLE reply proves the server answers, as PONG would, and names its role. Where ROLE is
        // refused (an ACL without it, a proxy that does not know it), fall back to PING with the role unknown.
        return commands.role().toCompletableFuture()
            .thenApply(reply -> RedisProbe.up(since(start), role(reply)))
            .exceptionallyCompose(error -> unwrap(error) instanceof RedisCommandExecutionException
                ? pingProbe(commands, start, ReplicationRole.UNKNOWN)
                : CompletableFuture.failedFuture(error));
      });
    } catch (RuntimeException e) {
      attempt = CompletableFuture.failedFuture(e);
    }
    attempt.whenComplete((probe, error) -> {
      timer.cancel(false);
      result.complete(error == null ? probe : RedisProbe.down(since(start), reason(error)));
    });
    return result;
  }

  private static CompletableFuture<RedisProbe> pingProbe(RedisAsyncCommands<String, String> commands, long start,
      ReplicationRole role) {
    return commands.ping().toCompletableFuture().thenApply(reply -> "PONG".equalsIgnoreCase(reply)
        ? RedisProbe.up(since(start), role)
        : RedisProbe.down(since(start), "unexpected reply to PING"));
  }

  /**
   * The async commands of the shared, multiplexed connection (thread-safe; do not close it). Connects lazily:
   * concurrent first calls share one connect; a failed connect is forgotten, so the next call tries again.
   *
   * @return a stage with the commands, failing if the connect fails or exceeds
   *     {@link RedisSettings#connectTimeout()}.
   * @throws IllegalStateException if this manager is closed.
   */
  public CompletionStage<RedisAsyncCommands<String, String>> getClient() {
    ensureOpen();
    return sharedConnection().thenApply(StatefulRedisConnection::async);
  }

  /**
   * Runs {@code work} on a connection of its own from a bounded pool (created on first use, at most
   * {@link RedisSettings#poolMaxTotal()} connections), for transactions ({@code MULTI}/{@code EXEC}) and blocking
   * commands. The connection returns to the pool when the returned stage of {@code work} completes; do not close it,
   * and leave it as you found it (no open transaction, database unchanged).
   *
   * @param work the work, must not be {@code null} nor return {@code null}.
   * @param <T> the result type.
   * @return the stage of {@code work}; fails with {@link NoSuchElementException} at once if every pooled connection
   *     is in use.
   * @throws IllegalStateException if this manager is closed.
   */
  public <T> CompletionStage<T> withExclusiveConnection(
      Function<StatefulRedisConnection<String, String>, CompletionStage<T>> work) {
    Objects.requireNonNull(work, "work must not be null");
    ensureOpen();
    BoundedAsyncPool<StatefulRedisConnection<String, String>> connections = pool();
    CompletableFuture<StatefulRedisConnection<String, String>> acquired = connections.acquire()
        .exceptionallyCompose(error -> CompletableFuture.failedFuture(unwrap(error) instanceof NoSuchElementException
            ? new NoSuchElementException("all " + settings.poolMaxTotal() + " exclusive Redis connections are in use ("
                + RedisSettings.ENV_POOL_MAX_TOTAL + ")")
            : unwrap(error)));
    return acquired.thenCompose(connection -> {
      CompletionStage<T> stage;
      try {
        stage = Objects.requireNonNull(work.apply(connection), "work returned null instead of a CompletionStage");
      } catch (RuntimeException | Error e) {
        stage = CompletableFuture.failedFuture(e);
      }
      return stage.whenComplete((value, error) -> connections.release(connection));
    });
  }

  /**
   * The endpoint as a URL with credentials masked, e.g. {@code rediss://app:****@cache:6380}; safe to log. Works
   * after {@link #close()}.
   *
   * @return the masked URL.
   */
  public String getConnectionUrl() {
    return connectionUrl;
  }

  /**
   * The settings this manager was created with. Works after {@link #close()}.
   *
   * @return the settings.
   */
  public RedisSettings settings() {
    return settings;
  }

  /**
   * Subscribes to connection-state events of the shared connection: {@link ConnectionState#CONNECTED} when it is
   * (again) usable, {@link ConnectionState#DISCONNECTED} when it drops, {@link ConnectionState#RECONNECT_FAILED} per
   * failed reconnect attempt. CONNECTED and DISCONNECTED are sent once per change.
   *
   * @param listener the listener, must not be {@code null}; a listener that throws does not affect others.
   * @return the subscription; close it to unsubscribe.
   * @throws IllegalStateException if this manager is closed.
   */
  public ConnectionStateSubscription subscribe(ConnectionStateListener listener) {
    ensureOpen();
    return tracker.subscribe(listener);
  }

  /**
   * Closes the pool, the shared connection, the client and the client resources. Idempotent: later calls return the
   * same stage. Probes still pending complete with {@code up = false}.
   *
   * @return a stage completing when every resource is released.
   */
  public CompletionStage<Void> closeAsync() {
    if (!closed.compareAndSet(false, true)) {
      return closeFuture.minimalCompletionStage();
    }
    tracker.close();
    reconnectFailures.dispose();
    for (CompletableFuture<RedisProbe> probe : pendingProbes) {
      probe.complete(RedisProbe.down(Duration.ZERO, "client closed"));
    }
    CompletableFuture<Void> poolClosed;
    synchronized (poolLock) {
      poolClosed = pool == null ? CompletableFuture.completedFuture(null) : pool.closeAsync();
    }
    CompletableFuture<StatefulRedisConnection<String, String>> connection = shared.getAndSet(null);
    poolClosed
        .handle((ignored, error) -> connection == null || !connection.isDone() || connection.isCompletedExceptionally()
            ? CompletableFuture.<Void>completedFuture(null)
            : connection.join().closeAsync())
        .thenCompose(Function.identity())
        .handle((ignored, error) -> client.shutdownAsync(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
        .thenCompose(Function.identity())
        .whenComplete((ignored, error) -> {
          if (error != null) {
            log.debug("Shutting down the Redis client for {} failed", connectionUrl, error);
          }
          // Listener runs on a Lettuce thread that this very call terminates: complete from the shutdown future.
          resources.shutdown(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).addListener(done -> {
            deadlines.shutdownNow();
            log.debug("Closed the Redis connection manager for {}", connectionUrl);
            closeFuture.complete(null);
          });
        });
    return closeFuture.minimalCompletionStage();
  }

  /**
   * Blocking {@link #closeAsync()}, waiting at most a few seconds. Idempotent.
   */
  @Override
  public void close() {
    try {
      closeAsync().toCompletableFuture().get(2 * SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("Closing the Redis connection manager for {} did not finish cleanly", connectionUrl, e);
    }
  }

  private CompletableFuture<StatefulRedisConnection<String, String>> sharedConnection() {
    while (true) {
      CompletableFuture<StatefulRedisConnection<String, String>> current = shared.get();
      if (current != null && !current.isCompletedExceptionally()
          && !(current.isDone() && isClosed(current.join()))) {
        return current;
      }
      CompletableFuture<StatefulRedisConnection<String, String>> attempt = new CompletableFuture<>();
      if (shared.compareAndSet(current, attempt)) {
        connect(this::adoptLateConnection).whenComplete((connection, error) -> {
          if (error != null) {
            shared.compareAndSet(attempt, null); // forget the failure: the next call tries again
            attempt.completeExceptionally(error);
            // Lettuce only reconnects a connection that once existed. Without this, a Redis that was absent at the
            // first call and then appears would go unnoticed (no CONNECTED event) until some caller asked again.
            scheduleConnectRetry();
          } else if (closed.get()) {
            connection.closeAsync();
            attempt.completeExceptionally(new IllegalStateException(CLOSED_MESSAGE));
          } else {
            sharedConnection = connection;
            failedConnects.set(0);
            if (connection.isOpen()) {
              tracker.connected();
            }
            attempt.complete(connection);
          }
        });
        return attempt;
      }
    }
  }

  /**
   * After a failed shared connect, tries again in the background with the same jittered exponential back-off as
   * Lettuce's reconnects (full jitter, 100 ms base, capped at {@link RedisSettings#reconnectMaxDelay()}), until a
   * connect succeeds or the manager closes. One retry chain at a time; an on-demand connect in between is shared.
   */
  private void scheduleConnectRetry() {
    if (closed.get() || !connectRetryScheduled.compareAndSet(false, true)) {
      return;
    }
    int attempt = failedConnects.incrementAndGet();
    long capMillis = settings.reconnectMaxDelay().toMillis();
    long ceiling = Math.min(capMillis, LettuceConfig.RECONNECT_BASE_MILLIS << Math.min(attempt, 20));
    long delayMillis = ThreadLocalRandom.current().nextLong(ceiling + 1);
    try {
      deadlines.schedule(() -> {
        connectRetryScheduled.set(false);
        if (!closed.get() && shared.get() == null) {
          sharedConnection(); // on failure it schedules the next retry
        }
      }, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      connectRetryScheduled.set(false); // closing
    }
  }

  /**
   * One new connection, bounded by the connect timeout even if TCP connects but the handshake hangs. Lettuce's
   * connectAsync does some work on the calling thread (the first call in a JVM loads and initializes a lot), so it runs
   * on a Lettuce computation thread: ping() and getClient() return at once and their deadlines hold.
   */
  private CompletableFuture<StatefulRedisConnection<String, String>> connect(
      Consumer<StatefulRedisConnection<String, String>> lateConnection) {
    CompletableFuture<StatefulRedisConnection<String, String>> connecting = new CompletableFuture<>();
    CompletableFuture<StatefulRedisConnection<String, String>> bounded = Deadlines.failAfter(connecting,
        settings.connectTimeout(), "connect", deadlines, lateConnection);
    try {
      resources.eventExecutorGroup().execute(() -> {
        try {
          client.connectAsync(StringCodec.UTF8, uri).whenComplete((connection, error) -> {
            if (error != null) {
              connecting.completeExceptionally(error);
            } else {
              connecting.complete(connection);
            }
          });
        } catch (RuntimeException e) {
          connecting.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      connecting.completeExceptionally(new IllegalStateException(CLOSED_MESSAGE, e));
    }
    return bounded.whenComplete((connection, error) -> {
      if (error != null && !closed.get()) {
        tracker.connectFailed(failureReasons.describe(error));
      }
    });
  }

  private BoundedAsyncPool<StatefulRedisConnection<String, String>> pool() {
    synchronized (poolLock) {
      if (pool == null) {
        BoundedPoolConfig config = BoundedPoolConfig.builder()
            .maxTotal(settings.poolMaxTotal())
            .maxIdle(settings.poolMaxTotal())
            .minIdle(0)
            .testOnRelease(true) // a connection the work closed or broke is dropped, not handed out again
            .build();
        // Not wrapped: the pool hands out the real connection, and we release it ourselves.
        pool = AsyncConnectionPoolSupport.createBoundedObjectPool(
            () -> connect(StatefulRedisConnection::closeAsync), config, false);
      }
      return pool;
    }
  }

  /**
   * A shared connect that finished after its deadline (the first connect in a JVM pays for Lettuce's one-time proxy
   * generation) is still a good connection: use it unless a newer attempt is under way, instead of throwing the work
   * away and making the next caller wait again.
   */
  private void adoptLateConnection(StatefulRedisConnection<String, String> connection) {
    if (!closed.get() && shared.compareAndSet(null, CompletableFuture.completedFuture(connection))) {
      sharedConnection = connection;
      if (connection.isOpen()) {
        tracker.connected();
      }
    } else {
      connection.closeAsync();
    }
  }

  private static ScheduledThreadPoolExecutor deadlineTimer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, "redis-client-deadlines");
      thread.setDaemon(true);
      return thread;
    });
    timer.setRemoveOnCancelPolicy(true); // most deadlines are cancelled: do not keep them queued until due
    return timer;
  }

  private String reason(Throwable error) {
    String reason = failureReasons.describe(error);
    String last = tracker.lastFailure();
    if (reason.startsWith("not connected") && last != null) {
      return reason + ", last attempt: " + last;
    }
    return reason;
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException(CLOSED_MESSAGE);
    }
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
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

  /** Closed for good (by close(), not merely disconnected and reconnecting). */
  private static boolean isClosed(StatefulRedisConnection<String, String> connection) {
    return connection instanceof RedisChannelHandler<?, ?> handler && handler.isClosed();
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }

  /** Follows only the shared connection: pool connections come and go without changing the manager's state. */
  private final class SharedConnectionListener implements RedisConnectionStateListener {
    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
      if (connection == sharedConnection) {
        tracker.connected();
      }
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
      if (connection == sharedConnection && !closed.get()) {
        tracker.disconnected();
      }
    }
  }
}
