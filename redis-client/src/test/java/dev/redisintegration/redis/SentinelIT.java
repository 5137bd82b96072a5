package dev.redisintegration.redis;

import static dev.redisintegration.redis.ItSupport.events;
import static dev.redisintegration.redis.ItSupport.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.redisintegration.testing.LogCapture;
import dev.redisintegration.testing.redis.RedisSentinelGroup;
import dev.redisintegration.testing.redis.RedisServer;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The manager against a real Sentinel group (a primary, a replica, three Sentinels), started once for the class, with
 * a password on the data nodes and another on the Sentinels. The failover runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SentinelIT {

    private static final String PASSWORD = "data-" + UUID.randomUUID();
    private static final String SENTINEL_PASSWORD = "sentinel-" + UUID.randomUUID();
    private static final Duration PING_TIMEOUT = Duration.ofMillis(500);
    private static RedisSentinelGroup group;

    private final Closer closer = new Closer();
    private LogCapture logs;

    @BeforeAll
    static void startGroup() throws Exception {
        group = RedisSentinelGroup.builder()
                .password(PASSWORD)
                .sentinelPassword(SENTINEL_PASSWORD)
                .build();
        try (RedisConnectionManager warmUp = RedisConnectionManager.create(
                settings(group.sentinelEndpoint(), Map.of(RedisSettings.ENV_CONNECT_TIMEOUT, "30s")))) {
            result(warmUp.getClient());
        }
    }

    @AfterAll
    static void stopGroup() {
        if (group != null) {
            group.close();
        }
    }

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.start();
    }

    @AfterEach
    void closeAndCheckLogs() throws Exception {
        closer.close();
        logs.close();
        assertThat(logs.lines()).noneMatch(line -> line.contains(PASSWORD) || line.contains(SENTINEL_PASSWORD));
    }

    private static RedisSettings settings(String endpoint, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put(RedisSettings.ENV_ENDPOINT, endpoint);
        env.put(RedisSettings.ENV_SENTINEL_PASSWORD, SENTINEL_PASSWORD);
        env.put(RedisSettings.ENV_CLIENT_NAME, "sentinel-it");
        env.put(RedisSettings.ENV_PING_TIMEOUT, PING_TIMEOUT.toMillis() + "ms");
        env.putAll(extra);
        return RedisSettings.fromEnvironment(env);
    }

    private RedisConnectionManager manager() {
        return closer.add(RedisConnectionManager.create(settings(group.sentinelEndpoint(), Map.of())));
    }

    private static long connectionsReceived(RedisServer sentinel) {
        for (String line : sentinel.command("INFO", "stats").split("\r?\n")) {
            if (line.startsWith("total_connections_received:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new IllegalStateException("no total_connections_received in INFO stats");
    }

    @Test
    @Order(1)
    void commandsGoToThePrimaryTheSentinelsNameAndTheProbeAsksThemAll() throws Exception {
        RedisConnectionManager manager = manager();
        List<ConnectionStateEvent> events = events(manager);
        RedisClusterAsyncCommands<String, String> commands = result(manager.getClient());

        result(commands.set("greeting", "hello"));

        RedisServer primary = group.primary();
        assertThat(primary.command("GET", "greeting")).isEqualTo("hello");
        assertThat(primary.clientList()).anyMatch(line -> line.contains(" name=sentinel-it "));
        RedisProbe probe = result(manager.probe());
        assertThat(probe.up()).as("probe %s", probe).isTrue();
        assertThat(probe.role()).isEqualTo(ReplicationRole.PRIMARY);
        assertThat(probe.details())
                .containsExactly(
                        Map.entry("mode", "sentinel"),
                        Map.entry("master", primary.endpoint()),
                        Map.entry("sentinels", "3/3 answered"));
        assertThat(events).extracting(ConnectionStateEvent::state).containsExactly(ConnectionState.CONNECTED);
        assertThat(manager.getConnectionUrl()).isEqualTo(group.maskedSentinelEndpoint());

        // Later probes reuse the connections to the Sentinels: one new connection per Sentinel at most, the INFO below.
        RedisServer sentinel = group.sentinels().get(0);
        long before = connectionsReceived(sentinel);
        for (int i = 0; i < 5; i++) {
            RedisProbe again = result(manager.probe());
            assertThat(again.up()).isTrue();
            assertThat(again.latency()).isLessThan(PING_TIMEOUT);
        }
        assertThat(connectionsReceived(sentinel) - before).isEqualTo(1);

        assertThat(probeLinks(sentinel)).isEqualTo(1);
        manager.close();
        manager.close();
        assertThatThrownBy(manager::probe).isInstanceOf(IllegalStateException.class);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> probeLinks(sentinel) == 0
                        && group.dataNodes().stream()
                                .allMatch(node -> node.clientList().stream()
                                        .noneMatch(line -> line.contains(" name=sentinel-it "))));
    }

    /** Connections to {@code sentinel} whose last command was the probe's question: the probe's link. */
    private static long probeLinks(RedisServer sentinel) {
        return sentinel.clientList().stream()
                .filter(line -> line.contains("get-master-addr-by-name"))
                .count();
    }

    @Test
    @Order(2)
    void anUnknownPrimaryNameIsAClearReason() throws Exception {
        String endpoint = group.sentinelEndpoint().replace("#" + group.masterName(), "#no-such-master");
        RedisConnectionManager manager = closer.add(RedisConnectionManager.create(settings(endpoint, Map.of())));

        RedisProbe probe = result(manager.probe());

        assertThat(probe.up()).isFalse();
        assertThat(probe.failureReason()).isEqualTo("no Sentinel knows a primary named 'no-such-master'");
        assertThat(logs.lines(Level.WARN, "dev.redisintegration.redis.RedisConnectionManager"))
                .anyMatch(line -> line.contains("no Sentinel knows a primary named 'no-such-master'"));
    }

    @Test
    @Order(3)
    void fewerThanAMajorityOfSentinelsIsAWarningNotAFailureAndTheProbeStaysBounded() throws Exception {
        RedisConnectionManager manager = manager();
        assertThat(result(manager.probe()).up()).isTrue();
        List<RedisServer> sentinels = group.sentinels();
        sentinels.get(1).pause();
        sentinels.get(2).pause();
        try {
            long start = System.nanoTime();
            RedisProbe probe = result(manager.probe());
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(probe.up()).as("probe %s", probe).isTrue();
            assertThat(took).isLessThan(PING_TIMEOUT.plusMillis(400));
            assertThat(probe.details())
                    .containsEntry("sentinels", "1/3 answered")
                    .containsEntry("warning", "only 1 of 3 Sentinels answered: a failover needs a majority (2)");
        } finally {
            sentinels.get(1).resume();
            sentinels.get(2).resume();
        }
    }

    @Test
    @Order(4)
    void afterAFailoverTheSameClientWritesToTheNewPrimaryAndTheProbeIsUpOnItWithinSeconds() throws Exception {
        RedisConnectionManager manager = manager();
        RedisClusterAsyncCommands<String, String> kept = result(manager.getClient());
        result(kept.set("k", "before"));
        assertThat(result(manager.probe()).up()).isTrue();

        long failoverStartedAt = System.nanoTime();
        RedisServer next = group.failover();
        long switchedAt = System.nanoTime();

        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .until(() -> "OK".equals(result(kept.set("k", "after"))) && "after".equals(next.command("GET", "k")));
        long writesAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> result(manager.probe()),
                        probe -> probe.up()
                                && next.endpoint().equals(probe.details().get("master")));
        long probeUpAt = System.nanoTime();

        System.out.printf(
                "Sentinel failover to %s: roles switched %d ms after SENTINEL FAILOVER; the kept client wrote "
                        + "to the new primary %d ms and the probe was UP on it %d ms after the switch%n",
                next.endpoint(),
                TimeUnit.NANOSECONDS.toMillis(switchedAt - failoverStartedAt),
                TimeUnit.NANOSECONDS.toMillis(writesAt - switchedAt),
                TimeUnit.NANOSECONDS.toMillis(probeUpAt - switchedAt));
        assertThat(next.clientList()).anyMatch(line -> line.contains(" name=sentinel-it "));
        assertThat(result(manager.probe()).role()).isEqualTo(ReplicationRole.PRIMARY);
    }
}
