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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * The process-wide Redis connection manager: one lazily opened, shared, multiplexed Lettuce connection for ordinary
 * commands, a small bounded pool of exclusive connections for transactions and blocking commands, bounded probes,
 * connection-state events and counters.
 *
 * <p>One API for every topology ({@link RedisSettings#mode()}): a standalone server, Redis Sentinel, or Redis Cluster
 * ({@link #getClient()} returns the command set they share). It follows the primary behind a standalone endpoint: a
 * {@code READONLY} reply, a verification or probe that finds a replica, or a node that stops answering makes it drop
 * its sockets to that node and reconnect through the endpoint (resolving the name again), keeping the connection
 * objects callers hold. While connected it verifies the shared connection once per
 * {@link RedisSettings#verifyInterval()}. With Sentinel the same holds, and every reconnect asks the Sentinels for the
 * primary; in a cluster, the cluster's topology decides (refreshed on redirects, reconnects and every 10 s). See the
 * module README, "Failover" and "Topologies".
 *
 * <p>Every instance owns its Lettuce {@code ClientResources} and clients and releases them on
 * {@link #close()}. While disconnected, commands fail fast instead of queueing; every command is bounded by
 * {@link RedisSettings#commandTimeout()}. After {@link #close()}, every method but {@link #settings()},
 * {@link #getConnectionUrl()} and {@link #stats()} throws {@link IllegalStateException}.
 *
 * <p>Thread-safe. Do not call the blocking {@link #close()} from a Lettuce thread (a callback of a returned stage);
 * use {@link #closeAsync()} there.
 *
 * @since 0.1
 */
public final class RedisConnectionManager implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RedisConnectionManager.class);
  private static final ProcessInstance INSTANCE =
      new ProcessInstance(() -> create(RedisSettings.fromEnvironment(System.getenv())));

  private final RedisSettings settings;
  private final ClientStack stack;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();

  private RedisConnectionManager(RedisSettings settings, @Nullable InetSocketAddress nameServer,
      CommandLatencyRecorder latencyRecorder) {
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

  /** The process-wide instance if one was created, else {@code null}; never creates one. */
  static @Nullable RedisConnectionManager existingInstance() {
    return INSTANCE.existing();
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
   * As {@link #create(RedisSettings)}, with command latencies recorded by {@code latencyRecorder}: Lettuce's own hook,
   * so metrics libraries plug in without this library depending on them, e.g. Micrometer's
   * {@code new MicrometerCommandLatencyRecorder(registry, MicrometerOptions.builder().histogram(false).build())}
   * (tags: command type and remote address, never keys or arguments). The recorder stays the caller's: closing the
   * manager does not close it.
   *
   * @param settings the settings.
   * @param latencyRecorder the recorder.
   * @return a new manager.
   * @throws NullPointerException if an argument is {@code null}.
   */
  public static RedisConnectionManager create(RedisSettings settings, CommandLatencyRecorder latencyRecorder) {
    return new RedisConnectionManager(Objects.requireNonNull(settings, "settings must not be null"), null,
        Objects.requireNonNull(latencyRecorder, "latencyRecorder must not be null"));
  }

  /** As {@link #create(RedisSettings)}, resolving host names with the DNS server at {@code nameServer} (tests). */
  static RedisConnectionManager create(RedisSettings settings, @Nullable InetSocketAddress nameServer) {
    return new RedisConnectionManager(Objects.requireNonNull(settings, "settings must not be null"), nameServer,
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
   * A detailed ping for health checks that knows the topology, one round of requests sent at once and bounded like
   * {@link #ping()}:
   *
   * <ul>
   *   <li>standalone: one {@code ROLE} round trip ({@code PING} where {@code ROLE} is refused, with the role unknown).
   *       A replica is down when {@link RedisSettings#expectedRole()} is {@link ExpectedRole#PRIMARY} (reason
   *       {@code "connected to a replica, not the primary"}), and makes the manager leave that node;
   *   <li>sentinel: every Sentinel asked for the primary and {@code ROLE} on the shared connection; up when a Sentinel
   *       names a primary, the shared connection is on it and it answers as a primary. The connections to the
   *       Sentinels are opened by the first probe (which may also take the connect timeout for them) and kept;
   *   <li>cluster: every primary asked {@code CLUSTER INFO} and {@code CLUSTER NODES}; up when
   *       {@code cluster_state:ok}, every slot is served and the primary each slot is sent to answered; down names the
   *       failing slot ranges ({@code "slots 0-5460 (10.0.0.1:7000): timed out after 500 ms"}).
   * </ul>
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
   * The async commands of the shared, multiplexed connection (thread-safe; do not close it). Connects lazily:
   * concurrent first calls share one connect; a failed connect is forgotten, so the next call tries again. The
   * returned object keeps working across reconnects and moves to a new node. Its type, the command set common to a
   * standalone node and a cluster, is the same in every mode: in a cluster each command goes to the node serving its
   * key (multi-key commands need keys of one slot, e.g. with a hash tag). It has no {@code MULTI}/{@code EXEC}: on a
   * shared connection a transaction would interleave with other callers. Blocking commands ({@code BLPOP}, ...) are
   * in it but stall every caller of the shared connection. Use {@link #withExclusiveConnection(Function)} or
   * {@link #withExclusiveConnection(String, Function)} for both.
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
   * Runs {@code work} on a connection of its own from a bounded pool (created on first use, at most
   * {@link RedisSettings#poolMaxTotal()} connections), for transactions and blocking commands. The connection returns
   * to the pool when the stage of {@code work} completes; do not close it, and leave it as you found it (no open
   * transaction, database unchanged). After a move to a new node, connections to the old one are not reused. With
   * Sentinel the connection goes to the primary the Sentinels name.
   *
   * <p>A Redis Cluster has no single node to run on: there it fails at once with {@link IllegalStateException}; use
   * {@link #withExclusiveConnection(String, Function)}. In {@link RedisMode#AUTO} before the first connect, the
   * manager connects first to learn the mode, and then the stage fails with it.
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
   * Runs {@code work} on a connection of its own to the node that serves {@code key}, for transactions and blocking
   * commands in any topology. In a Redis Cluster that is a standalone connection to the primary owning the key's hash
   * slot (by the client's view of the topology), from a bounded pool per primary (each at most
   * {@link RedisSettings#poolMaxTotal()} connections); every key the work uses must hash to the same slot (give them
   * one {@code {hash tag}}), or the node answers {@code MOVED} / {@code CROSSSLOT}. In the other modes it is the same
   * as {@link #withExclusiveConnection(Function)} and {@code key} only documents intent.
   *
   * <pre>{@code
   * redis.withExclusiveConnection("{order:42}:items", connection -> {
   *   RedisAsyncCommands<String, String> tx = connection.async();
   *   tx.multi();
   *   tx.rpush("{order:42}:items", "book");
   *   tx.incr("{order:42}:count");
   *   return tx.exec();
   * });
   * }</pre>
   *
   * @param key a key the work uses; its slot picks the node in a cluster. Must not be {@code null}.
   * @param work the work; must not return {@code null}. Leave the connection as you found it.
   * @param <T> the result type.
   * @return the stage of {@code work}; fails with {@link NoSuchElementException} at once if every pooled connection
   *     (of that node) is in use, and with {@link IllegalStateException} if no primary serves the slot now (a cluster
   *     failing over; the topology is then refreshed).
   * @throws NullPointerException if {@code key} or {@code work} is {@code null}.
   * @throws IllegalStateException if this manager is closed.
   * @since 0.3
   */
  public <T> CompletionStage<T> withExclusiveConnection(String key,
      Function<StatefulRedisConnection<String, String>, CompletionStage<T>> work) {
    Objects.requireNonNull(key, "key must not be null");
    Objects.requireNonNull(work, "work must not be null");
    ensureOpen();
    return stack.withExclusiveConnection(key, work);
  }

  /**
   * The endpoint as a URL with credentials masked, e.g. {@code rediss://app:****@cache:6380}; safe to log.
   *
   * @return the masked URL.
   */
  public String getConnectionUrl() {
    return settings.maskedUrl();
  }

  /**
   * The settings this manager was created with.
   *
   * @return the settings.
   */
  public RedisSettings settings() {
    return settings;
  }

  /**
   * What the manager saw so far ({@code READONLY} replies, replica and hang verdicts, moves, reconnects), for metrics.
   *
   * @return a snapshot; cheap, sends nothing to Redis.
   */
  public ConnectionStats stats() {
    return stack.guard.stats();
  }

  /**
   * Subscribes to events of the shared connection: {@link ConnectionState#CONNECTED} and
   * {@link ConnectionState#DISCONNECTED} once per change, {@link ConnectionState#RECONNECT_FAILED} per failed
   * reconnect, {@link ConnectionState#LEAVING_NODE} and {@link ConnectionState#MOVED} around a move to a new node. In a
   * cluster, {@code DISCONNECTED} means a connection to a node in use dropped, and {@code CONNECTED} that every such
   * connection is back (or its node no longer serves slots, because a replica took over).
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
