package dev.redisintegration.redis;

import static dev.redisintegration.redis.ItSupport.events;
import static dev.redisintegration.redis.ItSupport.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.redisintegration.testing.redis.RedisServer;
import io.lettuce.core.RedisReadOnlyException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node that turns into a replica under the manager, or hangs with its socket open, against real redis-servers
 * (no endpoint that moves: see FailoverIT for that). The manager must notice, leave, keep retrying with back-off,
 * and come back when the node is usable again.
 */
class NodeFailureIT {

    private final Closer closer = new Closer();

    @BeforeAll
    static void warmUp() throws Exception {
        // The first connect of a JVM may take longer than the connect timeout on a loaded machine; not what is tested
        // here.
        try (RedisServer redis = RedisServer.start()) {
            LettuceWarmUp.once(redis);
        }
    }

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        return closer.add(resource);
    }

    private RedisConnectionManager manager(RedisServer redis, Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(extra);
        env.put(RedisSettings.ENV_ENDPOINT, redis.endpoint());
        env.putIfAbsent(RedisSettings.ENV_CLIENT_NAME, "node-failure-it");
        return closeLater(RedisConnectionManager.create(RedisSettings.fromEnvironment(env)));
    }

    private static boolean seen(List<ConnectionStateEvent> events, ConnectionState state) {
        return events.stream().anyMatch(event -> event.state() == state);
    }

    @Test
    void aDemotedNodeIsLeftRetriedWithBackOffAndUsedAgainOncePromoted() throws Exception {
        RedisServer node = closeLater(RedisServer.start());
        RedisServer other = closeLater(RedisServer.start());
        RedisConnectionManager manager = manager(node, Map.of());
        List<ConnectionStateEvent> events = events(manager);
        RedisClusterAsyncCommands<String, String> commands = result(manager.getClient());
        result(commands.set("k", "before"));

        node.command("REPLICAOF", other.host(), String.valueOf(other.port()));

        assertThatThrownBy(() -> result(commands.set("k", "demoted")))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(RedisReadOnlyException.class);
        await().atMost(Duration.ofSeconds(3)).until(() -> seen(events, ConnectionState.LEAVING_NODE));
        // Down throughout, and the reason says why: on the replica, or reconnecting after leaving it.
        RedisProbe probe = result(manager.probe());
        assertThat(probe.up()).isFalse();
        assertThat(probe.failureReason()).contains("replica");
        await().atMost(Duration.ofSeconds(3))
                .until(() -> "connected to a replica, not the primary"
                        .equals(result(manager.probe()).failureReason()));
        assertThat(manager.stats().readOnlyReplies()).isGreaterThanOrEqualTo(1);
        assertThat(manager.stats().replicaVerdicts()).isGreaterThanOrEqualTo(1);

        // The endpoint only leads to this replica: the manager keeps trying, but with back-off (1 s, 1-2 s, 2-4 s,
        // ...).
        long movesAtStart = manager.stats().moves();
        await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
        long moves = manager.stats().moves() - movesAtStart;
        assertThat(moves).as("forced reconnects in 5 s").isBetween(1L, 4L);
        assertThat(seen(events, ConnectionState.MOVED)).isFalse();

        node.command("REPLICAOF", "NO", "ONE");

        await().atMost(Duration.ofSeconds(12)).until(() -> seen(events, ConnectionState.MOVED));
        assertThat(result(manager.probe()).up()).isTrue();
        result(commands.set("k", "after"));
        assertThat(node.command("GET", "k")).isEqualTo("after");
    }

    @Test
    void aReaderEndpointIsNeverLeftForBeingAReplica() throws Exception {
        RedisServer primary = closeLater(RedisServer.start());
        RedisServer replica =
                closeLater(RedisServer.builder().replicaOf(primary).build());
        RedisConnectionManager manager = manager(
                replica, Map.of(RedisSettings.ENV_EXPECTED_ROLE, "any", RedisSettings.ENV_VERIFY_INTERVAL, "200ms"));
        List<ConnectionStateEvent> events = events(manager);
        RedisClusterAsyncCommands<String, String> commands = result(manager.getClient());

        assertThatThrownBy(() -> result(commands.set("k", "v"))).hasCauseInstanceOf(RedisReadOnlyException.class);
        await().atMost(Duration.ofSeconds(3)).until(() -> manager.stats().verifications() >= 3);

        assertThat(manager.stats().readOnlyReplies()).isEqualTo(1);
        assertThat(manager.stats().moves()).isZero();
        assertThat(events).extracting(ConnectionStateEvent::state).doesNotContain(ConnectionState.LEAVING_NODE);
        assertThat(result(manager.probe()).up()).isTrue();
    }

    @Test
    void aHungNodeIsNoticedWithoutTrafficAndUsedAgainAfterItResumes() throws Exception {
        RedisServer node = closeLater(RedisServer.start());
        RedisConnectionManager manager =
                manager(node, Map.of(RedisSettings.ENV_VERIFY_INTERVAL, "1s", RedisSettings.ENV_PING_TIMEOUT, "300ms"));
        List<ConnectionStateEvent> events = events(manager);
        RedisClusterAsyncCommands<String, String> commands = result(manager.getClient());
        result(commands.set("k", "v"));

        node.pause();

        // At most one interval until a verification, then 300 ms + 600 ms unanswered.
        await().atMost(Duration.ofSeconds(4)).until(() -> manager.stats().hangVerdicts() >= 1);
        await().atMost(Duration.ofSeconds(1)).until(() -> seen(events, ConnectionState.LEAVING_NODE));
        assertThat(result(manager.probe()).up()).isFalse();

        node.resume();

        await().atMost(Duration.ofSeconds(5)).until(() -> seen(events, ConnectionState.MOVED));
        assertThat(result(manager.ping())).isTrue();
        assertThat(result(commands.get("k"))).isEqualTo("v");
    }

    @Test
    void aOneSecondSlowCommandIsNotAHang() throws Exception {
        RedisServer node = closeLater(
                RedisServer.builder().extraArgs("--enable-debug-command", "yes").build());
        RedisConnectionManager manager = manager(node, Map.of(RedisSettings.ENV_VERIFY_INTERVAL, "300ms"));
        List<ConnectionStateEvent> events = events(manager);
        RedisClusterAsyncCommands<String, String> commands = result(manager.getClient());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger writes = new AtomicInteger();
        Thread traffic = new Thread(() -> {
            while (!stop.get()) {
                try {
                    commands.incr("traffic").toCompletableFuture().get(5, TimeUnit.SECONDS);
                    writes.incrementAndGet();
                } catch (Exception e) {
                    // counted by the assertions below through the events and stats
                }
            }
        });
        traffic.start();
        try {
            for (int i = 0; i < 3; i++) {
                node.command("DEBUG", "SLEEP", "1");
            }
        } finally {
            stop.set(true);
            traffic.join(10_000);
        }

        assertThat(manager.stats().verifications()).isGreaterThanOrEqualTo(3);
        assertThat(manager.stats().hangVerdicts()).isZero();
        assertThat(manager.stats().moves()).isZero();
        assertThat(events).extracting(ConnectionStateEvent::state).containsExactly(ConnectionState.CONNECTED);
        assertThat(writes.get()).isPositive();
    }
}
