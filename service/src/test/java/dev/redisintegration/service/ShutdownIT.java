package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.redisintegration.redis.RedisConnectionManager;
import dev.redisintegration.testing.HttpProbe;
import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.RedisServerExtension;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.graceful.GracefulShutdownManager;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shutdown sequence: readiness DOWN first, in-flight requests finish, then the Redis connection closes. */
@ExtendWith(RedisServerExtension.class)
class ShutdownIT {

    /** One server for the class; the extension resumes it (one test pauses it) and flushes it after each test. */
    RedisServer redis;

    private EmbeddedServer start(String drainDelay) {
        return ApplicationContext.run(
                EmbeddedServer.class,
                Map.of(
                        "redis.primary.endpoint",
                        redis.endpoint(),
                        FakeTicker.PROPERTY,
                        "true",
                        "health.shutdown.drain-delay",
                        drainDelay));
    }

    @Test
    void readinessTurnsDownWhileStillServingThenRedisConnectionCloses() {
        EmbeddedServer server = start("1500ms");
        URI base = server.getURI();
        assertThat(HttpProbe.get(base, HealthPaths.READY).status()).isEqualTo(200);
        assertThat(redis.clientList()).anyMatch(client -> client.contains("name=redis-integration"));
        RedisConnectionManager manager = server.getApplicationContext().getBean(RedisConnectionManager.class);

        CompletableFuture<Void> shutdown =
                CompletableFuture.runAsync(server.getApplicationContext().getBean(ShutdownSequence.class)::run);

        await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> {
            HttpProbe.Response ready = HttpProbe.get(base, HealthPaths.READY);
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json()).isEqualTo(Map.of("status", "DOWN", "failing", List.of("lifecycle")));
        });
        assertThat(HttpProbe.get(base, HealthPaths.LIVE).status()).isEqualTo(200);

        shutdown.orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(server.getApplicationContext().isRunning()).isFalse();
        assertThatThrownBy(manager::probe).isInstanceOf(IllegalStateException.class);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() ->
                        assertThat(redis.clientList()).noneMatch(client -> client.contains("name=redis-integration")));
    }

    @Test
    void inFlightRequestFinishesDuringGracefulShutdown() {
        EmbeddedServer server = start("0s");
        URI base = server.getURI();
        ApplicationContext context = server.getApplicationContext();
        assertThat(HttpProbe.get(base, HealthPaths.HEALTH).status()).isEqualTo(200);
        GracefulShutdownManager graceful = context.getBean(GracefulShutdownManager.class);

        redis.pause();
        context.getBean(FakeTicker.class).advance(Duration.ofMinutes(10));
        CompletableFuture<HttpProbe.Response> inFlight =
                HttpProbe.getAsync(base, HealthPaths.HEALTH); // waits for the 500 ms deadline
        await().atMost(Duration.ofSeconds(2))
                .until(() -> graceful.reportActiveTasks().orElse(0) > 0);

        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(context.getBean(ShutdownSequence.class)::run);

        HttpProbe.Response response = inFlight.join();
        assertThat(response.status()).isEqualTo(503);
        assertThat(RedisOutageIT.redisReason(response)).contains("timed out");
        redis.resume();
        shutdown.orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(context.isRunning()).isFalse();
    }
}
