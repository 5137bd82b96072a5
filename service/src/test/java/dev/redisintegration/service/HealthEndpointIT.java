package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.redisintegration.testing.HttpProbe;
import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.RedisServerExtension;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.management.endpoint.health.HealthEndpoint;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Publisher;

@ExtendWith(RedisServerExtension.class)
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HealthEndpointIT implements TestPropertyProvider {

    /** Injected by RedisServerExtension before Micronaut asks {@link #getProperties()}. */
    RedisServer redis;

    @Inject
    EmbeddedServer server;

    @Inject
    FakeTicker ticker;

    @Inject
    ApplicationContext context;

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "redis.primary.endpoint",
                redis.endpoint(),
                FakeTicker.PROPERTY,
                "true",
                "spec.name",
                "HealthEndpointIT");
    }

    @BeforeEach
    void expireCache() {
        ticker.advance(Duration.ofMinutes(10));
    }

    private URI base() {
        return server.getURI();
    }

    @Test
    @SuppressWarnings("unchecked")
    void healthReportsEveryCheckWithStatusLatencyAndCacheAge() {
        // The connection opens in the background at startup, and its CONNECTED event rightly keeps a result computed
        // meanwhile out of the cache: wait until a result has been cached, then expire it and start afresh.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> redisCheck(HttpProbe.get(base(), HealthPaths.HEALTH))
                        .get("cached")
                        .equals(true));
        ticker.advance(Duration.ofMinutes(10));
        HttpProbe.Response first = HttpProbe.get(base(), HealthPaths.HEALTH);
        ticker.advance(Duration.ofSeconds(7));
        HttpProbe.Response second = HttpProbe.get(base(), HealthPaths.HEALTH);

        assertThat(first.status()).isEqualTo(200);
        Map<String, Object> body = second.json();
        assertThat(body).containsOnlyKeys("status", "checks", "generatedAt").containsEntry("status", "UP");
        Map<String, Map<String, Object>> checks = (Map<String, Map<String, Object>>) body.get("checks");
        assertThat(checks).containsOnlyKeys("lifecycle", "process", "redis");
        Map<String, Object> redisCheck = checks.get("redis");
        assertThat(redisCheck)
                .containsOnlyKeys("status", "critical", "latencyMs", "cached", "ageMs", "details")
                .containsEntry("status", "UP")
                .containsEntry("critical", true)
                .containsEntry("cached", true);
        assertThat(((Number) redisCheck.get("ageMs")).longValue()).isEqualTo(7_000L);
        assertThat((Map<String, Object>) redisCheck.get("details"))
                .containsEntry("role", "PRIMARY")
                .containsEntry("url", "redis://" + redis.endpoint());
    }

    @Test
    void readinessAnswersStatusAndFailingNamesOnly() {
        for (String path : List.of(HealthPaths.READY, HealthPaths.READINESS)) {
            HttpProbe.Response response = HttpProbe.get(base(), path);

            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.json())
                    .as(path)
                    .containsOnlyKeys("status", "failing")
                    .containsEntry("status", "UP")
                    .containsEntry("failing", List.of());
            assertThat(response.body())
                    .doesNotContain(String.valueOf(redis.port()))
                    .doesNotContain("redis://");
        }
    }

    @Test
    void livenessAnswersWithoutTouchingRedis() {
        long pingsBefore = probeCommands();

        for (String path : List.of(HealthPaths.LIVE, HealthPaths.LIVENESS)) {
            HttpProbe.Response response = HttpProbe.get(base(), path);
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.json())
                    .as(path)
                    .containsOnlyKeys("status", "failing")
                    .containsEntry("status", "UP")
                    .containsEntry("failing", List.of());
        }
        // The cache was expired before this test: any Redis check would have sent a ROLE (or PING).
        assertThat(probeCommands()).isEqualTo(pingsBefore);
    }

    @Test
    void unknownProbeIsNotFound() {
        assertThat(HttpProbe.get(base(), "/health/whatever").status()).isEqualTo(404);
    }

    @Test
    void micronautBuiltInHealthEndpointAndIndicatorsDoNotRun() {
        HttpProbe.Response response = HttpProbe.get(base(), HealthPaths.HEALTH);
        HttpProbe.get(base(), HealthPaths.READY);
        HttpProbe.get(base(), HealthPaths.LIVE);

        assertThat(response.json()).doesNotContainKeys("name", "details");
        assertThat(response.body()).doesNotContain("diskSpace").doesNotContain("deadlockedThreads");
        assertThat(CountingIndicator.CALLS.get()).isZero();
        // Only the inert stand-in exists (for micronaut-management's HealthResultFilter), and no indicator was built.
        assertThat(context.getBeansOfType(HealthEndpoint.class))
                .singleElement()
                .satisfies(endpoint -> assertThat(endpoint.getClass()).isEqualTo(HealthEndpoint.class));
        assertThat(context.getActiveBeanRegistrations(HealthIndicator.class)).isEmpty();
    }

    @Test
    void fiveHundredConcurrentRequestsOnAnExpiredCacheSendOneProbeToRedis() {
        HttpProbe.get(base(), HealthPaths.HEALTH); // connection established, cache warm
        ticker.advance(Duration.ofMinutes(6)); // past the 5 min success TTL
        long pingsBefore = probeCommands();

        List<CompletableFuture<HttpProbe.Response>> responses = IntStream.range(0, 500)
                .mapToObj(i -> HttpProbe.getAsync(base(), HealthPaths.HEALTH))
                .toList();
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).join();

        assertThat(responses)
                .allSatisfy(response -> assertThat(response.join().status()).isEqualTo(200));
        assertThat(probeCommands() - pingsBefore).isEqualTo(1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> redisCheck(HttpProbe.Response health) {
        return ((Map<String, Map<String, Object>>) health.json().get("checks")).get("redis");
    }

    /** Commands a Redis probe sends: one ROLE (PING only where ROLE is refused). */
    private long probeCommands() {
        return redis.commandCount("role") + redis.commandCount("ping");
    }

    /** Would count calls if Micronaut's health machinery ran any indicator. */
    @Singleton
    @Requires(property = "spec.name", value = "HealthEndpointIT")
    static class CountingIndicator implements HealthIndicator {
        static final AtomicInteger CALLS = new AtomicInteger();

        @Override
        public Publisher<HealthResult> getResult() {
            CALLS.incrementAndGet();
            return Publishers.empty();
        }
    }
}
