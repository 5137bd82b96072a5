package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.redisintegration.testing.HttpProbe;
import dev.redisintegration.testing.LogCapture;
import dev.redisintegration.testing.redis.RedisServer;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WrongPasswordIT implements TestPropertyProvider {

    private static final String SERVER_PASSWORD = "right-horse-battery-staple";
    private static final String CLIENT_PASSWORD = "wrong-p4ssw0rd-zebra";

    private final RedisServer redis =
            RedisServer.builder().password(SERVER_PASSWORD).build();

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("redis.primary.endpoint", redis.endpoint(), "redis.password", CLIENT_PASSWORD);
    }

    @AfterAll
    void stopRedis() {
        redis.close();
    }

    @Test
    void wrongPasswordIsDownWithAReasonAndNoSecretAnywhere() {
        try (LogCapture logs = LogCapture.start(Level.TRACE)) {
            HttpProbe.Response health = HttpProbe.get(server.getURI(), HealthPaths.HEALTH);
            HttpProbe.Response ready = HttpProbe.get(server.getURI(), HealthPaths.READY);
            HttpProbe.Response live = HttpProbe.get(server.getURI(), HealthPaths.LIVE);

            assertThat(health.status()).isEqualTo(503);
            assertThat(RedisOutageIT.redisReason(health)).containsIgnoringCase("auth");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json()).isEqualTo(Map.of("status", "DOWN", "failing", List.of("redis")));
            assertThat(live.status()).isEqualTo(200);
            for (String text : List.of(health.body(), ready.body(), live.body(), logs.text())) {
                assertThat(text).doesNotContain(CLIENT_PASSWORD).doesNotContain(SERVER_PASSWORD);
            }
            assertThat(logs.events()).isNotEmpty();
        }
    }
}
