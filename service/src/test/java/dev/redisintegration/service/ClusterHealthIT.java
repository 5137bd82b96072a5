package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.redisintegration.redis.RedisMode;
import dev.redisintegration.redis.RedisSettings;
import dev.redisintegration.testing.HttpProbe;
import dev.redisintegration.testing.redis.ClusterNode;
import dev.redisintegration.testing.redis.RedisCluster;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The service against a real Redis Cluster (3 primaries with a replica each, a password), configured through
 * Micronaut properties: /health shows the cluster, /health/ready stays terse, one probe round serves any number of
 * concurrent requests, a cluster behind one plain endpoint is found without {@code redis.mode}, and a range of slots
 * nobody serves is DOWN, named. The uncovered range runs last: it changes the cluster.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterHealthIT implements TestPropertyProvider {

    private static final String PASSWORD = "cluster-" + UUID.randomUUID();
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private RedisCluster cluster;

    @Inject
    EmbeddedServer server;

    @Inject
    FakeTicker ticker;

    @Override
    public Map<String, String> getProperties() {
        cluster = RedisCluster.builder().password(PASSWORD).build();
        return Map.of(
                "redis.primary.endpoint",
                cluster.seeds(),
                "redis.mode",
                "cluster",
                "redis.password",
                PASSWORD,
                FakeTicker.PROPERTY,
                "true");
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private URI base() {
        return server.getURI();
    }

    @Test
    @Order(1)
    void healthShowsTheClusterAndReadinessOnlyItsVerdict() {
        HttpProbe.Response health = HealthCalls.awaitHealthUp(base());
        HttpProbe.Response ready = HttpProbe.get(base(), HealthPaths.READY);

        assertThat(HealthCalls.redisDetails(health))
                .containsEntry("url", "redis://:****@" + cluster.seeds())
                .containsEntry("mode", "cluster")
                .containsEntry("cluster_state", "ok")
                .containsEntry("primaries", "3/3 answered")
                .containsEntry("replicas", "3/3 connected")
                .containsEntry("slots", "16384/16384 served")
                .containsEntry("role", "UNKNOWN")
                .containsKey("pingLatencyMs");
        assertThat(health.body()).doesNotContain(PASSWORD);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json()).isEqualTo(Map.of("status", "UP", "failing", List.of()));
    }

    @Test
    @Order(2)
    void fiveHundredConcurrentRequestsOnAnExpiredCacheSendOneProbeRound() {
        HealthCalls.awaitHealthUp(base());
        ticker.advance(Duration.ofMinutes(6)); // past the 5 min success TTL
        Map<Integer, Long> before = clusterInfoCalls();

        List<HttpProbe.Response> responses = HealthCalls.concurrently(base(), HealthPaths.HEALTH, 500);

        assertThat(responses)
                .allSatisfy(response -> assertThat(response.status()).isEqualTo(200));
        // One round = CLUSTER INFO once on each primary (replicas are not asked), whatever the number of requests.
        Map<Integer, Long> sent = new HashMap<>();
        clusterInfoCalls().forEach((port, calls) -> sent.put(port, calls - before.getOrDefault(port, 0L)));
        Map<Integer, Long> oneRound = new HashMap<>();
        cluster.nodes().forEach(node -> oneRound.put(node.port(), node.isPrimary() ? 1L : 0L));
        assertThat(sent).isEqualTo(oneRound);
    }

    @Test
    @Order(3)
    void aClusterBehindOnePlainEndpointIsFoundWithoutRedisMode() {
        ClusterNode seed = cluster.nodes().get(0);
        EmbeddedServer auto = ApplicationContext.run(
                EmbeddedServer.class, Map.of("redis.primary.endpoint", seed.endpoint(), "redis.password", PASSWORD));
        try {
            HttpProbe.Response health = HealthCalls.awaitHealthUp(auto.getURI());

            assertThat(auto.getApplicationContext().getBean(RedisSettings.class).mode())
                    .isEqualTo(RedisMode.AUTO);
            assertThat(HealthCalls.redisDetails(health))
                    .containsEntry("url", "redis://:****@" + seed.endpoint())
                    .containsEntry("mode", "cluster")
                    .containsEntry("cluster_state", "ok")
                    .containsEntry("slots", "16384/16384 served");
            assertThat(HttpProbe.get(auto.getURI(), HealthPaths.READY).status()).isEqualTo(200);
        } finally {
            auto.getApplicationContext().close();
        }
    }

    @Test
    @Order(4)
    void aRangeOfSlotsNobodyServesIsDownAndNamedInHealthOnly() {
        HealthCalls.awaitHealthUp(base());
        ClusterNode owner = cluster.primaryForSlot(100);

        cluster.uncoverSlots(100, 199);
        try {
            // No connection drops when slots are unassigned: the cached UP expires, as it would after its TTL.
            ticker.advance(Duration.ofMinutes(6));
            HttpProbe.Response health = HttpProbe.get(base(), HealthPaths.HEALTH);
            HttpProbe.Response ready = HttpProbe.get(base(), HealthPaths.READY);

            assertThat(health.status()).isEqualTo(503);
            assertThat(health.elapsed()).isLessThan(ONE_SECOND);
            assertThat(RedisOutageIT.redisReason(health)).contains("slots 100-199: not served by any node");
            assertThat(HealthCalls.redisDetails(health))
                    .containsEntry("cluster_state", "fail")
                    .containsEntry("slots", "16284/16384 served");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json()).isEqualTo(Map.of("status", "DOWN", "failing", List.of("redis")));
            assertThat(ready.body()).doesNotContain("100-199").doesNotContain("127.0.0.1");
        } finally {
            cluster.coverSlots(100, 199, owner);
            cluster.awaitClusterOk(HealthCalls.STARTUP);
        }
        // The DOWN is cached for the failure TTL (1 min): expire it as time would.
        await().atMost(HealthCalls.STARTUP).pollInterval(Duration.ofMillis(200)).until(() -> {
            ticker.advance(Duration.ofMinutes(2));
            return HttpProbe.get(base(), HealthPaths.READY).status() == 200;
        });
    }

    /** {@code CLUSTER INFO} calls so far, by node port (redis-client's probe is the only sender). */
    private Map<Integer, Long> clusterInfoCalls() {
        Map<Integer, Long> calls = new HashMap<>();
        for (ClusterNode node : cluster.nodes()) {
            calls.put(node.port(), cluster.server(node).commandCount("cluster|info"));
        }
        return calls;
    }
}
