package dev.redisintegration.reliability;

import static dev.redisintegration.reliability.ReliabilityReport.ms;
import static dev.redisintegration.reliability.ReplicatedPair.serviceConnectedTo;
import static dev.redisintegration.reliability.Scenarios.ANSWER_BUDGET;
import static dev.redisintegration.reliability.Scenarios.SLACK;
import static dev.redisintegration.reliability.Scenarios.awaitCachedUp;
import static dev.redisintegration.reliability.Scenarios.awaitReply;
import static dev.redisintegration.reliability.Scenarios.awaitWrites;
import static dev.redisintegration.reliability.Scenarios.holdsFor;
import static dev.redisintegration.reliability.Scenarios.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.reliability.ReplicatedPair.Failover;
import dev.redisintegration.reliability.Scenarios.Observation;
import dev.redisintegration.testing.HttpProbe.Response;
import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.SwitchingProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Failover of a managed primary endpoint: one name (a {@link SwitchingProxy}) in front of a primary and its replica.
 * At a failover the replica is promoted and the name moves to it; the old primary is demoted to a replica (often),
 * killed, or hung. The service must follow the name, leave the old node, and never hold an answer; a second client of
 * the same library in this JVM (the {@link Writer}) shows how long writes fail and that no acknowledged write is lost.
 *
 * <p>Production TTLs (UP cached 5 min) unless a scenario says otherwise: whatever changes in time can only come from
 * the client noticing the node, not from a cache expiring. Time bounds get {@link Scenarios#SLACK}.
 */
@Timeout(150)
class FailoverIT {

    /** A failover the old node survives, or in which it dies: the service is on the new primary within 6 s. */
    private static final Duration MOVE_BOUND = Duration.ofSeconds(6);
    /** Writes fail for at most 3 s around such a failover. */
    private static final Duration WRITE_OUTAGE_BOUND = Duration.ofSeconds(3);
    /**
     * A node that hangs with its sockets open is given up within 8 s: with the default 5 s verify interval, a
     * verification that finds it hung, and the reconnect.
     */
    private static final Duration HANG_BOUND = Duration.ofSeconds(8);
    /** Ready again within 3 s of SIGCONT. */
    private static final Duration RESUME_BOUND = Duration.ofSeconds(3);
    /** Writes acknowledged after a failover before the writer counts as recovered (1 s at one write per 50 ms). */
    private static final int RECOVERED_WRITES = 20;

    private static final Duration STARTUP = Scenarios.STARTUP;
    private static final Duration POLL = Duration.ofMillis(100);

    // ---- 1 ----

    @Test
    void plannedFailoverServiceIsReadyOnTheNewPrimaryAndLeavesTheDemotedOne() {
        try (ReplicatedPair pair = ReplicatedPair.start();
                ServiceProcess service = ServiceProcess.start("failover-planned", env(pair))) {
            awaitOnPrimary(service, pair);
            RedisServer old = pair.primary();

            Failover failover = pair.plannedFailover();
            Move move = awaitMove(service, pair, old, true, MOVE_BOUND, failover.movedNanos());

            ReliabilityReport.record(
                    "failover: planned, old primary stays up as a replica, no traffic",
                    "/health/ready 200 on the new primary within 6 s; no service connection left on the old node",
                    move.toString(),
                    move.met());

            assertThat(move.met())
                    .as("service on the new primary and off the old one within %s: %s", MOVE_BOUND, move)
                    .isTrue();
            assertThat(serviceConnectedTo(old))
                    .as("CLIENT LIST of the old primary names the service")
                    .isFalse();
        }
    }

    // ---- 2 ----

    @Test
    void plannedFailoverWithAWriterWritesFailForAtMostThreeSeconds() {
        try (ReplicatedPair pair = ReplicatedPair.start();
                ServiceProcess service = ServiceProcess.start("failover-writer", env(pair));
                Writer writer = Writer.start(pair.endpoint())) {
            awaitOnPrimary(service, pair);
            awaitWrites(writer, System.nanoTime());

            long began = System.nanoTime();
            Failover failover = pair.plannedFailover();
            WriteCheck writes = awaitWritesRecovered(writer, pair, began, failover, WRITE_OUTAGE_BOUND);

            ReliabilityReport.record(
                    "failover: planned, with a writer every 50 ms",
                    "writes fail for at most 3 s; every write acknowledged after the move is on the new primary",
                    writes.toString(),
                    writes.met());

            writes.assertMet();
        }
    }

    // ---- 3 ----

    @Test
    void oldPrimaryKilledAtFailoverServiceAndWriterMoveWithinBounds() {
        oldPrimaryLostAtFailover(
                "failover-killed",
                ReplicatedPair::failoverAfterKill,
                MOVE_BOUND,
                WRITE_OUTAGE_BOUND,
                "failover: old primary killed (SIGKILL) at the failover, with a writer",
                "/health/ready 200 on the new primary within 6 s; writes fail for at most 3 s, none lost");
    }

    // ---- 4 ----

    @Test
    void oldPrimaryHungAtFailoverServiceAndWriterGiveItUpWithinBounds() {
        oldPrimaryLostAtFailover(
                "failover-hung",
                ReplicatedPair::failoverAfterHang,
                HANG_BOUND,
                HANG_BOUND,
                "failover: old primary hung (SIGSTOP) at the failover, with a writer",
                "/health/ready 200 on the new primary within 8 s; writes fail for at most 8 s, none lost");
    }

    /** The old primary cannot be asked any more (dead or hung): only the name's counts tell whether it was left. */
    private static void oldPrimaryLostAtFailover(
            String name,
            Function<ReplicatedPair, Failover> failoverKind,
            Duration moveBound,
            Duration writeBound,
            String scenario,
            String expected) {
        try (ReplicatedPair pair = ReplicatedPair.start();
                ServiceProcess service = ServiceProcess.start(name, env(pair));
                Writer writer = Writer.start(pair.endpoint())) {
            awaitOnPrimary(service, pair);
            awaitWrites(writer, System.nanoTime());
            RedisServer old = pair.primary();

            long began = System.nanoTime();
            Failover failover = failoverKind.apply(pair);
            Move move = awaitMove(service, pair, old, false, moveBound, failover.movedNanos());
            WriteCheck writes = awaitWritesRecovered(writer, pair, began, failover, writeBound);

            ReliabilityReport.record(scenario, expected, move + "; " + writes, move.met() && writes.met());

            assertThat(move.met())
                    .as("service on the new primary within %s: %s", moveBound, move)
                    .isTrue();
            writes.assertMet();
        }
    }

    // ---- 5 ----

    @Test
    void hungPrimaryWithoutFailoverReadinessDownWithinEightSecondsAndUpWithinThreeOfSigcont() {
        try (RedisServer redis = RedisServer.start();
                SwitchingProxy name = SwitchingProxy.start(redis);
                ServiceProcess service =
                        ServiceProcess.start("failover-hung-no-failover", Scenarios.env(name.endpoint(), null, null))) {
            awaitCachedUp(service, () -> serviceConnectedTo(redis), "on " + redis.endpoint());

            redis.pause();
            long paused = System.nanoTime();
            Observation down;
            try {
                down = awaitReply(service, "/health/ready", r -> r.status() == 503, HANG_BOUND.plus(SLACK), paused);
            } finally {
                redis.resume();
            }
            long resumed = System.nanoTime();
            Observation up =
                    awaitReply(service, "/health/ready", r -> r.status() == 200, RESUME_BOUND.plus(SLACK), resumed);

            Duration slowest = Scenarios.maxLatency(concat(down.seen(), up.seen()));
            boolean met = down.met() && up.met() && within(slowest, ANSWER_BUDGET);
            ReliabilityReport.record(
                    "hung primary (SIGSTOP), no failover, no traffic",
                    "/health/ready 503 within 8 s; 200 within 3 s of SIGCONT; every answer within 1 s",
                    "503 " + (down.met() ? ms(down.elapsed()) : "not within " + ms(HANG_BOUND)) + " after SIGSTOP; 200 "
                            + (up.met() ? ms(up.elapsed()) : "not within " + ms(RESUME_BOUND))
                            + " after SIGCONT; slowest answer " + ms(slowest),
                    met);

            assertThat(down.met())
                    .as("ready 503 within %s of SIGSTOP; last replies:\n%s", HANG_BOUND, down.lastReplies())
                    .isTrue();
            assertThat(up.met())
                    .as("ready 200 within %s of SIGCONT; last replies:\n%s", RESUME_BOUND, up.lastReplies())
                    .isTrue();
            assertThat(slowest).as("slowest answer").matches(d -> within(d, ANSWER_BUDGET), "within 1 s");
        }
    }

    // ---- 6 ----

    @Test
    void failoverUnderLoadEveryHealthAnswerWithinOneSecond() {
        int concurrency = 200;
        Duration loadDuration = Duration.ofSeconds(8);
        try (ReplicatedPair pair = ReplicatedPair.start();
                ServiceProcess service = ServiceProcess.start("failover-load", env(pair));
                Writer writer = Writer.start(pair.endpoint());
                LoadDriver load = new LoadDriver()) {
            awaitOnPrimary(service, pair);
            awaitWrites(writer, System.nanoTime());
            // Open the driver's connections and warm the JIT first; not part of the figures.
            LoadDriver.Result warmUp =
                    load.run(service.baseUri(), Http.HEALTH_PATHS, 1_000, concurrency, Duration.ofSeconds(30));
            assertThat(warmUp.connectionErrors() + warmUp.timeouts())
                    .as(warmUp.summary())
                    .isZero();
            RedisServer old = pair.primary();

            long loadStarted = System.nanoTime();
            CompletableFuture<LoadDriver.Result> running = CompletableFuture.supplyAsync(
                    () -> load.run(service.baseUri(), Http.HEALTH_PATHS, Integer.MAX_VALUE, concurrency, loadDuration));
            awaitWrites(writer, loadStarted); // the load is on: the writer has had half a second of it
            long began = System.nanoTime();
            Failover failover = pair.plannedFailover();
            Move move = awaitMove(service, pair, old, true, MOVE_BOUND, failover.movedNanos());
            LoadDriver.Result result = running.join();
            WriteCheck writes = awaitWritesRecovered(writer, pair, began, failover, WRITE_OUTAGE_BOUND);

            boolean answers = within(result.maxLatency(), ANSWER_BUDGET)
                    && result.connectionErrors() == 0
                    && result.timeouts() == 0;
            ReliabilityReport.record(
                    "failover under load: concurrency " + concurrency + " on /health* for " + loadDuration.toSeconds()
                            + " s, plus the writer",
                    "every /health* answer within 1 s; service on the new primary within 6 s",
                    result.summary() + "; " + move + "; " + writes,
                    answers && move.met() && writes.lost().isEmpty());

            assertThat(result.connectionErrors() + result.timeouts())
                    .as(result.summary() + " " + result.errorSamples())
                    .isZero();
            assertThat(result.maxLatency())
                    .as("slowest answer: %s; by path %s", result.summary(), result.latencyByPath())
                    .matches(d -> within(d, ANSWER_BUDGET), "within 1 s");
            assertThat(move.met())
                    .as("service on the new primary within %s: %s", MOVE_BOUND, move)
                    .isTrue();
            assertThat(writes.lost())
                    .as("acknowledged writes missing on the new primary")
                    .isEmpty();
        }
    }

    // ---- 7 ----

    @Test
    void tenFailoversFiveSecondsApartAtMostTwoReconnectsEachAndNothingAccumulates() {
        int failovers = 10;
        Duration spacing = Duration.ofSeconds(5);
        try (ReplicatedPair pair = ReplicatedPair.start();
                ServiceProcess service = ServiceProcess.start("failover-ten", env(pair))) {
            awaitOnPrimary(service, pair);
            List<Long> reconnects = new ArrayList<>();
            List<Duration> moves = new ArrayList<>();
            Map<String, Integer> threadsBaseline = Map.of();
            int openBaseline = 0;
            Move failed = null;
            for (int i = 0; i < failovers && failed == null; i++) {
                long began = System.nanoTime();
                long acceptedBefore = pair.name().acceptedConnections();
                RedisServer old = pair.primary();
                Failover failover = pair.plannedFailover();
                Move move = awaitMove(service, pair, old, true, MOVE_BOUND, failover.movedNanos());
                if (!move.met()) {
                    failed = move;
                    reconnects.add(pair.name().acceptedConnections() - acceptedBefore);
                    break;
                }
                moves.add(move.elapsed());
                // Keep the spacing: whatever the client still does because of this failover belongs to it.
                Duration left = spacing.minusNanos(System.nanoTime() - began);
                if (!left.isNegative() && !left.isZero()) {
                    Awaitility.await("spacing between failovers")
                            .pollDelay(left)
                            .atMost(left.plusSeconds(1))
                            .until(() -> true);
                }
                reconnects.add(pair.name().acceptedConnections() - acceptedBefore);
                if (i == 0) {
                    // After the first failover: lazily started pools belong to the baseline.
                    threadsBaseline = service.javaThreadsByName();
                    openBaseline = pair.name().openConnections();
                }
            }
            int javaThreadsBefore = sum(threadsBaseline);
            int openBefore = openBaseline;
            AtomicReference<Map<String, Integer>> threadsAfter = new AtomicReference<>(Map.of());
            boolean settled = false;
            if (failed == null) {
                try {
                    Awaitility.await("thread and connection counts back to where they were after the first failover")
                            .atMost(Duration.ofSeconds(10))
                            .pollInterval(Duration.ofMillis(500))
                            .until(() -> {
                                threadsAfter.set(service.javaThreadsByName());
                                return sum(threadsAfter.get()) <= javaThreadsBefore
                                        && pair.name().openConnections() == openBefore;
                            });
                    settled = true;
                } catch (ConditionTimeoutException e) {
                    settled = false;
                }
            }
            long mostReconnects =
                    reconnects.stream().mapToLong(Long::longValue).max().orElse(0);
            boolean met = failed == null && mostReconnects <= 2 && settled;
            ReliabilityReport.record(
                    "failover: " + failovers + " planned failovers " + spacing.toSeconds() + " s apart, no traffic",
                    "each: service on the new primary within 6 s and at most 2 new connections; Java threads and"
                            + " open connections back to their values after the first failover",
                    (failed == null
                            ? failovers + " moves, slowest " + ms(Collections.max(moves))
                                    + "; new connections per failover " + reconnects + "; Java threads "
                                    + javaThreadsBefore
                                    + " -> " + sum(threadsAfter.get()) + ", open connections " + openBefore + " -> "
                                    + pair.name().openConnections()
                            : "failover " + (moves.size() + 1) + " not followed: " + failed
                                    + "; new connections per failover " + reconnects),
                    met);

            assertThat(failed)
                    .as("failover %d not followed within %s: %s", moves.size() + 1, MOVE_BOUND, failed)
                    .isNull();
            assertThat(reconnects)
                    .as("new connections through the name per failover")
                    .allMatch(n -> n <= 2);
            assertThat(sum(threadsAfter.get()))
                    .as(
                            "Java threads; change by name: %s",
                            ServiceProcess.threadDelta(threadsBaseline, threadsAfter.get()))
                    .isLessThanOrEqualTo(javaThreadsBefore);
            assertThat(pair.name().openConnections())
                    .as("open connections through the name")
                    .isEqualTo(openBefore);
        }
    }

    // ---- 8 ----

    @Test
    void anEndpointThatLeadsOnlyToAReplicaIsNotReadyAndRetriesWithBackOff() {
        Duration window = Duration.ofSeconds(10);
        int mostConnections = 10;
        try (RedisServer primary = RedisServer.start();
                RedisServer replica = RedisServer.builder().replicaOf(primary).build();
                SwitchingProxy name = SwitchingProxy.start(replica);
                ServiceProcess service =
                        ServiceProcess.start("failover-replica-only", Scenarios.env(name.endpoint(), null, null))) {
            Observation notReady = awaitReply(
                    service, "/health/ready", r -> r.status() == 503, Duration.ofSeconds(10), System.nanoTime());
            Response health = Http.getOrFail(service, "/health");

            long acceptedBefore = name.acceptedConnections(replica);
            boolean stayedDown = holdsFor(
                    window, () -> Http.getOrFail(service, "/health/ready").status() == 503);
            long accepted = name.acceptedConnections(replica) - acceptedBefore;

            boolean met = notReady.met()
                    && health.status() == 503
                    && health.bodyMentions("replica")
                    && stayedDown
                    && accepted <= mostConnections;
            ReliabilityReport.record(
                    "failover: the endpoint leads only to a replica",
                    "/health/ready 503, /health's reason says replica; at most " + mostConnections
                            + " connections to the replica in " + window.toSeconds() + " s (back-off, not a storm)",
                    "/health/ready " + (notReady.met() ? "503" : "not 503 within 10 s") + "; /health "
                            + health.status() + ", reason " + Scenarios.reasonOf(health) + "; "
                            + (stayedDown ? "503 throughout " : "not 503 throughout ") + window.toSeconds() + " s; "
                            + accepted + " connections to the replica in that time",
                    met);

            assertThat(notReady.met())
                    .as("ready 503; last replies:\n%s", notReady.lastReplies())
                    .isTrue();
            assertThat(health.bodyMentions("replica"))
                    .as("the reason says replica: %s", health)
                    .isTrue();
            assertThat(stayedDown).as("ready 503 for the whole %s", window).isTrue();
            assertThat(accepted)
                    .as("connections the replica accepted in %s", window)
                    .isLessThanOrEqualTo(mostConnections);
        }
    }

    // ---- 9 ----

    @Test
    void expectedRoleAnyStaysOnAReplicaAndIsReady() {
        Duration window = Duration.ofSeconds(3);
        try (RedisServer primary = RedisServer.start();
                RedisServer replica = RedisServer.builder().replicaOf(primary).build();
                SwitchingProxy name = SwitchingProxy.start(replica)) {
            Map<String, String> env = Scenarios.env(name.endpoint(), null, null);
            env.put("REDIS_EXPECTED_ROLE", "any");
            env.put("REDIS_VERIFY_INTERVAL", "1s"); // three verifications in the window
            try (ServiceProcess service = ServiceProcess.start("failover-expected-role-any", env)) {
                Observation ready = awaitReply(
                        service, "/health/ready", r -> r.status() == 200, Duration.ofSeconds(10), System.nanoTime());
                long acceptedBefore = name.acceptedConnections(replica);
                boolean stayed = ready.met()
                        && holdsFor(
                                window,
                                () -> Http.getOrFail(service, "/health/ready").status() == 200
                                        && name.openConnections(replica) >= 1);
                long accepted = name.acceptedConnections(replica) - acceptedBefore;

                boolean met = ready.met() && stayed && accepted == 0;
                ReliabilityReport.record(
                        "failover: REDIS_EXPECTED_ROLE=any against a replica",
                        "/health/ready 200; stays on the replica (no new connection in " + window.toSeconds()
                                + " s of 1 s verifications)",
                        "/health/ready "
                                + (ready.met()
                                        ? "200 in " + ms(ready.elapsed())
                                        : "not 200 within 10 s, last " + ready.lastReplies())
                                + "; " + (stayed ? "200 and connected throughout" : "not stable")
                                + "; " + accepted + " new connections",
                        met);

                assertThat(ready.met())
                        .as("ready 200; last replies:\n%s", ready.lastReplies())
                        .isTrue();
                assertThat(stayed)
                        .as("ready 200 and connected to the replica for %s", window)
                        .isTrue();
                assertThat(accepted).as("new connections to the replica").isZero();
            }
        }
    }

    // ---- 10 ----

    @Test
    void debugSleepOnAHealthyPrimaryUnderTrafficIsNoFailover() {
        Duration window = Duration.ofSeconds(4);
        try (ReplicatedPair pair = ReplicatedPair.start("--enable-debug-command", "yes")) {
            Map<String, String> env = env(pair);
            env.put("REDIS_VERIFY_INTERVAL", "1s"); // a verification certainly meets the stall
            try (ServiceProcess service = ServiceProcess.start("failover-debug-sleep", env);
                    Writer writer = Writer.start(pair.endpoint())) {
                awaitOnPrimary(service, pair);
                awaitWrites(writer, System.nanoTime());
                long acceptedBefore = pair.name().acceptedConnections();
                int openBefore = pair.name().openConnections();
                List<Response> seen = Collections.synchronizedList(new ArrayList<>());

                long began = System.nanoTime();
                CompletableFuture<String> sleep =
                        CompletableFuture.supplyAsync(() -> pair.primary().command("DEBUG", "SLEEP", "1"));
                boolean steady = holdsFor(window, () -> {
                    Response ready = Http.getOrFail(service, "/health/ready");
                    seen.add(ready);
                    return ready.status() != 503 && pair.name().acceptedConnections() == acceptedBefore;
                });
                String slept = sleep.join();
                long accepted = pair.name().acceptedConnections() - acceptedBefore;
                int open = pair.name().openConnections();
                Writer.Outage outage = writer.outageSince(began);

                boolean met = steady && accepted == 0 && open == openBefore;
                ReliabilityReport.record(
                        "DEBUG SLEEP 1 on a healthy primary, with the writer (verify interval 1 s)",
                        "no move (no new connection through the name), /health/ready never 503",
                        "DEBUG SLEEP " + slept + "; " + (steady ? "ready never 503" : "ready 503 or a reconnect")
                                + " over " + seen.size() + " answers in " + window.toSeconds() + " s (slowest "
                                + ms(Scenarios.maxLatency(List.copyOf(seen))) + "); " + accepted
                                + " new connections, open " + openBefore + " -> " + open + "; writer: " + outage,
                        met);

                assertThat(steady)
                        .as("ready never 503 and no new connection; answers: %s", seen)
                        .isTrue();
                assertThat(accepted).as("new connections through the name").isZero();
                assertThat(open).as("open connections through the name").isEqualTo(openBefore);
            }
        }
    }

    // ---- shared steps ----

    private static Map<String, String> env(ReplicatedPair pair) {
        return Scenarios.env(pair.endpoint(), null, null);
    }

    /** Precondition: UP cached, and connected to the current primary through the name. */
    private static void awaitOnPrimary(ServiceProcess service, ReplicatedPair pair) {
        awaitCachedUp(
                service,
                () -> serviceConnectedTo(pair.primary()),
                "on " + pair.primary().endpoint());
    }

    /** What {@link #awaitMove} saw. */
    record Move(boolean met, Duration elapsed, int notReady, int answers, Duration slowest, String last) {
        @Override
        public String toString() {
            return (met
                            ? "on the new primary after " + ms(elapsed)
                            : "not on the new primary after " + ms(elapsed) + " (" + last + ")")
                    + "; /health/ready 503 in " + notReady + " of " + answers
                    + " answers, slowest " + ms(slowest);
        }
    }

    /**
     * Polls until {@code /health/ready} is 200, the new primary's {@code CLIENT LIST} names the service, and no
     * connection through the name is left on {@code old} (nor, when it can answer, in its {@code CLIENT LIST}).
     */
    private static Move awaitMove(
            ServiceProcess service,
            ReplicatedPair pair,
            RedisServer old,
            boolean oldAnswers,
            Duration bound,
            long sinceNanos) {
        RedisServer target = pair.primary();
        List<Response> seen = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<String> state = new AtomicReference<>("nothing seen");
        boolean met;
        try {
            Awaitility.await("service on " + target.endpoint() + " and off " + old.endpoint())
                    .atMost(remaining(bound.plus(SLACK), sinceNanos))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(POLL)
                    .until(() -> {
                        Response ready = Http.getOrFail(service, "/health/ready");
                        seen.add(ready);
                        int throughNameToOld = pair.name().openConnections(old);
                        boolean onOld = oldAnswers && serviceConnectedTo(old);
                        boolean onNew = serviceConnectedTo(target);
                        state.set("ready " + ready.status() + ", connections through the name to the old node "
                                + throughNameToOld + ", service in the old node's CLIENT LIST "
                                + (oldAnswers ? onOld : "(not asked: it does not answer)")
                                + ", in the new primary's " + onNew + ", old node's role "
                                + (oldAnswers ? roleOf(old) : "(hung or dead)"));
                        return ready.status() == 200 && throughNameToOld == 0 && !onOld && onNew;
                    });
            met = true;
        } catch (ConditionTimeoutException e) {
            met = false;
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - sinceNanos);
        List<Response> replies = List.copyOf(seen);
        int notReady = (int) replies.stream().filter(r -> r.status() == 503).count();
        return new Move(
                met && within(elapsed, bound),
                elapsed,
                notReady,
                replies.size(),
                Scenarios.maxLatency(replies),
                state.get());
    }

    /** What the writer did around a failover, and whether the new primary holds its acknowledged writes. */
    record WriteCheck(
            boolean recovered, Writer.Outage outage, Duration bound, long acknowledgedAfter, List<Long> lost) {
        boolean met() {
            return recovered && within(outage.longest(), bound) && lost.isEmpty();
        }

        void assertMet() {
            assertThat(recovered)
                    .as("writes succeed again after the failover: %s", outage)
                    .isTrue();
            assertThat(outage.longest())
                    .as("longest write outage: %s", outage)
                    .matches(d -> within(d, bound), "within " + bound.toMillis() + " ms");
            assertThat(lost)
                    .as("writes acknowledged after the failover but missing on the new primary")
                    .isEmpty();
        }

        @Override
        public String toString() {
            return "writer: " + outage + "; " + (recovered ? "" : "not recovered; ") + acknowledgedAfter
                    + " writes acknowledged after the move, " + lost.size() + " of them missing on the new primary";
        }
    }

    /**
     * Waits (up to the bound plus a second of writes) until {@link #RECOVERED_WRITES} writes were acknowledged after
     * the failover, then checks them against the new primary.
     */
    private static WriteCheck awaitWritesRecovered(
            Writer writer, ReplicatedPair pair, long beganNanos, Failover failover, Duration bound) {
        long cutoff = failover.writesOnlyOnNewPrimaryFrom();
        boolean recovered;
        try {
            Awaitility.await("writes acknowledged again")
                    .atMost(remaining(bound.plus(SLACK).plusSeconds(2), beganNanos))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> writer.acknowledgedSince(cutoff) >= RECOVERED_WRITES);
            recovered = true;
        } catch (ConditionTimeoutException e) {
            recovered = false;
        }
        return new WriteCheck(
                recovered,
                writer.outageSince(beganNanos),
                bound,
                writer.acknowledgedSince(cutoff),
                writer.lostAfter(cutoff, pair.primary()));
    }

    private static Duration remaining(Duration bound, long sinceNanos) {
        Duration left = bound.minusNanos(System.nanoTime() - sinceNanos);
        return left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left;
    }

    private static String roleOf(RedisServer node) {
        try {
            return node.role();
        } catch (RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static List<Response> concat(List<Response> a, List<Response> b) {
        List<Response> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static int sum(Map<String, Integer> byName) {
        return byName.values().stream().mapToInt(Integer::intValue).sum();
    }
}
