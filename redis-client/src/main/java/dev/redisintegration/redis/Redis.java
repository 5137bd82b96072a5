package dev.redisintegration.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
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
     * @return {@code true} if Redis answered {@code PONG} in time.
     * @throws IllegalArgumentException if a {@code REDIS_*} variable is invalid.
     * @throws IllegalStateException if the process-wide manager was closed.
     */
    public static CompletionStage<Boolean> ping() {
        return RedisConnectionManager.getInstance().ping();
    }

    /**
     * See {@link RedisConnectionManager#getClient()}.
     *
     * @return the async commands of the shared connection.
     * @throws IllegalArgumentException if a {@code REDIS_*} variable is invalid.
     * @throws IllegalStateException if the process-wide manager was closed.
     */
    public static CompletionStage<RedisClusterAsyncCommands<String, String>> getClient() {
        return RedisConnectionManager.getInstance().getClient();
    }

    /**
     * See {@link RedisConnectionManager#getConnectionUrl()}.
     *
     * @return the endpoint URL with credentials masked.
     * @throws IllegalArgumentException if a {@code REDIS_*} variable is invalid.
     */
    public static String getConnectionUrl() {
        return RedisConnectionManager.getInstance().getConnectionUrl();
    }

    /**
     * Closes the process-wide manager if it was created (it does not create one just to close it); later calls through
     * this facade throw {@link IllegalStateException}. Idempotent.
     */
    public static void close() {
        RedisConnectionManager existing = RedisConnectionManager.INSTANCE.existing();
        if (existing != null) {
            existing.close();
        }
    }
}
