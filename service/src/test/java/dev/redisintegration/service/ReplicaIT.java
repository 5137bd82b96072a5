package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.testing.HttpProbe;
import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.RedisServerExtension;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The endpoint resolves to a replica (e.g. stale DNS after a failover): every write would fail with READONLY. */
@ExtendWith(RedisServerExtension.class)
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaIT implements TestPropertyProvider {

    /** The extension's plain server; the replica (a server with options) is the test's own. */
    RedisServer primary;

    private RedisServer replica;

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        replica = RedisServer.builder().replicaOf(primary).build();
        return Map.of("redis.primary.endpoint", replica.endpoint());
    }

    @AfterAll
    void stopReplica() {
        replica.close();
    }

    @Test
    void connectedToAReplicaReadinessIsDown() {
        HttpProbe.Response health = HttpProbe.get(server.getURI(), HealthPaths.HEALTH);
        HttpProbe.Response ready = HttpProbe.get(server.getURI(), HealthPaths.READY);

        assertThat(health.status()).isEqualTo(503);
        assertThat(RedisOutageIT.redisReason(health)).isEqualTo("connected to a replica, not the primary");
        assertThat(health.body()).contains("\"role\":\"REPLICA\"");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json()).isEqualTo(Map.of("status", "DOWN", "failing", List.of("redis")));
        assertThat(HttpProbe.get(server.getURI(), HealthPaths.LIVE).status()).isEqualTo(200);
    }
}
