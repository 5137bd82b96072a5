package dev.redisintegration.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one execution of a {@link HealthCheck} found: a status, a reason and details. Checks build it with
 * {@link #up()}, {@link #down(String)} or {@link #unknown(String)} (each also with details); what the registry measures
 * around an execution (latency, time) is in {@link CheckReport}, not here.
 *
 * @param status the status.
 * @param reason a short, human reason; required (not blank) when the status is not {@link HealthStatus#UP}, optional
 *               when UP. Never put a secret in it.
 * @param details extra facts (e.g. {@code "role" -> "PRIMARY"}); an immutable copy keeping insertion order. Values
 *                may be {@code null}, keys may not. Never put a secret in it.
 * @since 0.1
 */
public record HealthResult(HealthStatus status, @Nullable String reason, Map<String, @Nullable Object> details) {

    private static final HealthResult UP = new HealthResult(HealthStatus.UP, null, Map.of());

    /**
     * Validates and copies the components; prefer the factories {@link #up()}, {@link #down(String)} and
     * {@link #unknown(String)}.
     *
     * @param status see {@link #status()}.
     * @param reason see {@link #reason()}.
     * @param details see {@link #details()}.
     * @throws NullPointerException if {@code status} or {@code details} is {@code null}, or a detail key is.
     * @throws IllegalArgumentException if the status is not UP and the reason is {@code null} or blank.
     */
    public HealthResult {
        Objects.requireNonNull(status, "status must not be null");
        if (status != HealthStatus.UP && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("reason must not be blank for a " + status + " result, was "
                    + (reason == null ? "null" : "'" + reason + "'"));
        }
        details = immutableCopy(details);
    }

    /**
     * An UP result without details.
     *
     * @return an UP result.
     */
    public static HealthResult up() {
        return UP;
    }

    /**
     * An UP result with details.
     *
     * @param details the details, copied.
     * @return an UP result.
     * @throws NullPointerException if {@code details} or one of its keys is {@code null}.
     */
    public static HealthResult up(Map<String, ?> details) {
        return new HealthResult(HealthStatus.UP, null, widen(details));
    }

    /**
     * A DOWN result.
     *
     * @param reason a short, human reason such as {@code "connection refused"}; not blank.
     * @return a DOWN result.
     * @throws NullPointerException if {@code reason} is {@code null}.
     * @throws IllegalArgumentException if {@code reason} is blank.
     */
    public static HealthResult down(String reason) {
        return new HealthResult(HealthStatus.DOWN, requireReason(reason), Map.of());
    }

    /**
     * A DOWN result with details.
     *
     * @param reason a short, human reason; not blank.
     * @param details the details, copied.
     * @return a DOWN result.
     * @throws NullPointerException if an argument or a detail key is {@code null}.
     * @throws IllegalArgumentException if {@code reason} is blank.
     */
    public static HealthResult down(String reason, Map<String, ?> details) {
        return new HealthResult(HealthStatus.DOWN, requireReason(reason), widen(details));
    }

    /**
     * An UNKNOWN result: the check could not tell.
     *
     * @param reason a short, human reason; not blank.
     * @return an UNKNOWN result.
     * @throws NullPointerException if {@code reason} is {@code null}.
     * @throws IllegalArgumentException if {@code reason} is blank.
     */
    public static HealthResult unknown(String reason) {
        return new HealthResult(HealthStatus.UNKNOWN, requireReason(reason), Map.of());
    }

    /**
     * An UNKNOWN result with details.
     *
     * @param reason a short, human reason; not blank.
     * @param details the details, copied.
     * @return an UNKNOWN result.
     * @throws NullPointerException if an argument or a detail key is {@code null}.
     * @throws IllegalArgumentException if {@code reason} is blank.
     */
    public static HealthResult unknown(String reason, Map<String, ?> details) {
        return new HealthResult(HealthStatus.UNKNOWN, requireReason(reason), widen(details));
    }

    /**
     * Returns whether the status is {@link HealthStatus#UP}.
     *
     * @return {@code true} when UP.
     */
    public boolean isUp() {
        return status == HealthStatus.UP;
    }

    private static String requireReason(String reason) {
        // The blank check is the constructor's; only the null needs saying here, as a null argument.
        return Objects.requireNonNull(reason, "reason must not be null");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, @Nullable Object> widen(Map<String, ?> details) {
        // Safe: the map is only read, and copied before it is stored.
        return (Map<String, @Nullable Object>) Objects.requireNonNull(details, "details must not be null");
    }

    private static Map<String, @Nullable Object> immutableCopy(Map<String, @Nullable Object> details) {
        Objects.requireNonNull(details, "details must not be null");
        if (details.isEmpty()) {
            return Map.of();
        }
        // LinkedHashMap keeps the order the check chose (nicer JSON) and, unlike Map.copyOf, allows null values.
        Map<String, @Nullable Object> copy = new LinkedHashMap<>(details);
        if (copy.containsKey(null)) {
            throw new NullPointerException("details must not contain a null key");
        }
        return Collections.unmodifiableMap(copy);
    }
}
