package dev.redisintegration.redis;

import static dev.redisintegration.redis.ItSupport.events;
import static dev.redisintegration.redis.ItSupport.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.SwitchingProxy;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A managed primary endpoint failing over, with real redis-servers: a replicated pair behind a {@link SwitchingProxy}
 * standing in for the DNS name (new connections go to the current primary, open ones keep their node, exactly as
 * after a DNS move). The old primary stays up as a replica, is killed, or hangs.
 */
class FailoverIT {

    private static final String CLIENT_NAME = "failover-it";

    private final Closer closer = new Closer();

    @BeforeAll
    static void warmUp() throws Exception {
        // The first connect of a JVM may take longer than the connect timeout on a loaded machine; not what is tested
        // here.
        try (RedisServer redis = RedisServer.start()) {
            LettuceWarmUp.once(redis);
        }
    }

    private RedisServer first;
    private RedisServer second;
    private SwitchingProxy endpoint;

    @BeforeEach
    void replicatedPairBehindOneName() {
        first = closeLater(RedisServer.start());
        second = closeLater(RedisServer.builder().replicaOf(first).build());
        endpoint = closeLater(SwitchingProxy.start(first));
    }

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        return closer.add(resource);
    }

    private RedisConnectionManager manager(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put(RedisSettings.ENV_ENDPOINT, endpoint.endpoint());
        env.put(RedisSettings.ENV_CLIENT_NAME, CLIENT_NAME);
        return closeLater(RedisConnectionManager.create(RedisSettings.fromEnvironment(env)));
    }

    /** What a provider does: promote the replica, demote the old primary under it, move the name. */
    private void failOver() {
        second.promote();
        endpoint.switchTo(second);
        first.replicaOf(second);
    }

    private static long clientsNamed(RedisServer redis) {
        return redis.clientList().stream()
                .filter(line -> line.contains(" name=" + CLIENT_NAME + " "))
                .count();
    }

    @Test
    void withoutTrafficTheVerificationFindsTheDemotedNodeAndAKeptClientWorksOnTheNewPrimary() throws Exception {
        RedisConnectionManager manager = manager(Map.of(RedisSettings.ENV_VERIFY_INTERVAL, "1s"));
        List<ConnectionStateEvent> events = events(manager);
        RedisClusterAsyncCommands<String, String> kept = result(manager.getClient());
        result(kept.set("k", "before"));

        failOver();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> events.stream().anyMatch(event -> event.state() == ConnectionState.MOVED));
        assertThat(result(manager.probe()).up()).isTrue();
        result(kept.set("k", "after"));
        assertThat(second.command("GET", "k")).isEqualTo("after");
        assertThat(clientsNamed(first)).isZero();
        assertThat(manager.stats().replicaVerdicts()).isEqualTo(1);
        assertThat(manager.stats().moves()).isEqualTo(1);
        assertThat(events)
                .extracting(ConnectionStateEvent::state)
                .containsSubsequence(
                        ConnectionState.LEAVING_NODE,
                        ConnectionState.DISCONNECTED,
                        ConnectionState.CONNECTED,
                        ConnectionState.MOVED);
    }

    @Test
    void aWriterSeesReadOnlyForAtMostThreeSecondsAndThenWritesLandOnTheNewPrimary() throws Exception {
        RedisConnectionManager manager = manager(Map.of());
        RedisClusterAsyncCommands<String, String> commands = result(manager.getClient());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong firstFailure = new AtomicLong();
        AtomicLong lastFailure = new AtomicLong();
        List<String> acknowledgedAfterMove = new CopyOnWriteArrayList<>();
        AtomicBoolean moved = new AtomicBoolean();
        manager.subscribe(event -> {
            if (event.state() == ConnectionState.MOVED) {
                moved.set(true);
            }
        });
        Thread writer = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                String value = "v" + i;
                boolean afterMove = moved.get();
                try {
                    commands.set("w" + i, value).toCompletableFuture().get(5, TimeUnit.SECONDS);
                    if (afterMove) {
                        acknowledgedAfterMove.add("w" + i);
                    }
                } catch (Exception e) {
                    long now = System.nanoTime();
                    firstFailure.compareAndSet(0, now);
                    lastFailure.set(now);
                }
                try {
                    Thread.sleep(50); // the writer's own pace, not a wait for a condition
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        writer.start();
        try {
            await().atMost(Duration.ofSeconds(2)).until(() -> commands.dbsize().get() > 5);

            failOver();

            await().atMost(Duration.ofSeconds(6)).until(() -> acknowledgedAfterMove.size() >= 10);
        } finally {
            stop.set(true);
            writer.join(10_000);
        }
        assertThat(firstFailure.get()).as("the demoted node refused writes").isNotZero();
        assertThat(Duration.ofNanos(lastFailure.get() - firstFailure.get())).isLessThanOrEqualTo(Duration.ofSeconds(3));
        for (String key : acknowledgedAfterMove) {
            assertThat(second.command("EXISTS", key))
                    .as(key + " on the new primary")
                    .isEqualTo("1");
        }
        assertThat(manager.stats().readOnlyReplies()).isPositive();
        assertThat(clientsNamed(first)).isZero();
    }

    @Test
    void anOldPrimaryThatHangsAtFailoverIsLeftWithoutTraffic() throws Exception {
        RedisConnectionManager manager = manager(Map.of(RedisSettings.ENV_VERIFY_INTERVAL, "1s"));
        List<ConnectionStateEvent> events = events(manager);
        RedisClusterAsyncCommands<String, String> kept = result(manager.getClient());

        first.pause();
        second.promote();
        endpoint.switchTo(second);

        await().atMost(Duration.ofSeconds(6))
                .until(() -> events.stream().anyMatch(event -> event.state() == ConnectionState.MOVED));
        assertThat(manager.stats().hangVerdicts()).isEqualTo(1);
        result(kept.set("k", "on the new primary"));
        assertThat(second.command("GET", "k")).isEqualTo("on the new primary");
        first.resume();
    }

    @Test
    void anOldPrimaryThatIsKilledIsReplacedByLettucesOwnReconnect() throws Exception {
        RedisConnectionManager manager = manager(Map.of());
        RedisClusterAsyncCommands<String, String> kept = result(manager.getClient());

        second.promote();
        endpoint.switchTo(second);
        first.stop();

        await().atMost(Duration.ofSeconds(4))
                .ignoreExceptions()
                .until(() -> "OK".equals(kept.set("k", "v").get(1, TimeUnit.SECONDS)));
        assertThat(second.command("GET", "k")).isEqualTo("v");
        assertThat(manager.stats().reconnects()).isEqualTo(1);
        assertThat(manager.stats().moves()).isZero();
    }

    @Test
    void tenFailoversMoveOncePerFailover() throws Exception {
        RedisConnectionManager manager = manager(Map.of(RedisSettings.ENV_VERIFY_INTERVAL, "500ms"));
        RedisClusterAsyncCommands<String, String> kept = result(manager.getClient());
        int threadsBefore = Thread.activeCount();

        for (int i = 0; i < 10; i++) {
            RedisServer primary = i % 2 == 0 ? second : first;
            RedisServer demoted = i % 2 == 0 ? first : second;
            primary.promote();
            endpoint.switchTo(primary);
            demoted.replicaOf(primary);
            long expectedMoves = i + 1;
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> manager.stats().moves() >= expectedMoves
                            && result(manager.probe()).up());
            assertThat(result(kept.set("round", String.valueOf(i)))).isEqualTo("OK");
        }

        assertThat(manager.stats().moves()).isEqualTo(10);
        assertThat(endpoint.acceptedConnections()).isLessThanOrEqualTo(1 + 2 * 10);
        assertThat(endpoint.openConnections()).isEqualTo(1);
        assertThat(Thread.activeCount()).isLessThanOrEqualTo(threadsBefore + 2);
    }
}
