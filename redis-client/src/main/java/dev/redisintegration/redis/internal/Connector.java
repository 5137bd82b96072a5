package dev.redisintegration.redis.internal;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/** Opens one new connection, bounded by the connect timeout even if TCP connects but the handshake hangs. */
public final class Connector {

  private final RedisClient client;
  private final RedisURI uri;
  private final ClientResources resources;
  private final ScheduledExecutorService timer;
  private final Duration connectTimeout;
  private final Consumer<Throwable> onFailure;

  /**
   * @param onFailure told about every failed connect (not about one that finished after its deadline).
   */
  public Connector(RedisClient client, RedisURI uri, ClientResources resources, ScheduledExecutorService timer,
      Duration connectTimeout, Consumer<Throwable> onFailure) {
    this.client = client;
    this.uri = uri;
    this.resources = resources;
    this.timer = timer;
    this.connectTimeout = connectTimeout;
    this.onFailure = onFailure;
  }

  /**
   * Lettuce's connectAsync does some work on the calling thread (the first call in a JVM loads and initializes a
   * lot), so it runs on a Lettuce computation thread: callers return at once and their deadlines hold.
   *
   * @param lateConnection receives a connection that completed after the deadline.
   */
  public CompletableFuture<StatefulRedisConnection<String, String>> connect(
      Consumer<StatefulRedisConnection<String, String>> lateConnection) {
    CompletableFuture<StatefulRedisConnection<String, String>> connecting = new CompletableFuture<>();
    CompletableFuture<StatefulRedisConnection<String, String>> bounded =
        Deadlines.failAfter(connecting, connectTimeout, "connect", timer, lateConnection);
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
      connecting.completeExceptionally(new IllegalStateException("RedisConnectionManager is closed", e));
    }
    return bounded.whenComplete((connection, error) -> {
      if (error != null) {
        onFailure.accept(error);
      }
    });
  }
}
