package dev.redisintegration.testing.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class RedisSentinelGroupIT {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSentinelGroupIT.class);
    /** Sentinel fails over about 2-3 s after the primary goes silent; the bound leaves room for two loaded cores. */
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(20);

    @Test
    void startsAPrimaryAReplicaAndThreeSentinelsThatKnowThemAndEachOther() {
        long started = System.nanoTime();
        RedisSentinelGroup group = RedisSentinelGroup.start();
        LOG.info("RedisSentinelGroup.start() took {} ms", (System.nanoTime() - started) / 1_000_000);
        List<RedisServer> sentinels = group.sentinels();
        RedisServer primary = group.primary();
        RedisServer replica = group.replica();
        try {
            assertThat(group.masterName()).isEqualTo("mymaster");
            assertThat(group.sentinelEndpoint())
                    .isEqualTo("redis-sentinel://" + sentinels.get(0).endpoint() + ","
                            + sentinels.get(1).endpoint() + ","
                            + sentinels.get(2).endpoint() + "#mymaster");
            assertThat(group.maskedSentinelEndpoint()).isEqualTo(group.sentinelEndpoint());
            assertThat(group.dataNodes()).containsExactly(primary, replica);
            assertThat(primary.command("ROLE")).startsWith("master\n");
            assertThat(replica.command("ROLE")).startsWith("slave\n127.0.0.1\n" + primary.port() + "\nconnected");
            for (RedisServer sentinel : sentinels) {
                assertThat(sentinel.port()).isNotIn(6379, 26379);
                assertThat(sentinel.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster"))
                        .isEqualTo("127.0.0.1\n" + primary.port());
                String master = sentinel.command("SENTINEL", "MASTER", "mymaster");
                assertThat(master)
                        .contains(
                                "num-slaves\n1\n",
                                "num-other-sentinels\n2\n",
                                "quorum\n2\n",
                                "down-after-milliseconds\n1000\n",
                                "failover-timeout\n3000\n");
            }

            primary.command("SET", "greeting", "hello");
            await().atMost(Duration.ofSeconds(5)).until(() -> "hello".equals(replica.command("GET", "greeting")));
        } finally {
            group.close();
        }
        for (RedisServer server : List.of(primary, replica, sentinels.get(0), sentinels.get(1), sentinels.get(2))) {
            assertThat(server.isRunning()).as("%s after close", server).isFalse();
            assertThatThrownBy(() -> server.command("PING")).isInstanceOf(UncheckedIOException.class);
        }
    }

    @Test
    void failoverSwitchesRolesAndTheFormerPrimaryFollowsTheNewOne() {
        try (RedisSentinelGroup group =
                RedisSentinelGroup.builder().masterName("orders").build()) {
            RedisServer before = group.primary();
            RedisServer replica = group.replica();

            long started = System.nanoTime();
            RedisServer after = group.failover();
            LOG.info("failover() took {} ms", (System.nanoTime() - started) / 1_000_000);

            assertThat(after).isSameAs(replica);
            assertThat(group.primary()).isSameAs(after);
            assertThat(group.replica()).isSameAs(before);
            assertThat(after.command("ROLE")).startsWith("master\n");
            assertThat(before.command("ROLE")).startsWith("slave\n127.0.0.1\n" + after.port() + "\nconnected");
            for (RedisServer sentinel : group.sentinels()) {
                assertThat(sentinel.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "orders"))
                        .isEqualTo("127.0.0.1\n" + after.port());
            }
            after.command("SET", "after-failover", "yes");
            await().atMost(Duration.ofSeconds(5)).until(() -> "yes".equals(before.command("GET", "after-failover")));
            assertThatThrownBy(() -> before.command("SET", "on-the-replica", "no"))
                    .hasMessageContaining("READONLY");

            long back = System.nanoTime();
            assertThat(group.failover()).as("a second failover goes back").isSameAs(before);
            LOG.info("second failover() took {} ms", (System.nanoTime() - back) / 1_000_000);
            assertThat(after.command("ROLE")).startsWith("slave\n127.0.0.1\n" + before.port() + "\nconnected");
        }
    }

    @Test
    void withPasswordsSentinelPromotesTheReplicaWhenThePrimaryIsKilled() {
        try (RedisSentinelGroup group = RedisSentinelGroup.builder()
                .password("data-s3cret")
                .sentinelPassword("sentinel-s3cret")
                .build()) {
            RedisServer before = group.primary();
            String sentinels = String.join(
                    ",", group.sentinels().stream().map(RedisServer::endpoint).toList());

            assertThat(group.sentinelEndpoint()).isEqualTo("redis-sentinel://:data-s3cret@" + sentinels + "#mymaster");
            assertThat(group.maskedSentinelEndpoint()).isEqualTo("redis-sentinel://:****@" + sentinels + "#mymaster");
            assertThat(group.toString()).doesNotContain("s3cret");
            assertThat(group.sentinels().get(0).url()).contains(":sentinel-s3cret@");
            for (RedisServer server : List.of(before, group.sentinels().get(0))) {
                assertThatThrownBy(() -> {
                            try (RespClient anonymous = RespClient.connect(
                                    server.host(), server.port(), null, null, Duration.ofSeconds(2))) {
                                anonymous.call("PING");
                            }
                        })
                        .as("PING without AUTH on %s", server.endpoint())
                        .hasMessageContaining("NOAUTH");
            }

            long killed = System.nanoTime();
            before.stop();
            // Needs Sentinels that authenticate to the data nodes (auth-pass) and to each other (votes, requirepass).
            RedisServer after = group.awaitNewPrimary(before, FAILOVER_BOUND);
            LOG.info(
                    "Primary killed -> Sentinel promoted the replica in {} ms",
                    (System.nanoTime() - killed) / 1_000_000);

            assertThat(after).isNotSameAs(before);
            assertThat(group.primary()).isSameAs(after);
            assertThat(after.command("SET", "k", "v")).isEqualTo("OK");
        }
    }
}
