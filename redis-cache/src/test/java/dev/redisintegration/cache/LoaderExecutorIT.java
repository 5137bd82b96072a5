package dev.redisintegration.cache;

import static dev.redisintegration.cache.CacheItSupport.connected;
import static dev.redisintegration.cache.CacheItSupport.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.redisintegration.redis.RedisConnectionManager;
import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.RedisServerExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code loaderExecutor}: loaders run there (a loader that blocks does not hold a Redis thread); a refusal fails the call. */
@ExtendWith(RedisServerExtension.class)
class LoaderExecutorIT {

    @Test
    void loadersRunOnTheGivenExecutor(RedisServer redis) throws Exception {
        ExecutorService loaders = Executors.newSingleThreadExecutor(task -> new Thread(task, "team-x-loader"));
        try (RedisConnectionManager manager = connected(redis.endpoint())) {
            RedisCache cache = cacheLoadingOn(manager, loaders);
            AtomicReference<String> loadedOn = new AtomicReference<>();

            String value = result(cache.getOrLoad("k", () -> {
                loadedOn.set(Thread.currentThread().getName());
                return CompletableFuture.completedFuture("blocking work done here");
            }));

            assertThat(value).isEqualTo("blocking work done here");
            assertThat(loadedOn).hasValue("team-x-loader");
        } finally {
            loaders.shutdownNow();
        }
    }

    @Test
    void anExecutorThatRefusesFailsTheCallLikeALoaderFailure(RedisServer redis) throws Exception {
        ExecutorService loaders = Executors.newSingleThreadExecutor();
        loaders.shutdown();
        try (RedisConnectionManager manager = connected(redis.endpoint())) {
            RedisCache cache = cacheLoadingOn(manager, loaders);

            assertThatThrownBy(() -> result(cache.getOrLoad("k", () -> CompletableFuture.completedFuture("never"))))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(RejectedExecutionException.class);
            assertThat(cache.stats().loadFailures()).isEqualTo(1);
            assertThat(redis.command("EXISTS", "executor:k")).isEqualTo("0");
        }
    }

    private static RedisCache cacheLoadingOn(RedisConnectionManager manager, ExecutorService loaders) {
        return RedisCache.builder(manager)
                .namespace("executor")
                .ttl(Duration.ofMinutes(1))
                .loaderExecutor(loaders)
                .build();
    }
}
