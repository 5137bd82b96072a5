package dev.redisintegration.redis;

import static dev.redisintegration.redis.ItSupport.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.redisintegration.testing.LogCapture;
import dev.redisintegration.testing.redis.FreePorts;
import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.RedisServerExtension;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The manager against a real redis-server (started by the fixture on a free port; never 6379). */
@ExtendWith(RedisServerExtension.class)
class RedisConnectionManagerIT {

    private static final Duration PING_TIMEOUT = Duration.ofMillis(500);
    /** The issue allows the ping timeout plus 200 ms of scheduling slack. */
    private static final Duration SLACK = Duration.ofMillis(200);

    private static final Duration PING_BOUND = PING_TIMEOUT.plus(SLACK);

    private final List<RedisConnectionManager> managers = new ArrayList<>();

    @BeforeAll
    static void warmUp(RedisServer redis) throws Exception {
        LettuceWarmUp.once(redis);
    }

    @AfterEach
    void closeManagers() {
        managers.forEach(RedisConnectionManager::close);
    }

    private RedisConnectionManager manager(String endpoint, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put(RedisSettings.ENV_ENDPOINT, endpoint);
        env.putIfAbsent(RedisSettings.ENV_PING_TIMEOUT, PING_TIMEOUT.toMillis() + "ms");
        RedisConnectionManager manager = RedisConnectionManager.create(RedisSettings.fromEnvironment(env));
        managers.add(manager);
        return manager;
    }

    private RedisConnectionManager manager(RedisServer redis) {
        return manager(redis.endpoint(), Map.of());
    }

    /** Runs the ping and returns its result and how long it took. */
    private static Timed<Boolean> timedPing(RedisConnectionManager manager) throws Exception {
        long start = System.nanoTime();
        boolean up = result(manager.ping());
        return new Timed<>(up, Duration.ofNanos(System.nanoTime() - start));
    }

    private static Timed<RedisProbe> timedProbe(RedisConnectionManager manager) throws Exception {
        long start = System.nanoTime();
        RedisProbe probe = result(manager.probe());
        return new Timed<>(probe, Duration.ofNanos(System.nanoTime() - start));
    }

    private record Timed<T>(T value, Duration elapsed) {}

    private static long clientsNamed(RedisServer redis, String name) {
        return redis.clientList().stream()
                .filter(line -> line.contains(" name=" + name + " "))
                .count();
    }

    @Test
    void probeIsOneRoundTripOfRoleAndNoPing(RedisServer redis) throws Exception {
        RedisConnectionManager manager = manager(redis);
        result(manager.getClient());
        redis.command("CONFIG", "RESETSTAT");

        RedisProbe probe = result(manager.probe());

        assertThat(probe.up()).isTrue();
        assertThat(probe.role()).isEqualTo(ReplicationRole.PRIMARY);
        assertThat(redis.commandCount("role")).isEqualTo(1);
        assertThat(redis.commandCount("ping")).isZero();
    }

    @Test
    void pingIsTrueWhenRedisAnswersPong(RedisServer redis) throws Exception {
        RedisConnectionManager manager = manager(redis);

        assertThat(result(manager.ping())).isTrue();
        assertThat(redis.commandCount("ping")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void probeReportsLatencyAndPrimaryRole(RedisServer redis) throws Exception {
        RedisConnectionManager manager = manager(redis);

        RedisProbe probe = result(manager.probe());

        assertThat(probe.up()).isTrue();
        assertThat(probe.failureReason()).isNull();
        assertThat(probe.role()).isEqualTo(ReplicationRole.PRIMARY);
        assertThat(probe.latency()).isPositive().isLessThan(PING_TIMEOUT);
    }

    @Test
    void connectionNamesItselfWithTheConfiguredClientName(RedisServer redis) throws Exception {
        RedisConnectionManager manager = manager(redis.endpoint(), Map.of(RedisSettings.ENV_CLIENT_NAME, "orders-it"));

        result(manager.ping());

        assertThat(clientsNamed(redis, "orders-it")).isEqualTo(1);
    }

    @Test
    void commandsRunOnTheSharedConnection(RedisServer redis) throws Exception {
        RedisConnectionManager manager = manager(redis);
        RedisClusterAsyncCommands<String, String> commands = result(manager.getClient());

        result(commands.set("greeting", "hello"));

        assertThat(redis.command("GET", "greeting")).isEqualTo("hello");
    }

    @Test
    void pingIsFalseWithinTheTimeoutWhenRedisIsStopped(RedisServer redis) throws Exception {
        RedisConnectionManager manager = manager(redis);
        assertThat(result(manager.ping())).isTrue();

        redis.stop();
        Timed<RedisProbe> probe = timedProbe(manager);
        Timed<Boolean> ping = timedPing(manager);

        assertThat(ping.value()).isFalse();
        assertThat(ping.elapsed()).isLessThanOrEqualTo(PING_BOUND);
        assertThat(probe.value().up()).isFalse();
        assertThat(probe.elapsed()).isLessThanOrEqualTo(PING_BOUND);
        assertThat(probe.value().failureReason()).startsWith("not connected");
    }

    @Test
    void pingIsFalseWithinTheTimeoutWhenRedisWasStoppedBeforeTheFirstConnect(RedisServer redis) throws Exception {
        RedisConnectionManager manager = manager(redis);
        redis.stop();

        Timed<RedisProbe> probe = timedProbe(manager);

        assertThat(probe.value().up()).isFalse();
        assertThat(probe.value().failureReason()).isEqualTo("connection refused");
        assertThat(probe.elapsed()).isLessThanOrEqualTo(PING_BOUND);
    }

    @Test
    void redisAbsentAtFirstConnectIsPickedUpInTheBackgroundWhenItAppears(RedisServer redis) throws Exception {
        RedisConnectionManager manager = manager(redis);
        List<ConnectionState> events = new CopyOnWriteArrayList<>();
        manager.subscribe(event -> events.add(event.state()));
        redis.stop();
        assertThat(result(manager.ping())).isFalse();

        redis.restart();

        // Nobody calls the manager meanwhile: the failed first connect is retried in the background, and the
        // CONNECTED event is what lets a cached DOWN (a health check's) be dropped at once.
        await().atMost(Duration.ofSeconds(3)).until(() -> events.contains(ConnectionState.CONNECTED));
        assertThat(redis.clientList()).hasSize(1);
        assertThat(result(manager.ping())).isTrue();
    }

    @Test
    void backgroundConnectRetriesStopWhenTheManagerCloses(RedisServer redis) throws Exception {
        RedisConnectionManager manager = manager(redis);
        redis.stop();
        assertThat(result(manager.ping())).isFalse();
        manager.close();

        redis.restart();

        // Give a retry that might still be scheduled ample time (the back-off is capped at 2 s) to misbehave.
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(4))
                .until(() -> redis.clientList().isEmpty());
    }

    @Test
    void pingIsFalseWithinTimeoutPlus200msWhenRedisIsPaused(RedisServer redis) throws Exception {
        RedisConnectionManager manager = manager(redis);
        assertThat(result(manager.ping())).isTrue();

        redis.pause();
        Timed<Boolean> ping = timedPing(manager);
        Timed<RedisProbe> probe = timedProbe(manager);

        assertThat(ping.value()).isFalse();
        assertThat(ping.elapsed()).isLessThanOrEqualTo(PING_BOUND);
        assertThat(probe.value().failureReason()).isEqualTo("timed out after 500 ms");
        assertThat(probe.elapsed()).isLessThanOrEqualTo(PING_BOUND);
    }

    @Test
    void aFirstProbeIsBoundedByTheConnectTimeoutWhenRedisIsPausedBeforeTheFirstConnect(RedisServer redis)
            throws Exception {
        RedisConnectionManager manager = manager(redis.endpoint(), Map.of(RedisSettings.ENV_CONNECT_TIMEOUT, "1s"));
        redis.pause();

        Timed<RedisProbe> probe = timedProbe(manager);

        assertThat(probe.value().up()).isFalse();
        assertThat(probe.value().failureReason()).isEqualTo("connect timed out after 1000 ms");
        assertThat(probe.elapsed()).isLessThanOrEqualTo(Duration.ofSeconds(1).plus(SLACK));
    }

    @Test
    void sameManagerRecoversWithin3SecondsOfRedisRestarting(RedisServer redis) throws Exception {
        RedisConnectionManager manager = manager(redis);
        RedisClusterAsyncCommands<String, String> commands = result(manager.getClient());
        assertThat(result(manager.ping())).isTrue();
        AtomicInteger failedReconnects = new AtomicInteger();
        manager.subscribe(event -> {
            if (event.state() == ConnectionState.RECONNECT_FAILED) {
                failedReconnects.incrementAndGet();
            }
        });
        redis.stop();
        assertThat(result(manager.ping())).isFalse();
        // Let a few reconnect attempts fail so the back-off has grown towards its cap before Redis returns.
        await().atMost(Duration.ofSeconds(15)).until(() -> failedReconnects.get() >= 4);

        redis.restart();

        await().atMost(Duration.ofSeconds(3))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> manager.ping().toCompletableFuture().get());
        assertThat(result(commands.set("after", "restart"))).isEqualTo("OK");
        assertThat(result(manager.getClient())).isSameAs(commands);
    }

    @Test
    void failedConnectIsForgottenSoTheNextCallConnects(RedisServer redis) throws Exception {
        RedisConnectionManager manager = manager(redis);
        redis.stop();
        assertThatThrownBy(() -> result(manager.getClient())).isInstanceOf(ExecutionException.class);

        redis.restart();

        assertThat(result(manager.getClient())).isNotNull();
        assertThat(result(manager.ping())).isTrue();
    }

    @Test
    void fiftyConcurrentFirstCallsOpenExactlyOneConnection(RedisServer redis) throws Exception {
        RedisConnectionManager manager =
                manager(redis.endpoint(), Map.of(RedisSettings.ENV_CLIENT_NAME, "first-use-it"));
        ExecutorService callers = Executors.newFixedThreadPool(50);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<CompletableFuture<RedisClusterAsyncCommands<String, String>>>> calls =
                    new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                calls.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                start.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return manager.getClient().toCompletableFuture();
                        },
                        callers));
            }
            start.countDown();

            Set<RedisClusterAsyncCommands<String, String>> clients = new HashSet<>();
            for (var call : calls) {
                clients.add(call.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS));
            }

            assertThat(clients).hasSize(1);
            assertThat(clientsNamed(redis, "first-use-it")).isEqualTo(1);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void closeIsIdempotentReleasesTheConnectionsAndLaterCallsFailFast(RedisServer redis) throws Exception {
        RedisConnectionManager manager = manager(redis.endpoint(), Map.of(RedisSettings.ENV_CLIENT_NAME, "close-it"));
        result(manager.ping());
        result(manager.withExclusiveConnection(connection -> connection.async().ping()));
        assertThat(clientsNamed(redis, "close-it")).isEqualTo(2);

        manager.close();
        manager.close();
        result(manager.closeAsync());

        assertThat(clientsNamed(redis, "close-it")).isZero();
        assertThatThrownBy(manager::ping)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("RedisConnectionManager is closed");
        assertThatThrownBy(manager::probe)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("RedisConnectionManager is closed");
        assertThatThrownBy(manager::getClient)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("RedisConnectionManager is closed");
        assertThatThrownBy(() -> manager.withExclusiveConnection(c -> c.async().ping()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("RedisConnectionManager is closed");
        assertThatThrownBy(() -> manager.subscribe(event -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("RedisConnectionManager is closed");
        assertThat(manager.getConnectionUrl()).isEqualTo("redis://" + redis.endpoint());
    }

    @Test
    void closeCompletesAPendingPingWithFalse(RedisServer redis) throws Exception {
        RedisConnectionManager manager = manager(redis.endpoint(), Map.of(RedisSettings.ENV_PING_TIMEOUT, "5s"));
        result(manager.ping());
        redis.pause();
        CompletableFuture<Boolean> pending = manager.ping().toCompletableFuture();

        manager.closeAsync();

        assertThat(pending.get(2, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void exclusiveConnectionRunsATransaction(RedisServer redis) throws Exception {
        RedisConnectionManager manager = manager(redis);

        TransactionResult result = result(manager.withExclusiveConnection(connection -> {
            RedisAsyncCommands<String, String> commands = connection.async();
            commands.multi();
            commands.set("counter", "41");
            commands.incr("counter");
            return commands.exec();
        }));

        assertThat(result.wasDiscarded()).isFalse();
        assertThat(result.<Long>get(1)).isEqualTo(42L);
    }

    @Test
    void exclusivePoolIsBoundedAndFailsFastWhenExhausted(RedisServer redis) throws Exception {
        // Standalone: in auto mode the first exclusive call also opens the shared connection, to learn the mode.
        RedisConnectionManager manager = manager(
                redis.endpoint(),
                Map.of(
                        RedisSettings.ENV_POOL_MAX_TOTAL,
                        "2",
                        RedisSettings.ENV_CLIENT_NAME,
                        "pool-it",
                        RedisSettings.ENV_MODE,
                        "standalone"));
        CompletableFuture<String> hold = new CompletableFuture<>();
        CountDownLatch acquired = new CountDownLatch(2);
        List<CompletionStage<String>> holders = List.of(
                manager.withExclusiveConnection(c -> {
                    acquired.countDown();
                    return hold;
                }),
                manager.withExclusiveConnection(c -> {
                    acquired.countDown();
                    return hold;
                }));
        assertThat(acquired.await(5, TimeUnit.SECONDS)).isTrue();

        CompletionStage<String> third =
                manager.withExclusiveConnection(c -> c.async().ping());

        assertThatThrownBy(() -> third.toCompletableFuture().get(1, TimeUnit.SECONDS))
                .hasCauseInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("all 2 exclusive Redis connections are in use (REDIS_POOL_MAX_TOTAL)");
        hold.complete("done");
        for (CompletionStage<String> holder : holders) {
            assertThat(result(holder)).isEqualTo("done");
        }
        String pong = result(manager.withExclusiveConnection(c -> c.async().ping()));
        assertThat(pong).isEqualTo("PONG");
        assertThat(clientsNamed(redis, "pool-it")).isEqualTo(2);
    }

    @Test
    void exclusiveConnectionServesABlockingCommand(RedisServer redis) throws Exception {
        RedisConnectionManager manager = manager(redis);
        CompletionStage<String> popped = manager.withExclusiveConnection(
                connection -> connection.async().blpop(5, "jobs").thenApply(kv -> kv.getValue()));

        // The shared connection is not blocked by the BLPOP on the exclusive one.
        result(result(manager.getClient()).rpush("jobs", "job-1"));

        assertThat(result(popped)).isEqualTo("job-1");
    }

    @Test
    void connectionStateEventsFollowAnOutageAndAThrowingListenerHarmsNoOne(RedisServer redis) throws Exception {
        RedisConnectionManager manager = manager(redis);
        List<ConnectionStateEvent> events = new CopyOnWriteArrayList<>();
        manager.subscribe(event -> {
            throw new IllegalStateException("a broken subscriber");
        });
        manager.subscribe(events::add);

        try (LogCapture logs = LogCapture.start()) {
            result(manager.ping());
            await().atMost(Duration.ofSeconds(2)).until(() -> states(events).contains(ConnectionState.CONNECTED));

            redis.stop();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> states(events).stream()
                                    .filter(ConnectionState.RECONNECT_FAILED::equals)
                                    .count()
                            >= 2);
            redis.restart();
            await().atMost(Duration.ofSeconds(4))
                    .until(() -> states(events).lastIndexOf(ConnectionState.CONNECTED) > 0);

            List<ConnectionState> states = states(events);
            assertThat(states.get(0)).isEqualTo(ConnectionState.CONNECTED);
            assertThat(states.get(1)).isEqualTo(ConnectionState.DISCONNECTED);
            assertThat(states.subList(2, states.size() - 1)).containsOnly(ConnectionState.RECONNECT_FAILED);
            assertThat(states.get(states.size() - 1)).isEqualTo(ConnectionState.CONNECTED);
            assertThat(events.stream()
                            .filter(e -> e.state() == ConnectionState.RECONNECT_FAILED)
                            .findFirst()
                            .orElseThrow()
                            .detail())
                    .matches("attempt \\d+: connection refused");

            String logger = RedisConnectionManager.class.getName();
            assertThat(logs.lines(Level.WARN, logger))
                    .filteredOn(line -> line.startsWith("Lost the connection"))
                    .hasSize(1);
            assertThat(logs.lines(Level.INFO, logger))
                    .filteredOn(line -> line.contains("reachable again"))
                    .hasSize(1);
        }
    }

    @Test
    void unsubscribedListenerHearsNothing(RedisServer redis) throws Exception {
        RedisConnectionManager manager = manager(redis);
        List<ConnectionStateEvent> events = new CopyOnWriteArrayList<>();
        List<ConnectionStateEvent> control = new CopyOnWriteArrayList<>();
        manager.subscribe(events::add).close();
        manager.subscribe(control::add);

        result(manager.ping());
        await().atMost(Duration.ofSeconds(2)).until(() -> !control.isEmpty());

        assertThat(events).isEmpty();
    }

    @Test
    void connectionRefusedIsReportedAsSuch() throws Exception {
        RedisConnectionManager manager = manager("127.0.0.1:" + FreePorts.pick(), Map.of());

        RedisProbe probe = result(manager.probe());

        assertThat(probe.up()).isFalse();
        assertThat(probe.failureReason()).isEqualTo("connection refused");
        assertThat(probe.role()).isEqualTo(ReplicationRole.UNKNOWN);
    }

    @Test
    void unknownHostIsReportedWithItsName() throws Exception {
        RedisConnectionManager manager =
                manager("no-such-host.invalid:" + FreePorts.pick(), Map.of(RedisSettings.ENV_PING_TIMEOUT, "3s"));

        RedisProbe probe = result(manager.probe());

        assertThat(probe.up()).isFalse();
        assertThat(probe.failureReason()).isEqualTo("unknown host no-such-host.invalid");
    }

    @Test
    void unreachableHostIsFalseWithinTheTimeout() throws Exception {
        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never routed, so a connect hangs or fails at once depending on the
        // network (a sandbox may even answer with a reset); either way the probe is bounded and says why.
        RedisConnectionManager manager = manager("192.0.2.1:" + 6390, Map.of());

        Timed<RedisProbe> probe = timedProbe(manager);

        assertThat(probe.value().up()).isFalse();
        assertThat(probe.value().failureReason())
                .isIn(
                        "timed out after 500 ms while connecting",
                        "network unreachable",
                        "no route to host 192.0.2.1",
                        "connection refused",
                        "connect timed out");
        assertThat(probe.elapsed()).isLessThanOrEqualTo(PING_BOUND);
    }

    @Test
    void ipv6EndpointForm() throws Exception {
        try (RedisServer redis =
                RedisServer.builder().extraArgs("--bind", "127.0.0.1", "::1").build()) {
            RedisConnectionManager manager = manager("[::1]:" + redis.port(), Map.of());

            assertThat(result(manager.ping())).isTrue();
        }
    }

    @Test
    void serverThatRefusesClientSetnameIsStillUsed() throws Exception {
        // Without HELLO Lettuce speaks RESP2 and names itself with CLIENT SETNAME, which this server does not know.
        try (RedisServer redis = RedisServer.builder()
                .extraArgs("--rename-command", "HELLO", "", "--rename-command", "CLIENT", "")
                .build()) {
            RedisConnectionManager manager = manager(
                    redis.endpoint(),
                    Map.of(RedisSettings.ENV_CONNECT_TIMEOUT, "5s", RedisSettings.ENV_PING_TIMEOUT, "5s"));

            RedisProbe probe = result(manager.probe());

            assertThat(probe.up()).as(String.valueOf(probe.failureReason())).isTrue();
        }
    }

    private static List<ConnectionState> states(List<ConnectionStateEvent> events) {
        return events.stream().map(ConnectionStateEvent::state).toList();
    }
}
