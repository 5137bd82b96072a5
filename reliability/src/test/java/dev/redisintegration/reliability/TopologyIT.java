package dev.redisintegration.reliability;

import static dev.redisintegration.reliability.ReliabilityReport.ms;
import static dev.redisintegration.reliability.Scenarios.SLACK;
import static dev.redisintegration.reliability.Scenarios.awaitCachedUp;
import static dev.redisintegration.reliability.Scenarios.awaitReply;
import static dev.redisintegration.reliability.Scenarios.awaitWrites;
import static dev.redisintegration.reliability.Scenarios.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.reliability.AnswerLog.Answer;
import dev.redisintegration.reliability.Scenarios.Observation;
import dev.redisintegration.testing.HttpProbe.Response;
import dev.redisintegration.testing.redis.ClusterNode;
import dev.redisintegration.testing.redis.RedisCluster;
import dev.redisintegration.testing.redis.RedisSentinelGroup;
import dev.redisintegration.testing.redis.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged service against a real Redis Cluster (3 primaries with a replica each, {@code cluster-node-timeout} 1 s)
 * and a real Sentinel group (primary, replica, 3 Sentinels, {@code down-after} 1 s), both from the fixture and shared
 * by the class; the scenarios that leave a topology changed run last on it. The service gets only environment
 * variables ({@code REDIS_MODE}, {@code REDIS_PRIMARY_ENDPOINT}) and production TTLs unless a scenario says otherwise,
 * so a change seen in time comes from the client noticing it, not from a cache expiring. Bounds get
 * {@link Scenarios#SLACK}.
 */
@Timeout(150)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TopologyIT {

    /** Every slot writable again this soon after the replica's promotion. */
    private static final Duration WRITES_BOUND = Duration.ofSeconds(5);
    /** /health/ready 200 again this soon after {@code cluster_state:ok} on every node. */
    private static final Duration READY_AFTER_OK_BOUND = Duration.ofSeconds(3);
    /** /health/ready 200 on the new primary this soon after the Sentinels announce the switch. */
    private static final Duration SENTINEL_READY_BOUND = Duration.ofSeconds(5);
    /** A range nobody serves, or its return, shows within the 1 s TTL the scenario sets plus one answer. */
    private static final Duration RANGE_BOUND = Duration.ofSeconds(2);

    private static final Duration TOPOLOGY_TIMEOUT = Duration.ofSeconds(20);
    private static final int CONCURRENCY = 100;
    private static final Duration LOAD = Duration.ofSeconds(12);
    /** Requests in flight while a primary name no Sentinel knows is retried. */
    private static final int RETRY_LOAD_CONCURRENCY = 20;

    private RedisCluster cluster;
    private RedisSentinelGroup group;

    @BeforeAll
    void startTopologies() {
        cluster = RedisCluster.start();
        group = RedisSentinelGroup.start();
    }

    @AfterAll
    void stopTopologies() {
        if (cluster != null) {
            cluster.close();
        }
        if (group != null) {
            group.close();
        }
    }

    // ---- cluster ----

    @Test
    @Order(1)
    void aClusterBehindOnePlainEndpointIsFoundWithoutRedisMode() {
        ClusterNode seed = cluster.nodes().get(0);
        long started = System.nanoTime();
        try (ServiceProcess service =
                ServiceProcess.start("topology-auto-cluster", Scenarios.env(seed.endpoint(), null, null))) {
            Observation ready = awaitReply(service, "/health/ready", r -> r.status() == 200, TOPOLOGY_TIMEOUT, started);
            Response health = Http.getOrFail(service, "/health");
            boolean asCluster = health.bodyMentions("\"mode\":\"cluster\"")
                    && health.bodyMentions("\"slots\":\"16384/16384 served\"");
            boolean advised = service.log()
                            .lines()
                            .filter(line ->
                                    line.contains("is a Redis Cluster node") && line.contains("REDIS_MODE=cluster"))
                            .count()
                    == 1;

            boolean met = ready.met() && asCluster && advised;
            ReliabilityReport.record(
                    "topology: a Redis Cluster behind one plain endpoint, no REDIS_MODE",
                    "/health/ready 200; /health shows mode cluster with every slot served; one log line advising"
                            + " REDIS_MODE=cluster",
                    "/health/ready "
                            + (ready.met()
                                    ? "200 " + ms(ready.elapsed()) + " after the process started"
                                    : "not 200 within " + ms(TOPOLOGY_TIMEOUT) + ": " + ready.lastReplies())
                            + "; /health "
                            + health.status() + (asCluster ? " mode cluster, 16384/16384 slots served" : ": " + health)
                            + "; advice logged " + (advised ? "once" : "not once"),
                    met);

            assertThat(ready.met())
                    .as("ready 200; last replies:\n%s", ready.lastReplies())
                    .isTrue();
            assertThat(asCluster).as("/health in cluster mode: %s", health).isTrue();
            assertThat(advised)
                    .as("one INFO line advising REDIS_MODE=cluster; log:\n%s", service.logTail(30))
                    .isTrue();
        }
    }

    @Test
    @Order(2)
    void aRangeOfSlotsNobodyServesIsDownAndNamed() {
        Map<String, String> env = Scenarios.env(cluster.seeds(), "1s", "1s"); // no event marks a range uncovered
        env.put("REDIS_MODE", "cluster");
        try (ServiceProcess service = ServiceProcess.start("topology-uncovered-range", env)) {
            Observation up =
                    awaitReply(service, "/health/ready", r -> r.status() == 200, TOPOLOGY_TIMEOUT, System.nanoTime());
            assertThat(up.met())
                    .as("precondition: ready; last replies:\n%s", up.lastReplies())
                    .isTrue();
            ClusterNode owner = cluster.primaryForSlot(100);

            Observation down;
            Response ready;
            cluster.uncoverSlots(100, 199);
            long uncovered = System.nanoTime();
            try {
                down = awaitReply(
                        service,
                        "/health",
                        r -> r.status() == 503 && r.bodyMentions("slots 100-199: not served by any node"),
                        RANGE_BOUND.plus(SLACK),
                        uncovered);
                ready = Http.getOrFail(service, "/health/ready");
            } finally {
                cluster.coverSlots(100, 199, owner);
                cluster.awaitClusterOk(TOPOLOGY_TIMEOUT);
            }
            long covered = System.nanoTime();
            Observation back =
                    awaitReply(service, "/health/ready", r -> r.status() == 200, RANGE_BOUND.plus(SLACK), covered);

            boolean terse =
                    ready.status() == 503 && ready.body().equals("{\"status\":\"DOWN\",\"failing\":[\"redis\"]}");
            Duration slowest = Scenarios.maxLatency(concat(down.seen(), back.seen()));
            boolean met = down.met() && terse && back.met() && within(slowest, Scenarios.ANSWER_BUDGET);
            ReliabilityReport.record(
                    "topology: cluster with slots 100-199 uncovered (TTLs 1 s)",
                    "/health 503 naming the range within 2 s; /health/ready 503 with the failing check's name only;"
                            + " 200 within 2 s of the range covered again; every answer within 1 s",
                    "/health "
                            + (down.met()
                                    ? "503 " + ms(down.elapsed()) + " after the range was uncovered, reason "
                                            + Scenarios.reasonOf(down.matched())
                                    : "not 503 naming the range: " + down.lastReplies())
                            + "; /health/ready " + ready.status() + " " + ready.body() + "; 200 "
                            + (back.met() ? ms(back.elapsed()) : "not within " + ms(RANGE_BOUND))
                            + " after it was covered again; slowest answer " + ms(slowest),
                    met);

            assertThat(down.met())
                    .as("503 naming the range; last replies:\n%s", down.lastReplies())
                    .isTrue();
            assertThat(terse).as("readiness names only the check: %s", ready).isTrue();
            assertThat(back.met())
                    .as("200 after the range was covered; last replies:\n%s", back.lastReplies())
                    .isTrue();
            assertThat(slowest).as("slowest answer").matches(d -> within(d, Scenarios.ANSWER_BUDGET), "within 1 s");
        }
    }

    @Test
    @Order(3)
    void aClusterPrimaryKilledUnderLoadEverySlotWritableSoonAfterThePromotion() {
        Map<String, String> env = Scenarios.env(cluster.seeds(), null, null);
        env.put("REDIS_MODE", "cluster");
        long began = System.nanoTime();
        try (ServiceProcess service = ServiceProcess.start("topology-cluster-kill", env);
                SlotWriter writer = SlotWriter.start(cluster.seeds());
                LoadDriver load = new LoadDriver()) {
            awaitCachedUp(
                    service,
                    () -> writer.firstCompleteRoundSince(began).isPresent(),
                    "and a round of writes to every slot");
            LoadDriver.Result warmUp =
                    load.run(service.baseUri(), Http.HEALTH_PATHS, 500, CONCURRENCY, Duration.ofSeconds(30));
            assertThat(warmUp.connectionErrors() + warmUp.timeouts())
                    .as(warmUp.summary())
                    .isZero();
            ClusterNode victim = cluster.primaryForSlot(0);
            String range = "slots " + victim.slots().get(0) + " (" + victim.endpoint() + ")";

            CompletableFuture<LoadDriver.Result> running = CompletableFuture.supplyAsync(
                    () -> load.run(service.baseUri(), Http.HEALTH_PATHS, Integer.MAX_VALUE, CONCURRENCY, LOAD));
            try (AnswerLog ready = AnswerLog.start(service, "/health/ready");
                    AnswerLog health = AnswerLog.start(service, "/health")) {
                awaitAnswers(ready, 10); // half a second of the load before the kill
                long killed = System.nanoTime();
                cluster.kill(victim);
                ClusterNode promoted = cluster.awaitPromotion(victim, TOPOLOGY_TIMEOUT);
                long promotedAt = System.nanoTime();
                cluster.awaitClusterOk(TOPOLOGY_TIMEOUT);
                long okAt = System.nanoTime();
                Optional<SlotWriter.Round> writesBack = awaitPresent(
                        () -> writer.firstCompleteRoundSince(killed), WRITES_BOUND.plus(SLACK), promotedAt);
                Optional<Answer> readyBack = awaitPresent(
                        () -> ready.first(a -> a.status() == 200, promotedAt), READY_AFTER_OK_BOUND.plus(SLACK), okAt);
                LoadDriver.Result result = running.join();

                Optional<Answer> firstDown = ready.first(a -> a.status() == 503, killed);
                Duration noticed = firstDown
                        .filter(a -> a.nanos() < promotedAt)
                        .map(a -> Duration.ofNanos(a.nanos() - killed))
                        .orElse(null);
                long upWhileUncovered = firstDown
                        .map(d -> ready.between(d.nanos(), promotedAt).stream()
                                .filter(a -> a.status() != 503)
                                .count())
                        .orElse(-1L);
                Optional<Answer> named =
                        health.first(a -> a.status() == 503 && a.response().bodyMentions(range), killed);
                Duration writes = writesBack
                        .map(r -> Duration.ofNanos(r.endNanos() - promotedAt))
                        .orElse(null);
                Duration readyAfterOk =
                        readyBack.map(a -> Duration.ofNanos(a.nanos() - okAt)).orElse(null);
                List<SlotWriter.Round> failedRounds = writer.failedRoundsSince(killed);
                Response after = Http.getOrFail(service, "/health");

                boolean met = noticed != null
                        && upWhileUncovered == 0
                        && named.isPresent()
                        && writes != null
                        && within(writes, WRITES_BOUND)
                        && readyAfterOk != null
                        && within(readyAfterOk, READY_AFTER_OK_BOUND)
                        && result.connectionErrors() + result.timeouts() == 0;
                ReliabilityReport.record(
                        "topology: cluster primary SIGKILLed under load (concurrency " + CONCURRENCY
                                + " on /health* for " + LOAD.toSeconds() + " s, a writer on every slot)",
                        "writes to every slot succeed again within 5 s of the replica's promotion; /health/ready"
                                + " DOWN while slots are uncovered (503 before the promotion, and nothing else"
                                + " from then until it), /health naming the range; 200 within 3 s after"
                                + " cluster_state:ok",
                        "promoted " + promoted.endpoint() + " " + ms(Duration.ofNanos(promotedAt - killed))
                                + " after the kill, cluster_state:ok everywhere " + ms(Duration.ofNanos(okAt - killed))
                                + "; /health/ready 503 "
                                + (noticed == null ? "not before the promotion" : ms(noticed) + " after the kill")
                                + ", " + upWhileUncovered
                                + " answers not 503 between then and the promotion; /health reason "
                                + named.map(a -> Scenarios.reasonOf(a.response()))
                                        .orElse("never naming " + range)
                                + "; every slot written again " + (writes == null ? "not within 5 s" : ms(writes))
                                + " after the promotion (" + failedRounds.size() + " rounds with failed writes, e.g. "
                                + failedRounds.stream()
                                        .findFirst()
                                        .map(r -> r.failed() + " of 16384: " + r.sampleError())
                                        .orElse("none")
                                + ")"
                                + "; /health/ready 200 "
                                + (readyAfterOk == null
                                        ? "not within 3 s after"
                                        : readyAfterOk.isNegative()
                                                ? ms(readyAfterOk.negated()) + " before"
                                                : ms(readyAfterOk) + " after")
                                + " cluster_state:ok everywhere; load: "
                                + result.summary() + "; afterwards " + detailsOf(after),
                        met);

                assertThat(noticed)
                        .as("/health/ready 503 after the kill, before the promotion")
                        .isNotNull();
                assertThat(upWhileUncovered)
                        .as("answers other than 503 between the first 503 and the promotion")
                        .isZero();
                assertThat(named).as("/health naming %s", range).isPresent();
                assertThat(writes)
                        .as("every slot written again after the promotion")
                        .isNotNull()
                        .matches(d -> within(d, WRITES_BOUND), "within 5 s");
                assertThat(readyAfterOk)
                        .as("/health/ready 200 after cluster_state:ok")
                        .isNotNull()
                        .matches(d -> within(d, READY_AFTER_OK_BOUND), "within 3 s");
                assertThat(result.connectionErrors() + result.timeouts())
                        .as(result.summary())
                        .isZero();
            }
        }
    }

    // ---- Sentinel ----

    @Test
    @Order(4)
    void aPrimaryNameNoSentinelKnowsIsDownWithAClearReasonAndBoundedRetries() {
        Duration window = Duration.ofSeconds(10);
        String endpoint = group.sentinelEndpoint().replace("#" + group.masterName(), "#no-such-master");
        Map<String, String> env = Scenarios.env(endpoint, null, null);
        env.put("REDIS_MODE", "sentinel");
        try (ServiceProcess service = ServiceProcess.start("topology-unknown-master", env)) {
            Observation down = awaitReply(
                    service,
                    "/health",
                    r -> r.status() == 503 && r.bodyMentions("no Sentinel knows a primary named 'no-such-master'"),
                    TOPOLOGY_TIMEOUT,
                    System.nanoTime());
            Response ready = Http.getOrFail(service, "/health/ready");

            long before = sentinelConnections();
            LoadDriver.Result result;
            try (LoadDriver load = new LoadDriver()) {
                result = load.run(
                        service.baseUri(),
                        List.of("/health", "/health/ready"),
                        Integer.MAX_VALUE,
                        RETRY_LOAD_CONCURRENCY,
                        window);
            }
            // Each reading of the counters is itself one connection to every Sentinel.
            long connections =
                    sentinelConnections() - before - group.sentinels().size();
            long warnings = service.log()
                    .lines()
                    .filter(line -> line.contains(" WARN ") && line.contains("no-such-master"))
                    .count();
            // Full jitter up to 2 s: about one background attempt a second, each asking every Sentinel.
            long mostConnections = 2L * group.sentinels().size() * window.toSeconds();
            boolean onlyDown = result.statusCounts().keySet().equals(Set.of(503))
                    && result.connectionErrors() + result.timeouts() == 0;

            boolean met =
                    down.met() && ready.status() == 503 && onlyDown && connections <= mostConnections && warnings == 1;
            ReliabilityReport.record(
                    "topology: Sentinel endpoint with a primary name no Sentinel knows",
                    "503 with a clear reason; /health/ready 503; bounded retries: at most " + mostConnections
                            + " connections to the 3 Sentinels in " + window.toSeconds() + " s of /health and"
                            + " /health/ready at concurrency " + RETRY_LOAD_CONCURRENCY + " (the client's back-off,"
                            + " not the request rate), one WARN line",
                    "/health "
                            + (down.met()
                                    ? "503 " + ms(down.matched().elapsed()) + ", reason "
                                            + Scenarios.reasonOf(down.matched())
                                    : "not the reason: " + down.lastReplies())
                            + "; /health/ready " + ready.status() + " " + ready.body() + "; load: " + result.summary()
                            + "; " + connections + " connections to the 3 Sentinels; " + warnings + " WARN lines",
                    met);

            assertThat(down.met())
                    .as("503 with the reason; last replies:\n%s", down.lastReplies())
                    .isTrue();
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.body()).isEqualTo("{\"status\":\"DOWN\",\"failing\":[\"redis\"]}");
            assertThat(onlyDown).as("only 503 under load: %s", result.summary()).isTrue();
            assertThat(connections)
                    .as("connections to the Sentinels in %s", window)
                    .isLessThanOrEqualTo(mostConnections);
            assertThat(warnings)
                    .as("WARN lines naming the primary; log:\n%s", service.logTail(30))
                    .isEqualTo(1);
        }
    }

    @Test
    @Order(5)
    void aSentinelFailoverUnderLoadIsFollowedWithinSecondsOfTheSwitch() {
        Map<String, String> env = Scenarios.env(group.sentinelEndpoint(), null, null);
        env.put("REDIS_MODE", "sentinel");
        RedisServer old = group.primary();
        try (ServiceProcess service = ServiceProcess.start("topology-sentinel-failover", env);
                Writer writer = Writer.start(group.sentinelEndpoint());
                LoadDriver load = new LoadDriver()) {
            awaitCachedUp(service, () -> ReplicatedPair.serviceConnectedTo(old), "on " + old.endpoint());
            awaitWrites(writer, System.nanoTime());
            LoadDriver.Result warmUp =
                    load.run(service.baseUri(), Http.HEALTH_PATHS, 500, CONCURRENCY, Duration.ofSeconds(30));
            assertThat(warmUp.connectionErrors() + warmUp.timeouts())
                    .as(warmUp.summary())
                    .isZero();

            CompletableFuture<LoadDriver.Result> running = CompletableFuture.supplyAsync(
                    () -> load.run(service.baseUri(), Http.HEALTH_PATHS, Integer.MAX_VALUE, CONCURRENCY, LOAD));
            try (AnswerLog health = AnswerLog.start(service, "/health");
                    SwitchWatch sentinels = SwitchWatch.start(group, old)) {
                awaitAnswers(health, 10);
                long began = System.nanoTime();
                RedisServer next = group.failover();
                long switched = System.nanoTime();
                long announced = sentinels.firstSwitchNanos().orElse(switched);
                String onNext = "\"master\":\"" + next.endpoint() + "\"";
                Optional<Answer> onNew = awaitPresent(
                        () -> health.first(
                                a -> a.status() == 200
                                        && a.response().bodyMentions(onNext)
                                        && a.response().bodyMentions("\"role\":\"PRIMARY\""),
                                announced),
                        SENTINEL_READY_BOUND.plus(SLACK),
                        announced);
                Response ready = Http.getOrFail(service, "/health/ready");
                boolean clientOnNext = ReplicatedPair.serviceConnectedTo(next);
                LoadDriver.Result result = running.join();
                Writer.Outage outage = writer.outageSince(began);
                List<Long> lost = writer.lostAfter(switched, next);

                Duration follow =
                        onNew.map(a -> Duration.ofNanos(a.nanos() - announced)).orElse(null);
                long notUp = health.between(began, onNew.map(Answer::nanos).orElse(System.nanoTime())).stream()
                        .filter(a -> a.status() != 200)
                        .count();
                boolean met = follow != null
                        && within(follow, SENTINEL_READY_BOUND)
                        && ready.status() == 200
                        && clientOnNext
                        && lost.isEmpty()
                        && result.connectionErrors() + result.timeouts() == 0;
                ReliabilityReport.record(
                        "topology: Sentinel failover (SENTINEL FAILOVER) under load (concurrency " + CONCURRENCY
                                + " on /health* for " + LOAD.toSeconds() + " s, plus a writer)",
                        "/health/ready 200 on the new primary within 5 s of the switch announced by the Sentinels;"
                                + " no acknowledged write lost",
                        "the Sentinels named " + next.endpoint() + " " + ms(Duration.ofNanos(announced - began))
                                + " after SENTINEL FAILOVER (roles switched " + ms(Duration.ofNanos(switched - began))
                                + "); /health 200 with that master and role PRIMARY "
                                + (follow == null ? "not within 5 s" : ms(follow) + " after the announcement")
                                + " (" + notUp + " answers not 200 meanwhile), /health/ready " + ready.status()
                                + ", the new primary's CLIENT LIST names the service: " + clientOnNext + "; writer: "
                                + outage + ", " + lost.size() + " acknowledged writes missing; load: "
                                + result.summary(),
                        met);

                assertThat(follow)
                        .as("/health UP on %s after the announcement", next.endpoint())
                        .isNotNull()
                        .matches(d -> within(d, SENTINEL_READY_BOUND), "within 5 s");
                assertThat(ready.status()).isEqualTo(200);
                assertThat(clientOnNext)
                        .as("the new primary's CLIENT LIST names the service")
                        .isTrue();
                assertThat(lost)
                        .as("acknowledged writes missing on the new primary")
                        .isEmpty();
                assertThat(result.connectionErrors() + result.timeouts())
                        .as(result.summary())
                        .isZero();
            }
        }
    }

    // ---- shared steps ----

    /**
     * When the Sentinels first name another primary than {@code old}: each Sentinel asked every 50 ms from a thread of
     * its own, {@code SENTINEL GET-MASTER-ADDR-BY-NAME}.
     */
    private static final class SwitchWatch implements AutoCloseable {
        private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sentinel-switch-watch");
            t.setDaemon(true);
            return t;
        });
        private volatile long firstSwitch;
        private volatile boolean seen;

        static SwitchWatch start(RedisSentinelGroup group, RedisServer old) {
            SwitchWatch watch = new SwitchWatch();
            String oldAddress = old.host() + "\n" + old.port();
            watch.executor.scheduleWithFixedDelay(
                    () -> {
                        for (RedisServer sentinel : group.sentinels()) {
                            try {
                                String named =
                                        sentinel.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", group.masterName());
                                if (!watch.seen && named != null && !named.equals(oldAddress)) {
                                    watch.firstSwitch = System.nanoTime();
                                    watch.seen = true;
                                }
                            } catch (RuntimeException busy) {
                                // a Sentinel busy with the failover answers later; the others are asked meanwhile
                            }
                        }
                    },
                    0,
                    50,
                    TimeUnit.MILLISECONDS);
            return watch;
        }

        Optional<Long> firstSwitchNanos() {
            return seen ? Optional.of(firstSwitch) : Optional.empty();
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }

    /** Connections the Sentinels have accepted so far ({@code total_connections_received}, summed). */
    private long sentinelConnections() {
        long total = 0;
        for (RedisServer sentinel : group.sentinels()) {
            for (String line : sentinel.command("INFO", "stats").split("\r?\n")) {
                if (line.startsWith("total_connections_received:")) {
                    total +=
                            Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        }
        return total;
    }

    /** Precondition: the log has {@code count} answers (the load has run that long). */
    private static void awaitAnswers(AnswerLog log, int count) {
        Awaitility.await("answers logged")
                .atMost(Scenarios.STARTUP)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> log.answers().size() >= count);
    }

    /** Waits until {@code value} is present or {@code bound} has passed since {@code sinceNanos}; the last value. */
    private static <T> Optional<T> awaitPresent(Supplier<Optional<T>> value, Duration bound, long sinceNanos) {
        Duration left = bound.minusNanos(System.nanoTime() - sinceNanos);
        try {
            return Awaitility.await()
                    .atMost(left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .until(value::get, Optional::isPresent);
        } catch (ConditionTimeoutException e) {
            return value.get();
        }
    }

    private static String detailsOf(Response health) {
        int start = health.body().indexOf("\"mode\"");
        int end = health.body().indexOf('}', Math.max(start, 0));
        return start < 0 ? health.toString() : "{" + health.body().substring(start, end) + "}";
    }

    private static List<Response> concat(List<Response> a, List<Response> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
