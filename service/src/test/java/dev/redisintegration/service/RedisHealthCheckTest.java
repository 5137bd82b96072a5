package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.health.HealthResult;
import dev.redisintegration.health.HealthStatus;
import dev.redisintegration.redis.ConnectionState;
import dev.redisintegration.redis.ConnectionStateEvent;
import dev.redisintegration.redis.RedisProbe;
import dev.redisintegration.redis.ReplicationRole;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RedisHealthCheckTest {

    private static HealthResult resultOf(RedisProbe probe) {
        RedisHealthCheck check =
                new RedisHealthCheck(() -> CompletableFuture.completedFuture(probe), "redis://localhost:1");
        return check.check().toCompletableFuture().join();
    }

    @Test
    void primaryAnsweringIsUpWithRoleAndMaskedUrl() {
        HealthResult result = resultOf(RedisProbe.up(Duration.ofMillis(3), ReplicationRole.PRIMARY));

        assertThat(result.status()).isEqualTo(HealthStatus.UP);
        assertThat(result.reason()).isNull();
        assertThat(result.details())
                .containsEntry("role", "PRIMARY")
                .containsEntry("url", "redis://localhost:1")
                .containsEntry("pingLatencyMs", 3L);
    }

    @Test
    void theClientsRoleVerdictIsFollowed() {
        // redis-client reports a replica down unless REDIS_EXPECTED_ROLE=any; the check must not second-guess it.
        HealthResult wrongRole = resultOf(new RedisProbe(
                false, Duration.ofMillis(1), "connected to a replica, not the primary", ReplicationRole.REPLICA));
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
        assertThat(resultOf(RedisProbe.up(Duration.ofMillis(1), ReplicationRole.UNKNOWN))
                        .status())
                .isEqualTo(HealthStatus.UP);
    }

    @Test
    void sentinelTopologyIsShownBetweenTheUrlAndTheRoleWithItsWarning() {
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("mode", "sentinel");
        seen.put("master", "10.0.0.6:6379");
        seen.put("sentinels", "1/3 answered");
        seen.put("warning", "only 1 of 3 Sentinels answered: a failover needs a majority (2)");

        HealthResult result = resultOf(new RedisProbe(true, Duration.ofMillis(4), null, ReplicationRole.PRIMARY, seen));

        assertThat(result.status()).isEqualTo(HealthStatus.UP);
        assertThat(List.copyOf(result.details().keySet()))
                .containsExactly("url", "mode", "master", "sentinels", "warning", "role", "pingLatencyMs");
        assertThat(result.details()).containsAllEntriesOf(seen).containsEntry("role", "PRIMARY");
    }

    @Test
    void clusterTopologyIsShownWhenDownAndTheReasonNamesTheFailingRange() {
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("mode", "cluster");
        seen.put("cluster_state", "fail");
        seen.put("primaries", "3/3 answered");
        seen.put("replicas", "2/3 connected");
        seen.put("slots", "16284/16384 served");

        HealthResult result = resultOf(new RedisProbe(
                false,
                Duration.ofMillis(9),
                "cluster_state:fail (127.0.0.1:7000); slots 100-199: not served by any node",
                ReplicationRole.UNKNOWN,
                seen));

        assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(result.reason()).contains("slots 100-199: not served by any node");
        assertThat(result.details())
                .containsAllEntriesOf(seen)
                .containsEntry("role", "UNKNOWN")
                .containsEntry("url", "redis://localhost:1");
    }

    @Test
    void theServicesOwnDetailsKeepTheirMeaningWhateverTheProbeCallsItsOwn() {
        HealthResult result = resultOf(new RedisProbe(
                true,
                Duration.ofMillis(2),
                null,
                ReplicationRole.PRIMARY,
                Map.of("url", "tcp://elsewhere", "role", "something else", "mode", "standalone")));

        assertThat(result.details())
                .containsEntry("url", "redis://localhost:1")
                .containsEntry("role", "PRIMARY")
                .containsEntry("pingLatencyMs", 2L)
                .containsEntry("mode", "standalone");
    }

    @Test
    void theDeadlineLeavesTheProbeItsOwnBoundPlusAMargin() {
        // Defaults: a 500 ms probe bound under a 500 ms check deadline would lose every race it waits out.
        assertThat(RedisHealthCheck.deadline(Duration.ofMillis(500), Duration.ofMillis(500)))
                .isEqualTo(Duration.ofMillis(600));
        assertThat(RedisHealthCheck.deadline(Duration.ofMillis(300), Duration.ofMillis(500)))
                .isEqualTo(Duration.ofMillis(600));
        assertThat(RedisHealthCheck.deadline(Duration.ofMillis(600), Duration.ofMillis(500)))
                .isEqualTo(Duration.ofMillis(600));
        assertThat(RedisHealthCheck.deadline(Duration.ofSeconds(2), Duration.ofMillis(500)))
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void everyConnectionEventMakesTheKeptResultStaleButAFailedConnectOnlyWithANewReason() {
        RedisHealthCheck check = new RedisHealthCheck(() -> new CompletableFuture<>(), "redis://localhost:1");

        // A repeated failed connect finds the kept result DOWN for that very reason: dropping it would let every
        // request open a connection.
        assertThat(check.makesResultStale(event(ConnectionState.CONNECT_FAILED, "timed out")))
                .isTrue();
        assertThat(check.makesResultStale(event(ConnectionState.CONNECT_FAILED, "no Sentinel knows 'x'")))
                .isTrue();
        assertThat(check.makesResultStale(event(ConnectionState.CONNECT_FAILED, "no Sentinel knows 'x'")))
                .isFalse();
        assertThat(check.makesResultStale(event(ConnectionState.CONNECT_FAILED, "no Sentinel knows 'x'")))
                .isFalse();
        for (ConnectionState state : ConnectionState.values()) {
            if (state != ConnectionState.CONNECT_FAILED) {
                assertThat(check.makesResultStale(event(state, "attempt 1: refused")))
                        .as("%s", state)
                        .isTrue();
                assertThat(check.makesResultStale(event(state, "attempt 1: refused")))
                        .as("%s again", state)
                        .isTrue();
            }
        }
        // After any other event, the next outage's first failed connect counts again.
        assertThat(check.makesResultStale(event(ConnectionState.CONNECT_FAILED, "no Sentinel knows 'x'")))
                .isTrue();
    }

    private static ConnectionStateEvent event(ConnectionState state, String detail) {
        return new ConnectionStateEvent(state, Instant.EPOCH, detail);
    }
}
