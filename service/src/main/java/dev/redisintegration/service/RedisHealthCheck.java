package dev.redisintegration.service;

import dev.redisintegration.health.HealthCheck;
import dev.redisintegration.health.HealthResult;
import dev.redisintegration.redis.ConnectionState;
import dev.redisintegration.redis.ConnectionStateEvent;
import dev.redisintegration.redis.RedisProbe;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The Redis check: one {@link RedisProbe} round per execution, whatever the topology (standalone: a ROLE round trip;
 * Sentinel: every Sentinel asked for the primary, plus ROLE on it; cluster: every primary asked CLUSTER INFO and
 * CLUSTER NODES). redis-client judges the result: a replica is DOWN unless REDIS_EXPECTED_ROLE=any, a cluster with a
 * slot range not served is DOWN naming the range, a Sentinel group that knows no such primary is DOWN saying so.
 *
 * <p>The details are the masked URL, then what the probe saw in the topology ({@link RedisProbe#details()}: {@code mode}
 * first, then e.g. {@code master} and {@code sentinels} with Sentinel, {@code cluster_state}, {@code replicas} and
 * {@code slots} in a cluster), then the role and the probe's latency. Only /health shows them; the readiness and
 * liveness probes show names only.
 */
final class RedisHealthCheck implements HealthCheck {

    static final String NAME = "redis";

    /** How much longer than the probe's own bound the check may run, so the probe's answer always comes first. */
    static final Duration PROBE_MARGIN = Duration.ofMillis(100);

    private final Supplier<? extends CompletionStage<RedisProbe>> probe;
    private final String maskedUrl;
    /** The reason of the last failed connect since the last other event; see {@link #makesResultStale}. */
    private final AtomicReference<String> lastConnectFailure = new AtomicReference<>();

    RedisHealthCheck(Supplier<? extends CompletionStage<RedisProbe>> probe, String maskedUrl) {
        this.probe = probe;
        this.maskedUrl = maskedUrl;
    }

    /**
     * The deadline of the Redis check: the configured check timeout, but never less than the probe's own bound (the
     * ping timeout) plus {@link #PROBE_MARGIN}. A probe round waits up to its bound for every node it asks, so one hung
     * Sentinel (or cluster primary) makes it take that long; it then still answers with what it saw: UP with a warning
     * while a majority of the Sentinels answered, the failing slot ranges in a cluster. Cut short by a deadline equal to
     * its bound it would read only "timed out", without details, and one hung Sentinel would fail readiness everywhere.
     *
     * @param checkTimeout {@code health.check.timeout}.
     * @param pingTimeout {@code REDIS_PING_TIMEOUT}, the bound of one probe round.
     * @return the longer of the two bounds.
     */
    static Duration deadline(Duration checkTimeout, Duration pingTimeout) {
        Duration probeBound = pingTimeout.plus(PROBE_MARGIN);
        return checkTimeout.compareTo(probeBound) >= 0 ? checkTimeout : probeBound;
    }

    /**
     * Whether a connection event of the Redis client makes the kept Redis result stale. Every change of state does
     * (connected, disconnected, leaving a node, moved to a new one), and so does a failed reconnect (the reason changed;
     * probing then costs nothing, the connection is not there). A failed connect does only when its reason differs
     * from the previous failed connect's: no connection existed, so the kept result is DOWN already, and a probe
     * without a connection opens one. Dropping the result at every failed connect made every request open one more
     * connection (with Sentinel, one to each Sentinel): the request rate, not the client's back-off, decided how hard
     * an absent Redis or an unknown primary name was asked. A new reason still replaces, say, a first probe's
     * "timed out" with "no Sentinel knows a primary named 'orders'".
     *
     * @param event the client's event.
     * @return {@code true} when the kept result must be dropped.
     */
    boolean makesResultStale(ConnectionStateEvent event) {
        if (event.state() != ConnectionState.CONNECT_FAILED) {
            lastConnectFailure.set(null);
            return true;
        }
        return !Objects.equals(lastConnectFailure.getAndSet(event.detail()), event.detail());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletionStage<HealthResult> check() {
        return probe.get().thenApply(this::toResult);
    }

    HealthResult toResult(RedisProbe result) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("url", maskedUrl);
        // The client's topology facts (strings and counts, never a secret); the service's own keys keep their meaning.
        result.details().forEach(details::putIfAbsent);
        if (result.role() != null) {
            details.put("role", result.role().name());
        }
        if (result.latency() != null) {
            details.put("pingLatencyMs", result.latency().toMillis());
        }
        if (!result.up()) {
            String reason =
                    result.failureReason() == null || result.failureReason().isBlank()
                            ? "redis unavailable"
                            : result.failureReason();
            return HealthResult.down(reason, details);
        }
        // A replica is already down here unless REDIS_EXPECTED_ROLE=any asked for one: redis-client judges the role.
        return HealthResult.up(details);
    }
}
