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
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /health/history} records Redis stopped and started: order, reasons and how long each status lasted. */
@ExtendWith(RedisServerExtension.class)
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HealthHistoryIT implements TestPropertyProvider {

    RedisServer redis;

    @Inject
    EmbeddedServer server;

    @Inject
    FakeTicker ticker;

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "redis.primary.endpoint",
                redis.endpoint(),
                "redis.verify.interval",
                "1h",
                // The ticker measures how long a status lasted: only this test moves it.
                FakeTicker.PROPERTY,
                "true");
    }

    private URI base() {
        return server.getURI();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aStopAndStartAreTwoTransitionsNewestFirstWithHowLongThePreviousStatusLasted() {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> HttpProbe.get(base(), HealthPaths.HEALTH).status() == 200);

        ticker.advance(Duration.ofSeconds(90)); // UP for 90 s (by the ticker)
        redis.stop();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> HttpProbe.get(base(), HealthPaths.READY).status() == 503);
        ticker.advance(Duration.ofSeconds(40)); // DOWN for 40 s; still within the 1 min failure TTL
        redis.restart();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> HttpProbe.get(base(), HealthPaths.READY).status() == 200);
        long commandsBefore = redis.commandCount("role") + redis.commandCount("ping");

        HttpProbe.Response response = HttpProbe.get(base(), HealthPaths.HISTORY);

        assertThat(response.status()).isEqualTo(200);
        assertThat(redis.commandCount("role") + redis.commandCount("ping"))
                .as("history never runs a check")
                .isEqualTo(commandsBefore);
        Map<String, Object> body = response.json();
        assertThat(body).containsOnlyKeys("checks", "generatedAt");
        Map<String, List<Map<String, Object>>> checks = (Map<String, List<Map<String, Object>>>) body.get("checks");
        assertThat(checks)
                .containsKeys(RedisHealthCheck.NAME, HealthFactory.LIFECYCLE_CHECK, HealthFactory.PROCESS_CHECK);
        List<Map<String, Object>> redisHistory = checks.get(RedisHealthCheck.NAME);
        assertThat(redisHistory).hasSizeGreaterThanOrEqualTo(3);

        Map<String, Object> up = redisHistory.get(0);
        Map<String, Object> down = redisHistory.get(1);
        Map<String, Object> before = redisHistory.get(2);
        assertThat(up).containsEntry("from", "DOWN").containsEntry("to", "UP").doesNotContainKey("reason");
        assertThat(millis(up)).as("DOWN lasted").isEqualTo(40_000);
        assertThat(down).containsEntry("from", "UP").containsEntry("to", "DOWN");
        assertThat(millis(down)).as("UP lasted").isEqualTo(90_000);
        assertThat((String) down.get("reason")).isNotBlank();
        assertThat(before).containsEntry("to", "UP");
        assertThat(instant(up)).isAfter(instant(down));
        assertThat(instant(down)).isAfter(instant(before));
        // The in-process checks never changed: one transition each, their first result.
        assertThat(checks.get(HealthFactory.PROCESS_CHECK))
                .singleElement()
                .satisfies(first -> assertThat(first).containsEntry("to", "UP").doesNotContainKey("from"));
    }

    private static long millis(Map<String, Object> transition) {
        return ((Number) transition.get("previousDurationMs")).longValue();
    }

    private static Instant instant(Map<String, Object> transition) {
        return Instant.parse((String) transition.get("at"));
    }
}
