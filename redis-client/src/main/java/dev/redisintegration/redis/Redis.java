package dev.redisintegration.redis;

import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.concurrent.CompletionStage;

/**
 * A static facade over the process-wide {@link RedisConnectionManager#getInstance()}, for code that wants
 * {@code Redis.ping()} rather than an injected manager.
 *
 * @since 0.1
 */
public final class Redis {

  private Redis() {}

  /**
   * See {@link RedisConnectionManager#ping()}.
   *
   * @return {@code true} if Redis answered {@code PONG} within the ping timeout.
   */
  public static CompletionStage<Boolean> ping() {
    return RedisConnectionManager.getInstance().ping();
  }

  /**
   * See {@link RedisConnectionManager#getClient()}.
   *
   * @return the async commands of the shared connection.
   */
  public static CompletionStage<RedisAsyncCommands<String, String>> getClient() {
    return RedisConnectionManager.getInstance().getClient();
  }

  /**
   * See {@link RedisConnectionManager#getConnectionUrl()}.
   *
   * @return the endpoint URL with credentials masked.
   */
  public static String getConnectionUrl() {
    return RedisConnectionManager.getInstance().getConnectionUrl();
  }

  /** Closes the process-wide manager; later calls through this facade throw {@link IllegalStateException}. */
  public static void close() {
    RedisConnectionManager.getInstance().close();
  }
}
