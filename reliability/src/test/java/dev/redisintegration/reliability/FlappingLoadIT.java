package dev.redisintegration.reliability;

import static dev.redisintegration.reliability.ReliabilityReport.ms;
import static dev.redisintegration.reliability.Scenarios.awaitReply;
import static dev.redisintegration.reliability.Scenarios.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.reliability.Scenarios.Observation;
import dev.redisintegration.testing.redis.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 20,000 requests at concurrency 200 over the three endpoints while Redis is stopped and started every 2 s.
 * The probe count on the Redis side (PINGs in the words; the service's probe is one ROLE, PING only where
 * ROLE is refused, so both are counted) is the single-flight proof: however many requests arrive, the service asks
 * Redis at most once per TTL period, plus once per reconnection.
 *
 * <p>Latency is bounded against a control measured in the same run instead of a fixed number: {@code /health/live}
 * never asks Redis and is interleaved with the other paths, so it meets exactly the queueing that this load causes on
 * this machine at this moment (two cores shared by the load generator, the service and whatever else runs). What Redis
 * may add on top is one check deadline: a request waits for at most one check run, which gives up after the deadline.
 * So on {@code /health} and {@code /health/ready} the p99 must stay within {@code /health/live}'s p99 plus the
 * deadline, and the maximum within {@code /health/live}'s maximum plus the deadline (each with {@link Scenarios#SLACK}).
 * A fixed bound failed on a loaded machine (2.2 s against 1.5 s: queueing, not Redis) and on a quiet machine let a
 * Redis path take 1.5 s where {@code /health/live} answers in 0.2 s. A stall of the whole service would slow the
 * control too: {@link HungRedisIT} holds every path, {@code /health/live} included, to 1 s under light load.
 */
@Timeout(240)
class FlappingLoadIT {

    private static final List<String> PATHS = List.of("/health", "/health/ready", "/health/live");
    private static final int REQUESTS = 20_000;
    private static final int CONCURRENCY = 200;
    private static final Duration FLAP_PERIOD = Duration.ofSeconds(2);
    /** Both TTLs; the PING bound is computed from the shortest. */
    private static final Duration TTL = Duration.ofSeconds(1);
    /** Headroom for the PINGs of the first check, the fixture's own readiness checks and the sampling race. */
    private static final int PING_ALLOWANCE = 5;
    /** The service's per-check deadline in this run: what Redis may add to an answer's latency. */
    private static final Duration CHECK_DEADLINE = Duration.ofMillis(500);
    /** The control: same load, never asks Redis. */
    private static final String CONTROL_PATH = "/health/live";

    private static final List<String> REDIS_PATHS = List.of("/health", "/health/ready");

    @Test
    void twentyThousandRequestsWhileRedisFlapsAreAnsweredInTimeWithFewPings() throws Exception {
        String ttl = TTL.toMillis() + "ms";
        try (RedisServer redis = RedisServer.start();
                ServiceProcess service = ServiceProcess.start("flapping-load", env(redis.endpoint(), ttl));
                LoadDriver load = new LoadDriver()) {
            Observation up =
                    awaitReply(service, "/health", r -> r.status() == 200, Duration.ofSeconds(15), System.nanoTime());
            assertThat(up.met())
                    .as("precondition: /health 200; last replies:\n%s", up.lastReplies())
                    .isTrue();
            // Open the client's 200 connections and warm the JIT before measuring; not part of the figures.
            LoadDriver.Result warmUp = load.run(service.baseUri(), PATHS, 1_000, CONCURRENCY, Duration.ofSeconds(60));
            assertThat(warmUp.connectionErrors() + warmUp.timeouts())
                    .as(warmUp.summary())
                    .isZero();

            // Redis's counters reset whenever redis-server restarts: sample before every stop and sum.
            AtomicLong pings = new AtomicLong(-probeCommands(redis));
            AtomicInteger flaps = new AtomicInteger();
            AtomicReference<Throwable> flapFailure = new AtomicReference<>();
            ScheduledExecutorService flapper = Executors.newSingleThreadScheduledExecutor();
            ScheduledFuture<?> flapping = flapper.scheduleAtFixedRate(
                    () -> {
                        try {
                            if (redis.isRunning()) {
                                pings.addAndGet(probeCommands(redis));
                                redis.stop();
                            } else {
                                redis.restart();
                            }
                            flaps.incrementAndGet();
                        } catch (Throwable t) {
                            flapFailure.compareAndSet(null, t);
                        }
                    },
                    FLAP_PERIOD.toMillis(),
                    FLAP_PERIOD.toMillis(),
                    TimeUnit.MILLISECONDS);

            LoadDriver.Result result;
            try {
                result = load.run(service.baseUri(), PATHS, REQUESTS, CONCURRENCY, Duration.ofSeconds(150));
            } finally {
                flapping.cancel(false);
                flapper.shutdown();
                flapper.awaitTermination(30, TimeUnit.SECONDS);
            }
            if (redis.isRunning()) {
                pings.addAndGet(probeCommands(redis));
            }

            double runSeconds = result.elapsed().toNanos() / 1e9;
            long pingBound = (long) Math.ceil(runSeconds / (TTL.toNanos() / 1e9)) + flaps.get() + PING_ALLOWANCE;
            Map<Integer, Long> statuses = result.statusCounts();
            Map<Integer, Long> healthStatuses = result.statusByPath().getOrDefault("/health", Map.of());
            Map<Integer, Long> liveStatuses = result.statusByPath().getOrDefault(CONTROL_PATH, Map.of());
            LoadDriver.Latencies control = result.latencyByPath().get(CONTROL_PATH);
            Duration p99Bound = control.p99().plus(CHECK_DEADLINE);
            Duration maxBound = control.max().plus(CHECK_DEADLINE);

            boolean met = flapFailure.get() == null
                    && result.requests() == REQUESTS
                    && result.connectionErrors() == 0
                    && result.timeouts() == 0
                    && Set.of(200, 503).containsAll(statuses.keySet())
                    && REDIS_PATHS.stream()
                            .map(result.latencyByPath()::get)
                            .allMatch(l -> l != null && within(l.p99(), p99Bound) && within(l.max(), maxBound))
                    && pings.get() <= pingBound;
            ReliabilityReport.record(
                    "load under flapping: " + REQUESTS + " requests, concurrency " + CONCURRENCY
                            + ", Redis stopped/started every 2 s, TTLs " + ttl,
                    "zero connection errors, only 200/503; on /health and /health/ready p99 ≤ /health/live p99 + "
                            + ms(CHECK_DEADLINE) + " check deadline and max ≤ /health/live max + " + ms(CHECK_DEADLINE)
                            + " (/health/live: same run, never asks Redis); PINGs ≤ run time ÷ shortest TTL + flaps + "
                            + PING_ALLOWANCE,
                    result.summary() + "; by path " + result.latencyByPath() + "; /health " + healthStatuses
                            + ", /health/live " + liveStatuses + "; " + flaps.get() + " flaps; " + pings.get()
                            + " PINGs (bound " + pingBound + ")",
                    met);

            assertThat(flapFailure.get()).as("stopping/starting Redis failed").isNull();
            assertThat(result.requests()).as(result.summary()).isEqualTo(REQUESTS);
            assertThat(result.connectionErrors())
                    .as("%s %s", result.summary(), result.errorSamples())
                    .isZero();
            assertThat(result.timeouts())
                    .as("%s %s", result.summary(), result.errorSamples())
                    .isZero();
            assertThat(statuses.keySet()).as(result.summary()).isSubsetOf(200, 503);
            assertThat(liveStatuses.keySet())
                    .as("liveness never depends on Redis")
                    .containsOnly(200);
            assertThat(flaps.get()).as("Redis flapped during the run").isGreaterThanOrEqualTo(2);
            assertThat(healthStatuses.keySet())
                    .as("the flaps were visible on /health")
                    .contains(200, 503);
            assertThat(control)
                    .as("%s answered: %s", CONTROL_PATH, result.summary())
                    .isNotNull();
            for (String path : REDIS_PATHS) {
                LoadDriver.Latencies latencies = result.latencyByPath().get(path);
                assertThat(latencies)
                        .as("%s answered: %s", path, result.summary())
                        .isNotNull();
                assertThat(latencies.p99())
                        .as(
                                "p99 of %s (%s) against %s (%s) + the %s check deadline",
                                path, latencies, CONTROL_PATH, control, ms(CHECK_DEADLINE))
                        .matches(d -> within(d, p99Bound), "within " + ms(p99Bound) + " + " + ms(Scenarios.SLACK));
                assertThat(latencies.max())
                        .as(
                                "max of %s (%s) against %s (%s) + the %s check deadline",
                                path, latencies, CONTROL_PATH, control, ms(CHECK_DEADLINE))
                        .matches(d -> within(d, maxBound), "within " + ms(maxBound) + " + " + ms(Scenarios.SLACK));
            }
            assertThat(pings.get())
                    .as("PINGs received by Redis during %.1f s with %d flaps", runSeconds, flaps.get())
                    .isLessThanOrEqualTo(pingBound);
        }
    }

    /** The scenario environment with the check deadline the latency bounds are built on. */
    private static Map<String, String> env(String endpoint, String ttl) {
        Map<String, String> env = Scenarios.env(endpoint, ttl, ttl);
        env.put("HEALTH_CHECK_TIMEOUT", CHECK_DEADLINE.toMillis() + "ms");
        return env;
    }

    /** What the service's Redis probe sends: ROLE, or PING where ROLE is refused. */
    private static long probeCommands(RedisServer redis) {
        return redis.commandCount("role") + redis.commandCount("ping");
    }
}
