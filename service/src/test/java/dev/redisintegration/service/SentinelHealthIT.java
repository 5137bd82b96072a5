package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.redisintegration.testing.HttpProbe;
import dev.redisintegration.testing.redis.RedisSentinelGroup;
import dev.redisintegration.testing.redis.RedisServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The service against a real Sentinel group (a primary, a replica, three Sentinels; a password on the data nodes and
 * another on the Sentinels), configured through Micronaut properties: /health shows the primary the Sentinels name
 * and how many answered, /health/ready stays terse, one probe round serves any number of concurrent requests, fewer
 * than a majority of Sentinels is a warning, and a primary name no Sentinel knows is DOWN with a clear reason, kept
 * while the client retries in the background.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SentinelHealthIT implements TestPropertyProvider {

    private static final String PASSWORD = "data-" + UUID.randomUUID();
    private static final String SENTINEL_PASSWORD = "sentinel-" + UUID.randomUUID();
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private RedisSentinelGroup group;

    @Inject
    EmbeddedServer server;

    @Inject
    FakeTicker ticker;

    @Override
    public Map<String, String> getProperties() {
        group = RedisSentinelGroup.builder()
                .password(PASSWORD)
                .sentinelPassword(SENTINEL_PASSWORD)
                .build();
        return Map.of(
                "redis.primary.endpoint",
                endpoint(group.masterName()),
                "redis.mode",
                "sentinel",
                "redis.password",
                PASSWORD,
                "redis.sentinel.password",
                SENTINEL_PASSWORD,
                // The client's own ROLE verification (every 5 s by default) would blur the command count below.
                "redis.verify.interval",
                "1h",
                FakeTicker.PROPERTY,
                "true");
    }

    @AfterAll
    void stopGroup() {
        if (group != null) {
            group.close();
        }
    }

    /** The Sentinels and a primary name, passwords given as properties of their own (as in the manifests). */
    private String endpoint(String masterName) {
        return "redis-sentinel://"
                + group.sentinels().stream().map(RedisServer::endpoint).collect(Collectors.joining(",")) + "#"
                + masterName;
    }

    private URI base() {
        return server.getURI();
    }

    @Test
    @Order(1)
    void healthShowsThePrimaryAndTheSentinelsAndReadinessOnlyItsVerdict() {
        // Before any request: the startup warm-up's probe opened its link to every Sentinel, so no /health pays for it.
        await().atMost(HealthCalls.STARTUP)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> group.sentinels().stream()
                        .allMatch(sentinel -> sentinel.clientList().stream()
                                .anyMatch(line -> line.contains("cmd=sentinel|get-master-addr-by-name"))));
        HttpProbe.Response health = HealthCalls.awaitHealthUp(base());
        HttpProbe.Response ready = HttpProbe.get(base(), HealthPaths.READY);

        assertThat(HealthCalls.redisDetails(health))
                .containsEntry("mode", "sentinel")
                .containsEntry("master", group.primary().endpoint())
                .containsEntry("sentinels", "3/3 answered")
                .containsEntry("role", "PRIMARY")
                .containsKey("pingLatencyMs")
                .doesNotContainKey("warning");
        assertThat((String) HealthCalls.redisDetails(health).get("url"))
                .startsWith("redis-sentinel://")
                .endsWith("#" + group.masterName());
        assertThat(health.body()).doesNotContain(PASSWORD).doesNotContain(SENTINEL_PASSWORD);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json()).isEqualTo(Map.of("status", "UP", "failing", List.of()));
        assertThat(ready.body()).doesNotContain(String.valueOf(group.primary().port()));
    }

    @Test
    @Order(2)
    void fiveHundredConcurrentRequestsOnAnExpiredCacheSendOneProbeRound() {
        HealthCalls.awaitHealthUp(base());
        ticker.advance(Duration.ofMinutes(6)); // past the 5 min success TTL
        List<Long> commandsBefore = sentinelCommands();
        long rolesBefore = group.primary().commandCount("role");

        List<HttpProbe.Response> responses = HealthCalls.concurrently(base(), HealthPaths.HEALTH, 500);

        assertThat(responses)
                .allSatisfy(response -> assertThat(response.status()).isEqualTo(200));
        // One round = one ROLE on the primary, and each Sentinel asked once for the primary. Sentinel keeps no
        // per-command statistics, only a total that includes the PING every peer Sentinel sends each second: a
        // round per request would be 500 commands on each.
        assertThat(group.primary().commandCount("role") - rolesBefore).isEqualTo(1);
        List<Long> commandsAfter = sentinelCommands();
        assertThat(IntStream.range(0, commandsAfter.size()).mapToObj(i -> commandsAfter.get(i) - commandsBefore.get(i)))
                .allSatisfy(commands -> assertThat(commands).isBetween(1L, 25L));
    }

    @Test
    @Order(3)
    void fewerThanAMajorityOfSentinelsAnsweringIsUpWithAWarning() {
        HealthCalls.awaitHealthUp(base());
        List<RedisServer> sentinels = group.sentinels();
        sentinels.get(1).pause();
        sentinels.get(2).pause();
        try {
            ticker.advance(Duration.ofMinutes(6));
            HttpProbe.Response health = HttpProbe.get(base(), HealthPaths.HEALTH);

            assertThat(health.elapsed()).isLessThan(ONE_SECOND);
            assertThat(health.status()).as("%s", health).isEqualTo(200);
            assertThat(HealthCalls.redisDetails(health))
                    .containsEntry("sentinels", "1/3 answered")
                    .containsEntry("warning", "only 1 of 3 Sentinels answered: a failover needs a majority (2)");
            assertThat(HttpProbe.get(base(), HealthPaths.READY).json())
                    .isEqualTo(Map.of("status", "UP", "failing", List.of()));
        } finally {
            sentinels.get(1).resume();
            sentinels.get(2).resume();
        }
    }

    @Test
    @Order(4)
    void aPrimaryNameNoSentinelKnowsIsDownWithAClearReason() {
        EmbeddedServer wrong = ApplicationContext.run(
                EmbeddedServer.class,
                Map.of(
                        "redis.primary.endpoint", endpoint("no-such-master"),
                        "redis.password", PASSWORD,
                        "redis.sentinel.password", SENTINEL_PASSWORD));
        try {
            HttpProbe.Response health = await().atMost(HealthCalls.STARTUP)
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () -> HttpProbe.get(wrong.getURI(), HealthPaths.HEALTH),
                            response -> RedisOutageIT.redisReason(response) != null
                                    && RedisOutageIT.redisReason(response).contains("no-such-master"));
            HttpProbe.Response ready = HttpProbe.get(wrong.getURI(), HealthPaths.READY);

            assertThat(health.status()).isEqualTo(503);
            assertThat(health.elapsed()).isLessThan(ONE_SECOND);
            assertThat(RedisOutageIT.redisReason(health))
                    .contains("no Sentinel knows a primary named 'no-such-master'");
            assertThat(health.body()).doesNotContain(PASSWORD).doesNotContain(SENTINEL_PASSWORD);
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json()).isEqualTo(Map.of("status", "DOWN", "failing", List.of("redis")));
            // The client retries in the background (back-off capped at 2 s) and each failed connect is an event: the
            // kept DOWN must survive them, or every request would open a connection to every Sentinel.
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () -> HttpProbe.get(wrong.getURI(), HealthPaths.HEALTH),
                            response -> response.status() == 503
                                    && Boolean.TRUE.equals(
                                            HealthCalls.redisCheck(response).get("cached")));
        } finally {
            wrong.getApplicationContext().close();
        }
    }

    /** Commands each Sentinel has processed so far ({@code total_commands_processed} of {@code INFO stats}). */
    private List<Long> sentinelCommands() {
        return group.sentinels().stream()
                .map(sentinel -> {
                    for (String line : sentinel.command("INFO", "stats").split("\r?\n")) {
                        if (line.startsWith("total_commands_processed:")) {
                            return Long.parseLong(
                                    line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                    throw new IllegalStateException(
                            "no total_commands_processed in INFO stats of " + sentinel.endpoint());
                })
                .toList();
    }
}
