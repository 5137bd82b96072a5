package dev.redisintegration.service;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Startup without Redis: the service starts, liveness answers, readiness reports why it is not ready. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisAbsentIT implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        return Map.of(TestRedisSettingsFactory.ENDPOINT, "127.0.0.1:" + freePortWithNothingListening());
    }

    private static int freePortWithNothingListening() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void startsAndLivenessAnswersWhileRedisIsAbsent() {
        Http.Response live = Http.get(server.getURI(), HealthPaths.LIVE);
        Http.Response health = Http.get(server.getURI(), HealthPaths.HEALTH);
        Http.Response ready = Http.get(server.getURI(), HealthPaths.READY);

        assertThat(live.status()).isEqualTo(200);
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.elapsed()).isLessThan(Duration.ofSeconds(1));
        assertThat(RedisOutageIT.redisReason(health)).isNotBlank();
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json()).isEqualTo(Map.of("status", "DOWN", "failing", List.of("redis")));
    }
}
