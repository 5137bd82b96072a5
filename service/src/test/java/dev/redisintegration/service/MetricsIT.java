package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.redisintegration.redis.RedisConnectionManager;
import dev.redisintegration.testing.HttpProbe;
import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.RedisServerExtension;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /prometheus} against a real Redis: every metric the README documents is there with its tags, counters
 * move by exactly what happened (a flap, cached answers, commands through getClient()), and a scrape sends Redis
 * nothing.
 */
@ExtendWith(RedisServerExtension.class)
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsIT implements TestPropertyProvider {

    private static final String REDIS = RedisHealthCheck.NAME;

    RedisServer redis;

    @Inject
    EmbeddedServer server;

    @Inject
    FakeTicker ticker;

    @Inject
    RedisConnectionManager manager;

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "redis.primary.endpoint",
                redis.endpoint(),
                // No verification ROLE in the background: every command Redis counts here is one a test caused.
                "redis.verify.interval",
                "1h",
                FakeTicker.PROPERTY,
                "true");
    }

    @BeforeEach
    void redisUp() {
        ticker.advance(Duration.ofMinutes(10));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(
                                HttpProbe.get(base(), HealthPaths.READY).status())
                        .isEqualTo(200));
    }

    private URI base() {
        return server.getURI();
    }

    private PrometheusScrape scrape() {
        HttpProbe.Response response = HttpProbe.get(base(), HealthPaths.PROMETHEUS);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return PrometheusScrape.parse(response.body());
    }

    @Test
    void everyDocumentedMetricIsPresentWithItsTagsAfterAFlapAndTraffic() {
        flap();
        setKeys(5);
        HttpProbe.get(base(), HealthPaths.HEALTH); // a cached answer, too

        PrometheusScrape scrape = scrape();

        List<DocumentedMetrics.Metric> documented = DocumentedMetrics.all();
        assertThat(documented)
                .extracting(DocumentedMetrics.Metric::name)
                .contains(
                        "health_check_status",
                        "health_check_duration_seconds",
                        "health_check_cache_hits_total",
                        "redis_connection_connected",
                        "redis_connection_reconnects_total",
                        "redis_connection_moves_total",
                        "redis_connection_readonly_replies_total",
                        "redis_probe_failures_total",
                        "lettuce_command_completion_seconds",
                        "http_server_requests_seconds",
                        "jvm_memory_used_bytes",
                        "process_cpu_usage");
        assertThat(documented).allSatisfy(metric -> {
            for (String sample : metric.sampleNames()) {
                assertThat(scrape.named(sample))
                        .as("samples of %s", sample)
                        .isNotEmpty()
                        .allSatisfy(s -> assertThat(s.labels().keySet())
                                .as("tags of %s", sample)
                                .containsExactlyInAnyOrderElementsOf(metric.tags()));
            }
        });
        for (String check : List.of(REDIS, HealthFactory.LIFECYCLE_CHECK, HealthFactory.PROCESS_CHECK)) {
            assertThat(scrape.find("health_check_status", "check", check))
                    .as(check)
                    .isPresent();
            for (String status : List.of("UP", "DOWN", "UNKNOWN")) {
                assertThat(scrape.find("health_check_duration_seconds_count", "check", check, "status", status))
                        .as("%s %s", check, status)
                        .isPresent();
            }
        }
        for (String reason : List.of("timeout", "refused", "auth", "replica", "tls", "dns", "not_connected", "other")) {
            assertThat(scrape.find("redis_probe_failures_total", "reason", reason))
                    .as(reason)
                    .isPresent();
        }
        assertThat(scrape.find("lettuce_command_completion_seconds_count", "command", "SET"))
                .isPresent()
                .hasValueSatisfying(
                        sample -> assertThat(sample.labels().get("remote")).endsWith(":" + redis.port()));
        // Histograms are off by default: no bucket series, no client-side percentiles.
        assertThat(scrape.samples())
                .noneMatch(sample -> sample.name().startsWith("lettuce_")
                        && (sample.name().endsWith("_bucket") || sample.labels().containsKey("quantile")));
    }

    @Test
    void aFlapMovesTheConnectionCountersByExactlyOneAndEveryFailedProbeIsCountedOnce() {
        PrometheusScrape before = scrape();

        flap();

        PrometheusScrape after = scrape();
        assertThat(delta(before, after, "redis_connection_events_total", "state", "DISCONNECTED"))
                .isEqualTo(1);
        assertThat(delta(before, after, "redis_connection_events_total", "state", "CONNECTED"))
                .isEqualTo(1);
        assertThat(delta(before, after, "redis_connection_reconnects_total")).isEqualTo(1);
        assertThat(delta(before, after, "redis_connection_moves_total")).isZero();
        assertThat(after.value("redis_connection_connected")).isEqualTo(1);
        assertThat(after.value("health_check_status", "check", REDIS)).isEqualTo(1);
        double downRuns = delta(before, after, "health_check_duration_seconds_count", "check", REDIS, "status", "DOWN");
        assertThat(downRuns)
                .as("DOWN executions of the redis check during the outage")
                .isPositive();
        assertThat(after.sum("redis_probe_failures_total") - before.sum("redis_probe_failures_total"))
                .as("one failure per DOWN execution")
                .isEqualTo(downRuns);
        assertThat(after.value("redis_probe_failures_total", "reason", "not_connected")
                        + after.value("redis_probe_failures_total", "reason", "refused")
                        - before.value("redis_probe_failures_total", "reason", "not_connected")
                        - before.value("redis_probe_failures_total", "reason", "refused"))
                .as("a stopped Redis is refused or not connected")
                .isEqualTo(downRuns);
    }

    @Test
    void aCachedAnswerIsOneCacheHitAndNoExecution() {
        HttpProbe.get(base(), HealthPaths.HEALTH); // the Redis result is cached now
        PrometheusScrape before = scrape();

        HttpProbe.Response health = HttpProbe.get(base(), HealthPaths.HEALTH);

        PrometheusScrape after = scrape();
        assertThat(health.body()).contains("\"cached\":true");
        assertThat(delta(before, after, "health_check_cache_hits_total", "check", REDIS))
                .isEqualTo(1);
        assertThat(delta(before, after, "health_check_duration_seconds_count", "check", REDIS, "status", "UP"))
                .isZero();
        // The in-process checks are never cached: one execution each.
        for (String check : List.of(HealthFactory.LIFECYCLE_CHECK, HealthFactory.PROCESS_CHECK)) {
            assertThat(delta(before, after, "health_check_duration_seconds_count", "check", check, "status", "UP"))
                    .as(check)
                    .isEqualTo(1);
            assertThat(delta(before, after, "health_check_cache_hits_total", "check", check))
                    .as(check)
                    .isZero();
        }
        assertThat(delta(
                        before,
                        after,
                        "http_server_requests_seconds_count",
                        "uri",
                        HealthPaths.HEALTH,
                        "status",
                        "200"))
                .isEqualTo(1);
    }

    @Test
    void commandsThroughGetClientAreTimedByCommandType() {
        setKeys(1);
        PrometheusScrape before = scrape();

        setKeys(25);

        PrometheusScrape after = scrape();
        assertThat(delta(before, after, "lettuce_command_completion_seconds_count", "command", "SET"))
                .isEqualTo(25);
        assertThat(delta(before, after, "lettuce_command_firstresponse_seconds_count", "command", "SET"))
                .isEqualTo(25);
        assertThat(after.named("lettuce_command_completion_seconds_count"))
                .as("no key or argument in any tag")
                .allSatisfy(sample ->
                        assertThat(sample.labels().values()).noneMatch(value -> value.contains("metrics-it-key")));
    }

    @Test
    void scrapingSendsRedisNothing() {
        scrape();
        long before = commandsSent();

        for (int i = 0; i < 20; i++) {
            scrape();
        }

        assertThat(commandsSent()).isEqualTo(before);
    }

    /** Redis stopped until the service reports it, then started until the service reports it back. */
    private void flap() {
        redis.stop();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> HttpProbe.get(base(), HealthPaths.READY).status() == 503);
        redis.restart();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> HttpProbe.get(base(), HealthPaths.READY).status() == 200);
    }

    private void setKeys(int count) {
        RedisClusterAsyncCommands<String, String> commands =
                manager.getClient().toCompletableFuture().join();
        CompletableFuture.allOf(IntStream.range(0, count)
                        .mapToObj(i -> commands.set("metrics-it-key-" + i, "v").toCompletableFuture())
                        .toArray(CompletableFuture[]::new))
                .join();
    }

    /** Every command Redis executed so far, except the INFO calls this count itself makes. */
    private long commandsSent() {
        long calls = 0;
        for (String line : redis.command("INFO", "commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:")) {
                String field = line.substring(line.indexOf("calls=") + "calls=".length());
                calls += Long.parseLong(field.substring(0, field.indexOf(',')));
            }
        }
        return calls;
    }

    private static double delta(PrometheusScrape before, PrometheusScrape after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }
}
