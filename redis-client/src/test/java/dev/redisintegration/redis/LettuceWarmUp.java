package dev.redisintegration.redis;

import dev.redisintegration.testing.redis.RedisServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The first Lettuce connection in a JVM generates the reflective proxies behind {@code sync()} (seconds on a loaded
 * 2-core machine). Timing assertions are about steady state, so each IT class pays that once, up front.
 */
final class LettuceWarmUp {

    private static boolean done;

    private LettuceWarmUp() {}

    static synchronized void once(RedisServer redis) throws Exception {
        if (done) {
            return;
        }
        RedisSettings settings = RedisSettings.builder()
                .endpoint(redis.url())
                .connectTimeout(Duration.ofSeconds(30))
                .tlsCaCertificate(redis.isTls() ? redis.tlsCaCertificate() : null)
                .build();
        try (RedisConnectionManager manager = RedisConnectionManager.create(settings)) {
            manager.getClient().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        done = true;
    }
}
