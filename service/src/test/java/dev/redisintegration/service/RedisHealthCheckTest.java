package dev.redisintegration.service;

import dev.redisintegration.health.HealthResult;
import dev.redisintegration.health.HealthStatus;
import dev.redisintegration.redis.RedisProbe;
import dev.redisintegration.redis.ReplicationRole;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class RedisHealthCheckTest {

    private static HealthResult resultOf(RedisProbe probe) {
        RedisHealthCheck check = new RedisHealthCheck(() -> CompletableFuture.completedFuture(probe), "redis://localhost:1");
        return check.check().toCompletableFuture().join();
    }

    @Test
    void primaryAnsweringIsUpWithRoleAndMaskedUrl() {
        HealthResult result = resultOf(RedisProbe.up(Duration.ofMillis(3), ReplicationRole.PRIMARY));

        assertThat(result.status()).isEqualTo(HealthStatus.UP);
        assertThat(result.reason()).isNull();
        assertThat(result.details()).containsEntry("role", "PRIMARY").containsEntry("url", "redis://localhost:1")
                .containsEntry("pingLatencyMs", 3L);
    }

    @Test
    void theClientsRoleVerdictIsFollowed() {
        // redis-client reports a replica down unless REDIS_EXPECTED_ROLE=any; the check must not second-guess it.
        HealthResult wrongRole = resultOf(new RedisProbe(false, Duration.ofMillis(1),
                "connected to a replica, not the primary", ReplicationRole.REPLICA));
        HealthResult reader = resultOf(RedisProbe.up(Duration.ofMillis(1), ReplicationRole.REPLICA));

        assertThat(wrongRole.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(wrongRole.reason()).isEqualTo("connected to a replica, not the primary");
        assertThat(wrongRole.details()).containsEntry("role", "REPLICA");
        assertThat(reader.status()).isEqualTo(HealthStatus.UP);
        assertThat(reader.details()).containsEntry("role", "REPLICA");
    }

    @Test
    void failedProbeIsDownWithItsReason() {
        HealthResult result = resultOf(RedisProbe.down(Duration.ofMillis(500), "timed out after 500 ms"));

        assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(result.reason()).isEqualTo("timed out after 500 ms");
    }

    @Test
    void unknownRoleOfAnAnsweringServerIsStillUp() {
        // Some managed Redis services forbid ROLE/INFO; PONG alone must not fail readiness.
        assertThat(resultOf(RedisProbe.up(Duration.ofMillis(1), ReplicationRole.UNKNOWN)).status())
                .isEqualTo(HealthStatus.UP);
    }
}
