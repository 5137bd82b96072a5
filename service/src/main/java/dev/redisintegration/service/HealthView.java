package dev.redisintegration.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.Map;

/**
 * Body of {@code GET /health}: the overall status and every check.
 *
 * @param status worst status among the critical checks: UP, UNKNOWN or DOWN.
 * @param checks each check by name, in name order.
 * @param generatedAt when the report was assembled.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record HealthView(String status, Map<String, CheckView> checks, Instant generatedAt) {

    /**
     * One check in {@link HealthView}.
     *
     * @param status UP, UNKNOWN or DOWN.
     * @param reason why it is not UP; absent when UP.
     * @param critical whether it counts towards the overall status.
     * @param latencyMs how long the execution that produced this result took.
     * @param cached whether the result came from the cache.
     * @param ageMs how long ago that execution finished (0 when not cached).
     * @param details extra facts, e.g. the Redis role and the masked URL.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CheckView(
            String status,
            String reason,
            boolean critical,
            long latencyMs,
            boolean cached,
            long ageMs,
            Map<String, Object> details) {}
}
