package dev.redisintegration.redis;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one {@link RedisConnectionManager#probe()}: a detailed ping for health checks.
 *
 * <p>{@link #details()} says what the probe saw in the topology, in a stable order, for a health endpoint to show.
 * Every mode puts {@code mode} first ({@code standalone}, {@code sentinel} or {@code cluster}); then:
 *
 * <ul>
 *   <li>standalone: {@code node}, the address of the server;
 *   <li>sentinel: {@code master}, the address the Sentinels name; {@code sentinels}, e.g. {@code "3/3 answered"}; and
 *       {@code warning} when fewer than a majority of the Sentinels answered (a failover then cannot happen);
 *   <li>cluster: {@code cluster_state} ({@code ok} or {@code fail}); {@code primaries}, e.g. {@code "3/3 answered"};
 *       {@code replicas}, e.g. {@code "2/3 connected"} (a lost replica does not make the probe fail); {@code slots},
 *       e.g. {@code "16384/16384 served"}.
 * </ul>
 *
 * <p>Values are strings, addresses and counts; never a secret.
 *
 * @param up {@code true} if Redis answered within the ping timeout and is usable (see
 *     {@link RedisConnectionManager#probe()} for what that means per topology).
 * @param latency time from the start of the probe until the answer or the failure, never {@code null}.
 * @param failureReason a short, human, secret-free reason such as {@code "connection refused"},
 *     {@code "timed out after 500 ms"} or {@code "slots 0-5460 (10.0.0.1:7000): timed out after 500 ms"};
 *     {@code null} when {@code up}.
 * @param role the replication role of the node the shared connection is on; {@link ReplicationRole#UNKNOWN} when
 *     down, not reported, or in a cluster (many nodes).
 * @param details what the probe saw, by name, in a stable order; unmodifiable, never {@code null}, empty when not
 *     known.
 * @since 0.1
 */
public record RedisProbe(
        boolean up,
        Duration latency,
        @Nullable String failureReason,
        ReplicationRole role,
        Map<String, Object> details) {

    /**
     * Validates the components and copies the details; {@code failureReason} must be present exactly when the probe
     * failed.
     *
     * @param up see {@link #up()}.
     * @param latency see {@link #latency()}.
     * @param failureReason see {@link #failureReason()}.
     * @param role see {@link #role()}.
     * @param details see {@link #details()}; must not be {@code null} (empty for none).
     */
    public RedisProbe {
        Objects.requireNonNull(latency, "latency must not be null");
        Objects.requireNonNull(role, "role must not be null");
        if (up && failureReason != null) {
            throw new IllegalArgumentException("a successful probe has no failure reason: " + failureReason);
        }
        if (!up && (failureReason == null || failureReason.isBlank())) {
            throw new IllegalArgumentException("a failed probe needs a failure reason");
        }
        Objects.requireNonNull(details, "details must not be null");
        details = details.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /**
     * A probe without details.
     *
     * @param up see {@link #up()}.
     * @param latency see {@link #latency()}.
     * @param failureReason see {@link #failureReason()}.
     * @param role see {@link #role()}.
     */
    public RedisProbe(boolean up, Duration latency, @Nullable String failureReason, ReplicationRole role) {
        this(up, latency, failureReason, role, Map.of());
    }

    /**
     * A successful probe.
     *
     * @param latency the round trip, must not be {@code null}.
     * @param role the reported role, must not be {@code null}.
     * @return the probe, without details.
     */
    public static RedisProbe up(Duration latency, ReplicationRole role) {
        return new RedisProbe(true, latency, null, role);
    }

    /**
     * A failed probe.
     *
     * @param latency the time until the failure, must not be {@code null}.
     * @param failureReason a short, secret-free reason, must not be blank.
     * @return the probe, with role {@link ReplicationRole#UNKNOWN}, without details.
     */
    public static RedisProbe down(Duration latency, String failureReason) {
        return new RedisProbe(false, latency, failureReason, ReplicationRole.UNKNOWN);
    }
}
