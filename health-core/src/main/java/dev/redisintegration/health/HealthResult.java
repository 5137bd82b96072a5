package dev.redisintegration.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one execution of a {@link HealthCheck}.
 *
 * <p>Checks usually build it with {@link #up()}, {@link #up(Map)}, {@link #down(String)} or {@link #unknown(String)};
 * the registry then stamps the {@link #latency()} it measured and the {@link #checkedAt()} time.
 *
 * @param status the status, must not be {@code null}.
 * @param reason a short, human reason, typically set when not {@link HealthStatus#UP}; may be {@code null}.
 *               Never put a secret in it.
 * @param details extra facts (e.g. {@code "role" -> "PRIMARY"}); copied into an immutable map keeping insertion
 *                order; {@code null} means empty. Keys must not be {@code null}.
 * @param latency how long the execution took, measured by the registry's {@link Ticker}; {@code null} means zero.
 * @param checkedAt when the execution finished, from the registry's clock; {@code null} until the registry stamps it.
 * @since 0.1
 */
public record HealthResult(HealthStatus status, String reason, Map<String, Object> details, Duration latency,
                           Instant checkedAt) {

    /**
     * Validates and copies the components.
     *
     * @param status see {@link #status()}.
     * @param reason see {@link #reason()}.
     * @param details see {@link #details()}.
     * @param latency see {@link #latency()}.
     * @param checkedAt see {@link #checkedAt()}.
     * @throws IllegalArgumentException if the latency is negative or a detail key is {@code null}.
     */
    public HealthResult {
        Objects.requireNonNull(status, "status must not be null");
        details = immutableCopy(details);
        latency = latency == null ? Duration.ZERO : latency;
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative, was " + latency);
        }
    }

    /**
     * An UP result without details.
     *
     * @return an UP result.
     */
    public static HealthResult up() {
        return new HealthResult(HealthStatus.UP, null, Map.of(), Duration.ZERO, null);
    }

    /**
     * An UP result with details.
     *
     * @param details the details, copied; must not be {@code null}.
     * @return an UP result.
     */
    public static HealthResult up(Map<String, ?> details) {
        return new HealthResult(HealthStatus.UP, null, widen(details), Duration.ZERO, null);
    }

    /**
     * A DOWN result.
     *
     * @param reason a short, human reason such as {@code "connection refused"}; must not be blank.
     * @return a DOWN result.
     */
    public static HealthResult down(String reason) {
        return new HealthResult(HealthStatus.DOWN, requireReason(reason), Map.of(), Duration.ZERO, null);
    }

    /**
     * A DOWN result with details.
     *
     * @param reason a short, human reason; must not be blank.
     * @param details the details, copied; must not be {@code null}.
     * @return a DOWN result.
     */
    public static HealthResult down(String reason, Map<String, ?> details) {
        return new HealthResult(HealthStatus.DOWN, requireReason(reason), widen(details), Duration.ZERO, null);
    }

    /**
     * An UNKNOWN result.
     *
     * @param reason a short, human reason; must not be blank.
     * @return an UNKNOWN result.
     */
    public static HealthResult unknown(String reason) {
        return new HealthResult(HealthStatus.UNKNOWN, requireReason(reason), Map.of(), Duration.ZERO, null);
    }

    /**
     * Returns whether the status is {@link HealthStatus#UP}.
     *
     * @return {@code true} when UP.
     */
    public boolean isUp() {
        return status == HealthStatus.UP;
    }

    /**
     * Returns a copy with other details.
     *
     * @param newDetails the details, copied; {@code null} means empty.
     * @return a copy.
     */
    public HealthResult withDetails(Map<String, ?> newDetails) {
        return new HealthResult(status, reason, widen(newDetails), latency, checkedAt);
    }

    /**
     * Returns a copy with another latency.
     *
     * @param newLatency the latency, not negative; {@code null} means zero.
     * @return a copy.
     */
    public HealthResult withLatency(Duration newLatency) {
        return new HealthResult(status, reason, details, newLatency, checkedAt);
    }

    /**
     * Returns a copy with another check time.
     *
     * @param newCheckedAt the time; may be {@code null}.
     * @return a copy.
     */
    public HealthResult withCheckedAt(Instant newCheckedAt) {
        return new HealthResult(status, reason, details, latency, newCheckedAt);
    }

    private static String requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason must not be blank for a result that is not UP");
        }
        return reason;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> widen(Map<String, ?> details) {
        // Safe: the map is only read, and copied before it is stored.
        return (Map<String, Object>) details;
    }

    private static Map<String, Object> immutableCopy(Map<String, Object> details) {
        if (details == null || details.isEmpty()) {
            return Map.of();
        }
        // LinkedHashMap keeps the order the check chose (nicer JSON) and, unlike Map.copyOf, allows null values.
        Map<String, Object> copy = new LinkedHashMap<>(details);
        if (copy.containsKey(null)) {
            throw new IllegalArgumentException("details must not contain a null key");
        }
        return Collections.unmodifiableMap(copy);
    }
}
