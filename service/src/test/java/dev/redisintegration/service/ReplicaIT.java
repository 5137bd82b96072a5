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

/** The endpoint resolves to a replica (e.g. stale DNS after a failover): every write would fail with READONLY. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaIT implements TestPropertyProvider {

    private final RedisServer primary = RedisServer.start();
    private final RedisServer replica = RedisServer.builder().replicaOf(primary).build();

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        return Map.of(TestRedisSettingsFactory.ENDPOINT, replica.endpoint());
    }

    @AfterAll
    void stopRedis() {
        replica.close();
        primary.close();
    }

    @Test
    void connectedToAReplicaReadinessIsDown() {
        Http.Response health = Http.get(server.getURI(), HealthPaths.HEALTH);
        Http.Response ready = Http.get(server.getURI(), HealthPaths.READY);

        assertThat(health.status()).isEqualTo(503);
        assertThat(RedisOutageIT.redisReason(health)).isEqualTo("connected to a replica, not the primary");
        assertThat(health.body()).contains("\"role\":\"REPLICA\"");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json()).isEqualTo(Map.of("status", "DOWN", "failing", List.of("redis")));
        assertThat(Http.get(server.getURI(), HealthPaths.LIVE).status()).isEqualTo(200);
    }
}
