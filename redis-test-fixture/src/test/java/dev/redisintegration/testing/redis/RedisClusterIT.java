package dev.redisintegration.testing.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.redisintegration.testing.redis.ClusterNode.Role;
import dev.redisintegration.testing.redis.ClusterNode.SlotRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class RedisClusterIT {

    private static final Logger LOG = LoggerFactory.getLogger(RedisClusterIT.class);
    /** Failover takes about 2 node timeouts (2 s); the bound leaves room for two loaded cores. */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(20);

    /** Shared by the tests that only read; the tests that break a cluster start their own. */
    private static RedisCluster shared;

    private static long sharedStartMillis;

    @BeforeAll
    static void startSharedCluster() {
        long started = System.nanoTime();
        shared = RedisCluster.start();
        sharedStartMillis = (System.nanoTime() - started) / 1_000_000;
        LOG.info("RedisCluster.start() took {} ms", sharedStartMillis);
    }

    @AfterAll
    static void closeSharedCluster() {
        if (shared != null) {
            shared.close();
        }
    }

    @Test
    void startsThreePrimariesWithOneReplicaEachCoveringEverySlot() {
        List<ClusterNode> nodes = shared.nodes();

        assertThat(sharedStartMillis).as("start-up in ms").isLessThan(15_000);
        assertThat(nodes).hasSize(6);
        assertThat(nodes).extracting(ClusterNode::port).doesNotHaveDuplicates().doesNotContain(6379);
        assertThat(shared.seeds().split(","))
                .containsExactlyElementsOf(
                        nodes.stream().map(ClusterNode::endpoint).toList());
        assertThat(shared.url()).isEqualTo("redis://" + nodes.get(0).endpoint());
        List<ClusterNode> primaries = shared.primaries();
        assertThat(primaries)
                .hasSize(3)
                .allSatisfy(p -> assertThat(shared.replicasOf(p)).hasSize(1));
        assertThat(primaries.stream()
                        .flatMap(p -> p.slots().stream())
                        .mapToInt(SlotRange::size)
                        .sum())
                .isEqualTo(ClusterNode.SLOT_COUNT);
        for (int slot : new int[] {0, 5460, 5461, 10922, 16383}) {
            assertThat(primaries).filteredOn(p -> p.servesSlot(slot)).hasSize(1);
        }
        for (ClusterNode node : nodes) {
            assertThat(node.isFailing()).isFalse();
            assertThat(node.id()).hasSize(40);
            assertThat(shared.command(node, "CLUSTER", "INFO")).contains("cluster_state:ok");
            assertThat(shared.command(node, "CLUSTER", "MYID")).isEqualTo(node.id());
            assertThat(busAccepts(node))
                    .as("cluster bus on %d", node.port() + RedisCluster.BUS_PORT_OFFSET)
                    .isTrue();
            if (node.role() == Role.REPLICA) {
                assertThat(shared.command(node, "ROLE")).startsWith("slave\n");
                assertThat(node.slots()).isEmpty();
            }
        }
    }

    @Test
    void slotOfAgreesWithClusterKeyslot() {
        ClusterNode any = shared.nodes().get(0);
        for (String key :
                List.of("greeting", "", "user:1000", "{user1000}.following", "{}.x", "a{}b{c}", "héllo", "{x")) {
            assertThat(RedisCluster.slotOf(key))
                    .as("slot of '%s'", key)
                    .isEqualTo(Integer.parseInt(shared.command(any, "CLUSTER", "KEYSLOT", key)));
        }
        assertThat(RedisCluster.slotOf("{user1000}.following")).isEqualTo(RedisCluster.slotOf("{user1000}.followers"));
    }

    @Test
    void aKeyWrittenThroughItsPrimaryIsReadThereReplicatedAndMovedElsewhere() {
        String key = "fixture:greeting";
        ClusterNode owner = shared.primaryForKey(key);
        ClusterNode other = shared.primaries().stream()
                .filter(p -> !p.id().equals(owner.id()))
                .findFirst()
                .orElseThrow();

        assertThat(shared.command(owner, "SET", key, "hello")).isEqualTo("OK");

        assertThat(shared.command(owner, "GET", key)).isEqualTo("hello");
        assertThatThrownBy(() -> shared.command(other, "GET", key))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MOVED " + RedisCluster.slotOf(key) + " " + owner.endpoint());
        ClusterNode replica = shared.replicasOf(owner).get(0);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () -> assertThat(shared.command(replica, "DBSIZE")).isNotEqualTo("0"));
        assertThat(shared.primaryForSlot(RedisCluster.slotOf(key))).isEqualTo(owner);
    }

    @Test
    void killingAPrimaryPromotesItsReplicaAndTheClusterRecovers() {
        try (RedisCluster cluster = RedisCluster.start()) {
            String key = "fixture:survivor";
            ClusterNode owner = cluster.primaryForKey(key);
            ClusterNode replica = cluster.replicasOf(owner).get(0);
            cluster.command(owner, "SET", key, "kept");
            await().atMost(Duration.ofSeconds(5)).until(() -> "1".equals(cluster.command(replica, "DBSIZE")));

            long killed = System.nanoTime();
            cluster.kill(owner);
            ClusterNode promoted = cluster.awaitPromotion(owner, RECOVERY_BOUND);
            cluster.awaitClusterOk(RECOVERY_BOUND);
            LOG.info(
                    "Primary killed -> replica promoted and cluster_state:ok everywhere in {} ms",
                    (System.nanoTime() - killed) / 1_000_000);

            assertThat(cluster.server(owner).isRunning()).isFalse();
            assertThat(promoted.id()).isEqualTo(replica.id());
            assertThat(promoted.role()).isEqualTo(Role.PRIMARY);
            assertThat(promoted.slots()).isEqualTo(owner.slots());
            assertThat(cluster.primaryForKey(key).id()).isEqualTo(replica.id());
            assertThat(cluster.command(promoted, "GET", key)).isEqualTo("kept");
            assertThat(cluster.nodes())
                    .filteredOn(n -> n.id().equals(owner.id()))
                    .singleElement()
                    .satisfies(n -> assertThat(n.isFailing()).isTrue());

            cluster.restart(owner);
            cluster.awaitClusterOk(RECOVERY_BOUND);
            await().atMost(RECOVERY_BOUND)
                    .untilAsserted(() -> assertThat(byId(cluster.nodes()).get(owner.id()))
                            .satisfies(n -> {
                                assertThat(n.role())
                                        .as("the restarted former primary")
                                        .isEqualTo(Role.REPLICA);
                                assertThat(n.primaryId()).isEqualTo(promoted.id());
                                assertThat(n.isFailing()).isFalse();
                            }));
        }
    }

    @Test
    void uncoveredSlotsFailTheClusterAndAPausedPrimaryIsFailedOver() {
        try (RedisCluster cluster =
                RedisCluster.builder().nodeTimeout(Duration.ofMillis(1000)).build()) {
            ClusterNode owner = cluster.primaryForSlot(100);

            cluster.uncoverSlots(0, 100);

            for (ClusterNode node : cluster.nodes()) {
                assertThat(cluster.command(node, "CLUSTER", "INFO")).contains("cluster_state:fail");
            }
            assertThatThrownBy(() -> cluster.primaryForSlot(50))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("slot 50");
            String coveredKey = "fixture:covered";
            assertThat(RedisCluster.slotOf(coveredKey)).isGreaterThan(100);
            assertThatThrownBy(() -> cluster.command(cluster.primaryForKey(coveredKey), "SET", coveredKey, "x"))
                    .as("a key of a covered slot is refused too: cluster_state:fail")
                    .hasMessageContaining("CLUSTERDOWN");

            cluster.coverSlots(0, 100, owner);
            cluster.awaitClusterOk(RECOVERY_BOUND);
            assertThat(cluster.primaryForSlot(50).id()).isEqualTo(owner.id());

            ClusterNode paused = cluster.primaryForSlot(0);
            cluster.pause(paused);
            assertThat(cluster.server(paused).isPaused()).isTrue();
            ClusterNode promoted = cluster.awaitPromotion(paused, RECOVERY_BOUND);
            cluster.awaitClusterOk(RECOVERY_BOUND);
            assertThat(promoted.id()).isNotEqualTo(paused.id());

            cluster.resume(paused);
            cluster.awaitClusterOk(RECOVERY_BOUND);
            await().atMost(RECOVERY_BOUND)
                    .untilAsserted(() -> assertThat(
                                    byId(cluster.nodes()).get(paused.id()).role())
                            .isEqualTo(Role.REPLICA));
        }
    }

    @Test
    void passwordProtectsEveryNodeAndStaysOutOfToString() {
        try (RedisCluster cluster =
                RedisCluster.builder().password("cluster-s3cret").build()) {
            ClusterNode node = cluster.nodes().get(0);

            assertThat(cluster.command(node, "PING")).isEqualTo("PONG");
            assertThat(cluster.url()).isEqualTo("redis://:cluster-s3cret@" + node.endpoint());
            assertThat(cluster.toString()).doesNotContain("cluster-s3cret").contains("****");
            assertThatThrownBy(() -> {
                        try (RespClient anonymous =
                                RespClient.connect(node.host(), node.port(), null, null, Duration.ofSeconds(2))) {
                            anonymous.call("PING");
                        }
                    })
                    .hasMessageContaining("NOAUTH");
        }
    }

    @Test
    void closeKillsEveryNodeAndAFailedStartLeavesNoProcessBehind() {
        RedisCluster cluster = RedisCluster.start();
        List<ClusterNode> nodes = cluster.nodes();
        cluster.pause(nodes.get(1));

        cluster.close();
        cluster.close();

        for (ClusterNode node : nodes) {
            assertThat(cluster.server(node).isRunning()).isFalse();
            assertThatThrownBy(() -> cluster.server(node).command("PING")).isInstanceOf(UncheckedIOException.class);
        }
        assertThatThrownBy(cluster::nodes).hasMessageContaining("closed");

        long before = redisChildren();
        // Creating a cluster takes more than 1 s (redis-cli waits a second for the nodes to join): this start must
        // fail.
        assertThatThrownBy(() -> RedisCluster.builder()
                        .startupTimeout(Duration.ofSeconds(1))
                        .build())
                .isInstanceOf(IllegalStateException.class);
        assertThat(redisChildren())
                .as("redis-server processes of this JVM after the failed start")
                .isEqualTo(before);
    }

    private static Map<String, ClusterNode> byId(List<ClusterNode> nodes) {
        return nodes.stream().collect(Collectors.toMap(ClusterNode::id, Function.identity()));
    }

    private static boolean busAccepts(ClusterNode node) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(node.host(), node.port() + RedisCluster.BUS_PORT_OFFSET), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Live redis-server processes started by this JVM (the watchdogs are `sh`). */
    private static long redisChildren() {
        return ProcessHandle.current()
                .children()
                .filter(ProcessHandle::isAlive)
                .filter(p ->
                        p.info().command().map(c -> c.endsWith("redis-server")).orElse(false))
                .count();
    }
}
