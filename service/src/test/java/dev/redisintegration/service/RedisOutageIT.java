package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.redisintegration.testing.HttpProbe;
import dev.redisintegration.testing.LogCapture;
import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.RedisServerExtension;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Redis stopped, restarted and hung (SIGSTOP) under the default TTLs (5 min success, 1 min failure). */
@ExtendWith(RedisServerExtension.class)
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisOutageIT implements TestPropertyProvider {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final List<String> ALL_PATHS = List.of(
            HealthPaths.HEALTH, HealthPaths.READY, HealthPaths.READINESS, HealthPaths.LIVE, HealthPaths.LIVENESS);

    /** Stopped, paused, restarted by the tests; the extension brings it back after each one. */
    RedisServer redis;

    @Inject
    EmbeddedServer server;

    @Inject
    FakeTicker ticker;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("redis.primary.endpoint", redis.endpoint(), FakeTicker.PROPERTY, "true");
    }

    @BeforeEach
    void redisIsUpAndCached() {
        ticker.advance(Duration.ofMinutes(10));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(
                                HttpProbe.get(base(), HealthPaths.HEALTH).status())
                        .isEqualTo(200));
    }

    private URI base() {
        return server.getURI();
    }

    @Test
    void stoppedRedisIsReported503WithinOneSecondWithTheReason() {
        redis.stop();
        long stoppedAt = System.nanoTime();

        // No TTL is advanced: the connection event alone must evict the cached UP.
        await().atMost(ONE_SECOND).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            HttpProbe.Response health = HttpProbe.get(base(), HealthPaths.HEALTH);
            assertThat(health.status()).isEqualTo(503);
        });
        assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt)).isLessThan(ONE_SECOND);

        HttpProbe.Response health = HttpProbe.get(base(), HealthPaths.HEALTH);
        assertThat(health.elapsed()).isLessThan(ONE_SECOND);
        assertThat(health.body()).contains("\"status\":\"DOWN\"");
        assertThat(redisReason(health)).isNotBlank();
        HttpProbe.Response ready = HttpProbe.get(base(), HealthPaths.READY);
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json()).isEqualTo(Map.of("status", "DOWN", "failing", List.of("redis")));
        assertLivenessUp();
    }

    @Test
    void restartedRedisIsReportedUpWithoutWaitingForTheFailureTtl() {
        redis.stop();
        await().atMost(ONE_SECOND)
                .untilAsserted(() -> assertThat(
                                HttpProbe.get(base(), HealthPaths.READY).status())
                        .isEqualTo(503));
        assertLivenessUp();

        redis.restart();

        // The failure TTL is 1 min and the ticker does not move: only the reconnect event can make this UP.
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(
                                HttpProbe.get(base(), HealthPaths.READY).status())
                        .isEqualTo(200));
        assertThat(HttpProbe.get(base(), HealthPaths.HEALTH).status()).isEqualTo(200);
        assertLivenessUp();
    }

    @Test
    void anOutageIsLoggedOnceNotOncePerRequestOrReconnectAttempt() {
        try (LogCapture logs = LogCapture.start()) {
            redis.stop();
            // Requests keep coming while Lettuce retries (its back-off is capped at 2 s, so several attempts fail).
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> HttpProbe.get(base(), HealthPaths.HEALTH).status() == 503);
            assertThat(warnings(logs)).singleElement().asString().contains("Lost the connection to Redis");

            redis.restart();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> HttpProbe.get(base(), HealthPaths.READY).status() == 200);
            assertThat(warnings(logs)).hasSize(1);
            assertThat(logs.events())
                    .filteredOn(event -> event.getFormattedMessage().contains("reachable again"))
                    .hasSize(1);
        }
    }

    private static List<String> warnings(LogCapture logs) {
        return logs.events().stream()
                .filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                .map(event -> event.getLoggerName() + ": " + event.getFormattedMessage())
                .toList();
    }

    @Test
    void pausedRedisNeverHoldsAnEndpointLongerThanOneSecond() {
        redis.pause();
        try {
            ticker.advance(Duration.ofMinutes(10)); // the cached UP expires: the next request probes the hung server

            for (String path : ALL_PATHS) {
                HttpProbe.Response response = HttpProbe.get(base(), path);
                assertThat(response.elapsed()).as(path).isLessThan(ONE_SECOND);
                boolean liveness = path.equals(HealthPaths.LIVE) || path.equals(HealthPaths.LIVENESS);
                assertThat(response.status()).as(path).isEqualTo(liveness ? 200 : 503);
            }
            assertThat(redisReason(HttpProbe.get(base(), HealthPaths.HEALTH))).contains("timed out");
        } finally {
            redis.resume();
        }
    }

    private void assertLivenessUp() {
        for (String path : List.of(HealthPaths.LIVE, HealthPaths.LIVENESS)) {
            HttpProbe.Response live = HttpProbe.get(base(), path);
            assertThat(live.status()).as(path).isEqualTo(200);
            assertThat(live.elapsed()).as(path).isLessThan(ONE_SECOND);
        }
    }

    @SuppressWarnings("unchecked")
    static String redisReason(HttpProbe.Response health) {
        Map<String, Object> checks = (Map<String, Object>) health.json().get("checks");
        return (String) ((Map<String, Object>) checks.get("redis")).get("reason");
    }
}
