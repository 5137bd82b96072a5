package dev.redisintegration.service;

import dev.redisintegration.testing.redis.RedisServer;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WrongPasswordIT implements TestPropertyProvider {

    private static final String SERVER_PASSWORD = "right-horse-battery-staple";
    private static final String CLIENT_PASSWORD = "wrong-p4ssw0rd-zebra";

    private final RedisServer redis = RedisServer.builder().password(SERVER_PASSWORD).build();

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        return Map.of(TestRedisSettingsFactory.ENDPOINT, redis.endpoint(),
                TestRedisSettingsFactory.PASSWORD, CLIENT_PASSWORD);
    }

    @AfterAll
    void stopRedis() {
        redis.close();
    }

    @Test
    void wrongPasswordIsDownWithAReasonAndNoSecretAnywhere() {
        try (LogCapture logs = new LogCapture()) {
            Http.Response health = Http.get(server.getURI(), HealthPaths.HEALTH);
            Http.Response ready = Http.get(server.getURI(), HealthPaths.READY);
            Http.Response live = Http.get(server.getURI(), HealthPaths.LIVE);

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
