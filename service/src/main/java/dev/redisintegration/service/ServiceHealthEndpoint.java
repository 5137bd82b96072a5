package dev.redisintegration.service;

import dev.redisintegration.health.CheckReport;
import dev.redisintegration.health.HealthGroups;
import dev.redisintegration.health.HealthRegistry;
import dev.redisintegration.health.HealthReport;
import dev.redisintegration.health.HealthResult;
import dev.redisintegration.health.HealthStatus;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.management.endpoint.annotation.Endpoint;
import io.micronaut.management.endpoint.annotation.Read;
import io.micronaut.management.endpoint.annotation.Selector;
import io.micronaut.management.endpoint.health.HealthEndpoint;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The one {@code /health} endpoint of the service, replacing Micronaut's {@link HealthEndpoint} (and with it every
 * built-in {@code HealthIndicator}). Being a management endpoint, it honours {@code endpoints.health.*}
 * ({@code enabled}, {@code sensitive}) and {@code endpoints.all.port}.
 *
 * <p>Every method returns a future completed by the registry: no event-loop thread ever blocks, and every answer
 * comes within the check deadline. UP and UNKNOWN answer 200, DOWN answers 503 (as Micronaut's own endpoint).
 */
@Endpoint(id = HealthEndpoint.NAME, defaultSensitive = false)
@Replaces(HealthEndpoint.class)
public class ServiceHealthEndpoint {

    private final HealthRegistry registry;

    ServiceHealthEndpoint(HealthRegistry registry) {
        this.registry = registry;
    }

    /** {@code GET /health}: every check with status, reason, latency and cache age. */
    @Read(produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<MutableHttpResponse<HealthView>> health() {
        return registry.report().toCompletableFuture()
                .thenApply(report -> HttpResponse.status(httpStatus(report.status())).body(toView(report)));
    }

    /**
     * {@code GET /health/ready}, {@code /health/live} and the aliases {@code /health/readiness},
     * {@code /health/liveness}: the status and the names of failing checks.
     */
    @Read(produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<MutableHttpResponse<ProbeView>> probe(@Selector String probe) {
        String group = switch (probe) {
            case "ready", "readiness" -> HealthGroups.READINESS;
            case "live", "liveness" -> HealthGroups.LIVENESS;
            default -> null;
        };
        if (group == null) {
            return CompletableFuture.completedFuture(HttpResponse.notFound());
        }
        return registry.report(group).toCompletableFuture()
                .thenApply(report -> HttpResponse.status(httpStatus(report.status()))
                        .body(new ProbeView(report.status().name(), report.failingChecks())));
    }

    static HttpStatus httpStatus(HealthStatus status) {
        return status == HealthStatus.DOWN ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK;
    }

    static HealthView toView(HealthReport report) {
        Map<String, HealthView.CheckView> checks = new LinkedHashMap<>();
        for (CheckReport check : report.checks().values()) {
            HealthResult result = check.result();
            checks.put(check.name(), new HealthView.CheckView(
                    result.status().name(),
                    result.reason(),
                    check.critical(),
                    millis(check.latency()),
                    check.cached(),
                    millis(check.age()),
                    jsonSafe(result.details())));
        }
        return new HealthView(report.status().name(), checks, report.generatedAt());
    }

    private static long millis(Duration duration) {
        return duration == null ? 0 : duration.toMillis();
    }

    // Details come from checks as Objects; keep JSON primitives and render anything else as text.
    private static Map<String, Object> jsonSafe(Map<String, Object> details) {
        Map<String, Object> safe = new LinkedHashMap<>();
        details.forEach((key, value) -> {
            if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                    || value instanceof Collection<?>) {
                safe.put(key, value);
            } else if (value instanceof Duration duration) {
                safe.put(key, duration.toMillis());
            } else {
                safe.put(key, String.valueOf(value));
            }
        });
        return safe;
    }
}
