package dev.redisintegration.redis;

import static dev.redisintegration.redis.ItSupport.events;
import static dev.redisintegration.redis.ItSupport.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.redisintegration.testing.LogCapture;
import dev.redisintegration.testing.redis.ClusterNode;
import dev.redisintegration.testing.redis.RedisCluster;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
 * The manager against a real Redis Cluster (3 primaries with a replica each, cluster-node-timeout 1 s, a password),
 * started once for the class. The tests run in order because the last ones change the cluster: a range of slots
 * uncovered and covered again, then a primary killed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final String PASSWORD = "cluster-" + UUID.randomUUID();
    private static final Duration PING_TIMEOUT = Duration.ofMillis(500);
    /** One key per hash slot: a write to each proves every slot is served. */
    private static final List<String> KEY_PER_SLOT = RedisCluster.keyPerSlot();

    private static RedisCluster cluster;

    private final Closer closer = new Closer();
    private LogCapture logs;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = RedisCluster.builder().password(PASSWORD).build();
        // The first Lettuce connections of a JVM load and generate a lot; the timings below are about steady state.
        try (RedisConnectionManager warmUp =
                RedisConnectionManager.create(settings(Map.of(RedisSettings.ENV_CONNECT_TIMEOUT, "30s")))) {
            result(warmUp.getClient());
            result(warmUp.probe());
        }
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
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
        assertThat(logs.lines()).noneMatch(line -> line.contains(PASSWORD));
    }

    private static RedisSettings settings(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put(RedisSettings.ENV_ENDPOINT, cluster.seeds());
        env.put(RedisSettings.ENV_PASSWORD, PASSWORD);
        env.put(RedisSettings.ENV_CLIENT_NAME, "cluster-it");
        env.put(RedisSettings.ENV_PING_TIMEOUT, PING_TIMEOUT.toMillis() + "ms");
        env.putAll(extra);
        return RedisSettings.fromEnvironment(env);
    }

    private RedisConnectionManager manager(Map<String, String> extra) {
        return closer.add(RedisConnectionManager.create(settings(extra)));
    }

    /** Writes one key to every slot at once; how many writes failed. */
    private static long failedWritesToEverySlot(RedisClusterAsyncCommands<String, String> commands, String value)
            throws Exception {
        List<CompletableFuture<Boolean>> writes = new ArrayList<>();
        for (String key : KEY_PER_SLOT) {
            writes.add(commands.set(key, value)
                    .toCompletableFuture()
                    .handle((ok, error) -> error == null && "OK".equals(ok)));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        return writes.stream().filter(write -> !write.join()).count();
    }

    @Test
    @Order(1)
    void commandsReachEverySlotAndTheProbeReportsTheTopology() throws Exception {
        RedisConnectionManager manager = manager(Map.of(RedisSettings.ENV_MODE, "cluster"));
        List<ConnectionStateEvent> events = events(manager);
        RedisClusterAsyncCommands<String, String> commands = result(manager.getClient());

        Set<Integer> owners = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            result(commands.set("key:" + i, "value-" + i));
        }
        for (int i = 0; i < 200; i++) {
            ClusterNode owner = cluster.primaryForKey("key:" + i);
            owners.add(owner.port());
            assertThat(cluster.command(owner, "GET", "key:" + i)).isEqualTo("value-" + i);
            assertThat(result(commands.get("key:" + i))).isEqualTo("value-" + i);
        }
        assertThat(owners).hasSize(3);
        assertThat(failedWritesToEverySlot(commands, "v")).isZero();

        RedisProbe probe = result(manager.probe());

        assertThat(probe.up()).as("probe %s", probe).isTrue();
        assertThat(probe.latency()).isLessThan(PING_TIMEOUT);
        assertThat(probe.details())
                .containsExactly(
                        Map.entry("mode", "cluster"),
                        Map.entry("cluster_state", "ok"),
                        Map.entry("primaries", "3/3 answered"),
                        Map.entry("replicas", "3/3 connected"),
                        Map.entry("slots", "16384/16384 served"));
        assertThat(result(manager.ping())).isTrue();
        assertThat(events).extracting(ConnectionStateEvent::state).containsExactly(ConnectionState.CONNECTED);
        assertThat(manager.getConnectionUrl())
                .startsWith("redis://:****@127.0.0.1:")
                .contains(cluster.seeds())
                .doesNotContain(PASSWORD);
        assertThat(manager.settings().mode()).isEqualTo(RedisMode.CLUSTER);

        manager.close();
        manager.close();
        assertThatThrownBy(manager::getClient).isInstanceOf(IllegalStateException.class);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> cluster.nodes().stream()
                        .noneMatch(node -> cluster.server(node).clientList().stream()
                                .anyMatch(l -> l.contains(" name=cluster-it "))));
    }

    @Test
    @Order(2)
    void aSlotMovedToAnotherPrimaryIsFollowed() throws Exception {
        RedisConnectionManager manager = manager(Map.of());
        RedisClusterAsyncCommands<String, String> commands = result(manager.getClient());
        String key = "{moved}:key";
        int slot = RedisCluster.slotOf(key);
        ClusterNode source = cluster.primaryForSlot(slot);
        ClusterNode target = cluster.primaries().stream()
                .filter(p -> !p.id().equals(source.id()))
                .findFirst()
                .orElseThrow();
        result(commands.set(key, "before")); // the client has the topology now, with the slot on the source
        // An empty slot moves without MIGRATE: remove what this and earlier tests wrote there.
        String keysInSlot = cluster.command(source, "CLUSTER", "GETKEYSINSLOT", String.valueOf(slot), "1000");
        for (String stored : keysInSlot.split("\n")) {
            if (!stored.isEmpty()) {
                cluster.command(source, "DEL", stored);
            }
        }

        // Importing, migrating, then the new owner on both.
        cluster.command(target, "CLUSTER", "SETSLOT", String.valueOf(slot), "IMPORTING", source.id());
        cluster.command(source, "CLUSTER", "SETSLOT", String.valueOf(slot), "MIGRATING", target.id());
        for (ClusterNode primary : List.of(target, source)) {
            cluster.command(primary, "CLUSTER", "SETSLOT", String.valueOf(slot), "NODE", target.id());
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cluster.primaryForSlot(slot).id().equals(target.id()));

        assertThat(result(commands.set(key, "after"))).isEqualTo("OK");

        assertThat(cluster.command(target, "GET", key)).isEqualTo("after");
        assertThat(result(commands.get(key))).isEqualTo("after");
        assertThat(manager.stats().movedReplies())
                .as("redirects the cluster client follows are not counted")
                .isZero();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> result(manager.probe()).up());
    }

    @Test
    @Order(3)
    void exclusiveConnectionsRunOnThePrimaryOfTheKey() throws Exception {
        RedisConnectionManager manager = manager(Map.of(RedisSettings.ENV_MODE, "cluster"));

        assertThatThrownBy(() -> manager.withExclusiveConnection(
                        connection -> connection.async().ping()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("use withExclusiveConnection(key, work)");

        TransactionResult transaction = result(manager.withExclusiveConnection("{order:42}:items", connection -> {
            RedisAsyncCommands<String, String> tx = connection.async();
            tx.multi();
            tx.rpush("{order:42}:items", "book");
            tx.incr("{order:42}:count");
            return tx.exec();
        }));

        assertThat(transaction.wasDiscarded()).isFalse();
        assertThat(transaction.<Long>get(1)).isEqualTo(1L);
        ClusterNode owner = cluster.primaryForKey("{order:42}:items");
        assertThat(cluster.command(owner, "LRANGE", "{order:42}:items", "0", "-1"))
                .isEqualTo("book");
        assertThat(cluster.command(owner, "GET", "{order:42}:count")).isEqualTo("1");
        assertThat(cluster.server(owner).clientList()).anyMatch(line -> line.contains(" name=cluster-it "));
    }

    @Test
    @Order(4)
    void autoModeFindsAClusterBehindOnePlainEndpoint() throws Exception {
        ClusterNode seed = cluster.nodes().get(0);
        RedisConnectionManager manager = manager(Map.of(RedisSettings.ENV_ENDPOINT, seed.endpoint()));
        assertThat(manager.settings().mode()).isEqualTo(RedisMode.AUTO);

        RedisClusterAsyncCommands<String, String> commands = result(manager.getClient());

        assertThat(failedWritesToEverySlot(commands, "auto")).isZero();
        RedisProbe probe = result(manager.probe());
        assertThat(probe.up()).as("probe %s", probe).isTrue();
        assertThat(probe.details()).containsEntry("mode", "cluster");
        assertThat(logs.lines(Level.INFO, "dev.redisintegration.redis.RedisConnectionManager"))
                .filteredOn(line -> line.contains("is a Redis Cluster node"))
                .singleElement()
                .asString()
                .contains("REDIS_MODE=cluster");
        assertThatThrownBy(() -> manager.withExclusiveConnection(
                        connection -> connection.async().ping()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Order(5)
    void aClusterNodeUsedAsStandaloneAnswersMovedWhichIsCountedAndLoggedOnce() throws Exception {
        ClusterNode seed = cluster.primaries().get(0);
        RedisConnectionManager manager =
                manager(Map.of(RedisSettings.ENV_ENDPOINT, seed.endpoint(), RedisSettings.ENV_MODE, "standalone"));
        RedisClusterAsyncCommands<String, String> commands = result(manager.getClient());
        List<String> elsewhere = KEY_PER_SLOT.stream()
                .filter(key -> !seed.servesSlot(RedisCluster.slotOf(key)))
                .limit(3)
                .toList();

        for (String key : elsewhere) {
            assertThatThrownBy(() -> result(commands.set(key, "x")))
                    .isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("MOVED");
        }

        // Lettuce tells its command listeners right after it completes the command.
        await().atMost(Duration.ofSeconds(2)).until(() -> manager.stats().movedReplies() == 3);
        assertThat(logs.lines(Level.WARN, "dev.redisintegration.redis.RedisConnectionManager"))
                .filteredOn(line -> line.contains("MOVED"))
                .singleElement()
                .asString()
                .contains("REDIS_MODE=cluster");
    }

    @Test
    @Order(6)
    void anUncoveredRangeIsDownAndNamedUntilItIsCoveredAgain() throws Exception {
        RedisConnectionManager manager = manager(Map.of(RedisSettings.ENV_MODE, "cluster"));
        assertThat(result(manager.probe()).up()).isTrue();
        ClusterNode owner = cluster.primaryForSlot(100);

        cluster.uncoverSlots(100, 199);
        try {
            RedisProbe down = result(manager.probe());

            assertThat(down.up()).isFalse();
            assertThat(down.latency()).isLessThan(PING_TIMEOUT.plusMillis(300));
            assertThat(down.failureReason())
                    .startsWith("cluster_state:fail (")
                    .contains("slots 100-199: not served by any node");
            assertThat(down.details())
                    .containsEntry("cluster_state", "fail")
                    .containsEntry("slots", "16284/16384 served");
        } finally {
            cluster.coverSlots(100, 199, owner);
            cluster.awaitClusterOk(Duration.ofSeconds(20));
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> result(manager.probe()).up());
    }

    @Test
    @Order(7)
    void aKilledPrimaryIsReplacedAndWritesReachEverySlotWithinSecondsOfThePromotion() throws Exception {
        RedisConnectionManager manager = manager(Map.of(RedisSettings.ENV_MODE, "cluster"));
        List<ConnectionStateEvent> events = events(manager);
        RedisClusterAsyncCommands<String, String> commands = result(manager.getClient());
        assertThat(failedWritesToEverySlot(commands, "before")).isZero();
        ClusterNode victim = cluster.primaryForSlot(0);
        String firstRange = victim.slots().get(0).toString();

        long killedAt = System.nanoTime();
        cluster.kill(victim);

        RedisProbe down = await().atMost(Duration.ofSeconds(5)).until(() -> result(manager.probe()), p -> !p.up());
        assertThat(down.failureReason()).contains("slots " + firstRange).contains("(" + victim.endpoint() + ")");
        ClusterNode promoted = cluster.awaitPromotion(victim, Duration.ofSeconds(20));
        long promotedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> failedWritesToEverySlot(commands, "after") == 0);
        long writesAt = System.nanoTime();
        cluster.awaitClusterOk(Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> result(manager.probe()).up());
        long probeUpAt = System.nanoTime();

        System.out.printf(
                "Cluster failover: killed %s, promoted %s %d ms later; writes to all 16384 slots succeeded "
                        + "%d ms after the promotion; probe UP %d ms after the promotion%n",
                victim.endpoint(),
                promoted.endpoint(),
                millis(killedAt, promotedAt),
                millis(promotedAt, writesAt),
                millis(promotedAt, probeUpAt));
        assertThat(Duration.ofNanos(writesAt - promotedAt)).isLessThan(Duration.ofSeconds(5));
        assertThat(cluster.command(promoted, "GET", KEY_PER_SLOT.get(0))).isEqualTo("after");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> events.get(events.size() - 1).state() == ConnectionState.CONNECTED);
        assertThat(events)
                .extracting(ConnectionStateEvent::state)
                .containsSubsequence(
                        ConnectionState.CONNECTED, ConnectionState.DISCONNECTED, ConnectionState.CONNECTED);

        // A lost replica shows, but does not make the probe fail.
        ClusterNode replica = cluster.nodes().stream()
                .filter(node -> !node.isPrimary() && !node.isFailing())
                .findFirst()
                .orElseThrow();
        cluster.kill(replica);
        RedisProbe withoutReplica = await().atMost(Duration.ofSeconds(5))
                .until(
                        () -> result(manager.probe()),
                        probe -> "1/2 connected".equals(probe.details().get("replicas")));
        assertThat(withoutReplica.up()).as("probe %s", withoutReplica).isTrue();
        assertThat(withoutReplica.details()).containsEntry("primaries", "3/3 answered");
    }

    private static long millis(long from, long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from);
    }
}
