package dev.redisintegration.health;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The answer to a health request: the overall status and each check's entry. Built by the registry with
 * {@link #of(Map, Instant)}, which derives the status from the entries.
 *
 * @param status the worst status among the critical checks; {@link HealthStatus#UP} when there is none.
 * @param checks each check's entry by name, iterated in name order; immutable.
 * @param generatedAt when the report was assembled, from the registry's clock.
 * @since 0.1
 */
public record HealthReport(HealthStatus status, Map<String, CheckReport> checks, Instant generatedAt) {

    /**
     * Validates and copies the components; {@code checks} is copied into name order. The status is taken as given:
     * {@link #of(Map, Instant)} derives it.
     *
     * @param status see {@link #status()}.
     * @param checks see {@link #checks()}.
     * @param generatedAt see {@link #generatedAt()}.
     * @throws NullPointerException if a component, a name or an entry is {@code null}.
     */
    public HealthReport {
        Objects.requireNonNull(status, "status must not be null");
        Objects.requireNonNull(generatedAt, "generatedAt must not be null");
        // TreeMap rejects null names; null entries are rejected too, so no reader ever meets a null.
        Map<String, CheckReport> sorted = new TreeMap<>(Objects.requireNonNull(checks, "checks must not be null"));
        sorted.values().forEach(entry -> Objects.requireNonNull(entry, "checks must not contain a null entry"));
        checks = Collections.unmodifiableMap(sorted);
    }

    /**
     * Assembles a report, deriving the overall status: the worst status among the critical checks, UP if none.
     *
     * @param checks the entries by name.
     * @param generatedAt when the report was assembled.
     * @return the report.
     * @throws NullPointerException if an argument, a name or an entry is {@code null}.
     */
    public static HealthReport of(Map<String, CheckReport> checks, Instant generatedAt) {
        HealthStatus status = HealthStatus.UP;
        for (CheckReport check :
                Objects.requireNonNull(checks, "checks must not be null").values()) {
            if (Objects.requireNonNull(check, "checks must not contain a null entry")
                    .critical()) {
                status = status.worst(check.status());
            }
        }
        return new HealthReport(status, checks, generatedAt);
    }

    /**
     * The names of the critical checks whose status is not UP, in name order. These are the checks that make the
     * overall status worse than UP.
     *
     * @return an immutable list, empty when all critical checks are UP.
     */
    public List<String> failingChecks() {
        return checks.values().stream()
                .filter(check -> check.critical() && check.status() != HealthStatus.UP)
                .map(CheckReport::name)
                .toList();
    }

    /**
     * Returns whether the overall status is UP.
     *
     * @return {@code true} when UP.
     */
    public boolean isUp() {
        return status == HealthStatus.UP;
    }
}
