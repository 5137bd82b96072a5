package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.health.HealthStatus;
import dev.redisintegration.health.StatusTransition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthHistoryTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void keepsTheLastFiftyTransitionsPerCheckNewestFirst() {
        HealthHistory history = new HealthHistory();
        history.onTransition(new StatusTransition("redis", null, HealthStatus.UP, T0, null, Duration.ofSeconds(1)));
        for (int i = 1; i <= 60; i++) {
            HealthStatus to = i % 2 == 1 ? HealthStatus.DOWN : HealthStatus.UP;
            history.onTransition(new StatusTransition(
                    "redis",
                    to == HealthStatus.UP ? HealthStatus.DOWN : HealthStatus.UP,
                    to,
                    T0.plusSeconds(i),
                    to == HealthStatus.UP ? null : "refused " + i,
                    Duration.ofSeconds(1)));
        }
        history.onTransition(new StatusTransition("process", null, HealthStatus.UP, T0, null, Duration.ZERO));

        List<StatusTransition> redis = history.snapshot().get("redis");
        assertThat(redis).hasSize(HealthHistory.CAPACITY);
        assertThat(redis.get(0).at()).isEqualTo(T0.plusSeconds(60));
        assertThat(redis.get(HealthHistory.CAPACITY - 1).at()).isEqualTo(T0.plusSeconds(11));
        assertThat(history.snapshot()).containsOnlyKeys("process", "redis");
        assertThat(history.snapshot().keySet()).containsExactly("process", "redis");
    }

    @Test
    void aSnapshotIsACopy() {
        HealthHistory history = new HealthHistory();
        history.onTransition(new StatusTransition("redis", null, HealthStatus.UP, T0, null, Duration.ZERO));
        List<StatusTransition> before = history.snapshot().get("redis");

        history.onTransition(new StatusTransition(
                "redis",
                HealthStatus.UP,
                HealthStatus.DOWN,
                T0.plusSeconds(5),
                "connection refused",
                Duration.ofSeconds(5)));

        assertThat(before).hasSize(1);
        assertThat(history.snapshot().get("redis")).hasSize(2);
    }
}
