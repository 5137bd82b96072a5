package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.redisintegration.testing.HttpProbe;
import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.RedisServerExtension;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Startup without Redis: the service starts, liveness answers, readiness reports why it is not ready; and when Redis
 * appears, health turns UP within seconds although the DOWN result is cached for the (default, 1 minute) failure TTL.
 */
@ExtendWith(RedisServerExtension.class)
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisAbsentIT implements TestPropertyProvider {

    /** Stopped before the application starts; the test starts it again on the same port. */
    RedisServer redis;

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        redis.stop();
        return Map.of("redis.primary.endpoint", redis.endpoint());
    }

    @Test
    void startsWhileRedisIsAbsentAndTurnsUpSoonAfterRedisAppears() {
        HttpProbe.Response live = HttpProbe.get(server.getURI(), HealthPaths.LIVE);
        HttpProbe.Response health = HttpProbe.get(server.getURI(), HealthPaths.HEALTH);
        HttpProbe.Response ready = HttpProbe.get(server.getURI(), HealthPaths.READY);

        assertThat(live.status()).isEqualTo(200);
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.elapsed()).isLessThan(Duration.ofSeconds(1));
        assertThat(RedisOutageIT.redisReason(health)).isNotBlank();
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json()).isEqualTo(Map.of("status", "DOWN", "failing", List.of("redis")));

        redis.restart();

        // No wait for the failure TTL: the client's background connect publishes CONNECTED, which drops the cache.
        await().atMost(Duration.ofSeconds(3))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> HttpProbe.get(server.getURI(), HealthPaths.READY).status() == 200);
        assertThat(HttpProbe.get(server.getURI(), HealthPaths.HEALTH).status()).isEqualTo(200);
        assertThat(HttpProbe.get(server.getURI(), HealthPaths.LIVE).status()).isEqualTo(200);
    }
}
