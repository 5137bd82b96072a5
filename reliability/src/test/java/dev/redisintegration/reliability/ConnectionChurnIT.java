package dev.redisintegration.reliability;

import static dev.redisintegration.reliability.ReliabilityReport.ms;
import static dev.redisintegration.reliability.Scenarios.awaitReply;
import static dev.redisintegration.reliability.Scenarios.serviceConnections;
import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.reliability.Scenarios.Observation;
import dev.redisintegration.testing.redis.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Kill and restart Redis 100 times under one service: nothing may accumulate, neither threads nor connections. */
@Timeout(240)
class ConnectionChurnIT {

    private static final int CYCLES = 100;
    private static final int WARM_UP_CYCLES = 3;
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @Test
    void hundredKillRestartCyclesLeaveThreadAndConnectionCountsWhereTheyStarted() {
        try (RedisServer redis = RedisServer.start();
                ServiceProcess service = ServiceProcess.start("churn", Scenarios.env(redis.endpoint(), "1s", "1s"))) {
            // Warm-up cycles first: thread pools that start lazily (event loops, timers) belong to the baseline.
            for (int i = 0; i < WARM_UP_CYCLES; i++) {
                cycle(redis, service, -1);
            }
            Map<String, Integer> threadsBefore = service.javaThreadsByName();
            int javaThreadsBefore = sum(threadsBefore);
            int osThreadsBefore = service.osThreadCount();
            List<String> connectionsBefore = serviceConnections(redis);

            long started = System.nanoTime();
            Duration slowestRecovery = Duration.ZERO;
            for (int i = 0; i < CYCLES; i++) {
                Duration recovery = cycle(redis, service, i);
                slowestRecovery = recovery.compareTo(slowestRecovery) > 0 ? recovery : slowestRecovery;
            }
            Duration churn = Duration.ofNanos(System.nanoTime() - started);

            AtomicReference<Map<String, Integer>> threadsAfter = new AtomicReference<>(Map.of());
            AtomicReference<List<String>> connectionsAfter = new AtomicReference<>(List.of());
            boolean settled;
            try {
                Awaitility.await("thread and connection counts back to their starting values")
                        .atMost(SETTLE)
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            threadsAfter.set(service.javaThreadsByName());
                            connectionsAfter.set(serviceConnections(redis));
                            return sum(threadsAfter.get()) <= javaThreadsBefore
                                    && connectionsAfter.get().size() == connectionsBefore.size();
                        });
                settled = true;
            } catch (ConditionTimeoutException e) {
                settled = false;
            }
            int osThreadsAfter = service.osThreadCount();

            ReliabilityReport.record(
                    CYCLES + " kill/restart cycles",
                    "service thread count and its Redis connection count (CLIENT LIST) back to their starting values",
                    "Java threads " + javaThreadsBefore + " -> " + sum(threadsAfter.get()) + " (OS threads "
                            + osThreadsBefore + " -> " + osThreadsAfter + "), connections " + connectionsBefore.size()
                            + " -> " + connectionsAfter.get().size() + "; " + CYCLES + " cycles in "
                            + ms(churn) + ", slowest recovery to 200 " + ms(slowestRecovery),
                    settled);

            assertThat(sum(threadsAfter.get()))
                    .as(
                            "Java threads after %d cycles; change by name: %s",
                            CYCLES, ServiceProcess.threadDelta(threadsBefore, threadsAfter.get()))
                    .isLessThanOrEqualTo(javaThreadsBefore);
            assertThat(connectionsAfter.get())
                    .as("the service's connections in CLIENT LIST (before: %s)", connectionsBefore)
                    .hasSameSizeAs(connectionsBefore);
        }
    }

    /**
     * Stops Redis, makes the service look while it is gone, restarts it and waits for {@code /health} 200.
     * Returns the time from restart to 200.
     */
    private static Duration cycle(RedisServer redis, ServiceProcess service, int index) {
        redis.stop();
        Http.getOrFail(service, "/health");
        redis.restart();
        long restarted = System.nanoTime();
        Observation up = awaitReply(service, "/health", r -> r.status() == 200, Duration.ofSeconds(10), restarted);
        assertThat(up.met())
                .as("cycle %d: /health 200 within 10 s of the restart; last replies:\n%s", index, up.lastReplies())
                .isTrue();
        return up.elapsed();
    }

    private static int sum(Map<String, Integer> byName) {
        return byName.values().stream().mapToInt(Integer::intValue).sum();
    }
}
