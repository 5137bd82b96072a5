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
    private static final Duration MAX_LATENCY = Duration.ofMillis(1500);

    @Test
    void twentyThousandRequestsWhileRedisFlapsAreAnsweredInTimeWithFewPings() throws Exception {
        String ttl = TTL.toMillis() + "ms";
        try (RedisServer redis = RedisServer.start();
             ServiceProcess service = ServiceProcess.start("flapping-load", Scenarios.env(redis.endpoint(), ttl, ttl));
             LoadDriver load = new LoadDriver()) {
            Observation up = awaitReply(service, "/health", r -> r.status() == 200, Duration.ofSeconds(15),
                    System.nanoTime());
            assertThat(up.met()).as("precondition: /health 200; last replies:\n%s", up.lastReplies()).isTrue();
            // Open the client's 200 connections and warm the JIT before measuring; not part of the figures.
            LoadDriver.Result warmUp = load.run(service.baseUri(), PATHS, 1_000, CONCURRENCY, Duration.ofSeconds(60));
            assertThat(warmUp.connectionErrors() + warmUp.timeouts()).as(warmUp.summary()).isZero();

            // Redis's counters reset whenever redis-server restarts: sample before every stop and sum.
            AtomicLong pings = new AtomicLong(-probeCommands(redis));
            AtomicInteger flaps = new AtomicInteger();
            AtomicReference<Throwable> flapFailure = new AtomicReference<>();
            ScheduledExecutorService flapper = Executors.newSingleThreadScheduledExecutor();
            ScheduledFuture<?> flapping = flapper.scheduleAtFixedRate(() -> {
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
            }, FLAP_PERIOD.toMillis(), FLAP_PERIOD.toMillis(), TimeUnit.MILLISECONDS);

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
            Map<Integer, Long> liveStatuses = result.statusByPath().getOrDefault("/health/live", Map.of());

            boolean met = flapFailure.get() == null && result.requests() == REQUESTS && result.connectionErrors() == 0
                    && result.timeouts() == 0 && Set.of(200, 503).containsAll(statuses.keySet())
                    && within(result.maxLatency(), MAX_LATENCY) && pings.get() <= pingBound;
            ReliabilityReport.record("load under flapping: " + REQUESTS + " requests, concurrency " + CONCURRENCY
                            + ", Redis stopped/started every 2 s, TTLs " + ttl,
                    "zero connection errors, only 200/503, max latency ≤ 1.5 s, PINGs ≤ run time ÷ shortest TTL"
                            + " + flaps + " + PING_ALLOWANCE,
                    result.summary() + "; /health " + healthStatuses + ", /health/live " + liveStatuses + "; "
                            + flaps.get() + " flaps; " + pings.get() + " PINGs (bound " + pingBound + ")",
                    met);

            assertThat(flapFailure.get()).as("stopping/starting Redis failed").isNull();
            assertThat(result.requests()).as(result.summary()).isEqualTo(REQUESTS);
            assertThat(result.connectionErrors()).as("%s %s", result.summary(), result.errorSamples()).isZero();
            assertThat(result.timeouts()).as("%s %s", result.summary(), result.errorSamples()).isZero();
            assertThat(statuses.keySet()).as(result.summary()).isSubsetOf(200, 503);
            assertThat(liveStatuses.keySet()).as("liveness never depends on Redis").containsOnly(200);
            assertThat(flaps.get()).as("Redis flapped during the run").isGreaterThanOrEqualTo(2);
            assertThat(healthStatuses.keySet()).as("the flaps were visible on /health").contains(200, 503);
            assertThat(result.maxLatency()).as("max latency: %s; by path %s", result.summary(),
                    result.maxLatencyByPath()).matches(d -> within(d, MAX_LATENCY), "within 1.5 s");
            assertThat(pings.get()).as("PINGs received by Redis during %.1f s with %d flaps", runSeconds, flaps.get())
                    .isLessThanOrEqualTo(pingBound);
        }
    }

    /** What the service's Redis probe sends: ROLE, or PING where ROLE is refused. */
    private static long probeCommands(RedisServer redis) {
        return redis.commandCount("role") + redis.commandCount("ping");
    }
}
