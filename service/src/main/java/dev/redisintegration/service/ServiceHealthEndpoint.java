package dev.redisintegration.service;

import dev.redisintegration.health.CheckReport;
import dev.redisintegration.health.HealthGroups;
import dev.redisintegration.health.HealthRegistry;
import dev.redisintegration.health.HealthReport;
import dev.redisintegration.health.HealthResult;
import dev.redisintegration.health.HealthStatus;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.management.endpoint.annotation.Endpoint;
import io.micronaut.management.endpoint.annotation.Read;
import io.micronaut.management.endpoint.annotation.Selector;
import io.micronaut.management.endpoint.health.HealthEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The one {@code /health} endpoint of the service, replacing Micronaut's {@link HealthEndpoint} (and with it every
 * built-in {@code HealthIndicator}). Being a management endpoint, it honours {@code endpoints.health.*}
 * ({@code enabled}, {@code sensitive}) and {@code endpoints.all.port}.
 *
 * <p>Every method returns a future completed by the registry: no event-loop thread ever blocks, and every answer
 * comes within the check deadline. UP and UNKNOWN answer 200, DOWN answers 503 (as Micronaut's own endpoint).
 *
 * <p>{@code /health} answers JSON to every client (Kubernetes, curl: {@code *}{@code /*}, {@code application/json},
 * no {@code Accept}) and a small HTML page ({@link HealthPage}) only to a client that prefers {@code text/html}, i.e.
 * a browser. {@code /health/history} and the page follow the same visibility rules as {@code /health}: they are paths
 * of this one endpoint.
 */
@Endpoint(id = HealthEndpoint.NAME, defaultSensitive = false)
@Replaces(HealthEndpoint.class)
public class ServiceHealthEndpoint {

    private final HealthRegistry registry;
    private final HealthHistory history;
    private final Clock clock = Clock.systemUTC();

    ServiceHealthEndpoint(HealthRegistry registry, HealthHistory history) {
        this.registry = registry;
        this.history = history;
    }

    /**
     * {@code GET /health}: every check with status, reason, latency and cache age; as JSON, or as an HTML page with the
     * history for a client that prefers {@code text/html}.
     */
    @Read(produces = {MediaType.APPLICATION_JSON, MediaType.TEXT_HTML})
    public CompletableFuture<MutableHttpResponse<?>> health(HttpRequest<?> request) {
        boolean html = prefersHtml(request.getHeaders().getAll(HttpHeaders.ACCEPT));
        return registry.report().toCompletableFuture().thenApply(report -> {
            MutableHttpResponse<?> response = html
                    ? HttpResponse.status(httpStatus(report.status()))
                            .body(HealthPage.render(report, history.snapshot()))
                            .contentType(HealthPage.CONTENT_TYPE)
                    : HttpResponse.status(httpStatus(report.status()))
                            .body(toView(report))
                            .contentType(MediaType.APPLICATION_JSON_TYPE);
            // The answer depends on Accept: a cache between browser and service must not hand a probe the page.
            return response.header(HttpHeaders.VARY, HttpHeaders.ACCEPT);
        });
    }

    /**
     * {@code GET /health/ready}, {@code /health/live} and the aliases {@code /health/readiness},
     * {@code /health/liveness}: the status and the names of failing checks. {@code GET /health/history}: the last
     * status changes of each check ({@link HistoryView}).
     */
    @Read(produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<MutableHttpResponse<?>> probe(@Selector String probe) {
        if (probe.equals("history")) {
            // From memory only: never runs a check.
            return CompletableFuture.completedFuture(
                    HttpResponse.ok(HistoryView.of(history.snapshot(), clock.instant())));
        }
        String group = switch (probe) {
            case "ready", "readiness" -> HealthGroups.READINESS;
            case "live", "liveness" -> HealthGroups.LIVENESS;
            default -> null;
        };
        if (group == null) {
            return CompletableFuture.completedFuture(HttpResponse.notFound());
        }
        return registry.report(group)
                .toCompletableFuture()
                .thenApply(report -> HttpResponse.status(httpStatus(report.status()))
                        .body(new ProbeView(report.status().name(), report.failingChecks())));
    }

    /**
     * Whether a client asked for the HTML page: {@code text/html} is acceptable and preferred (higher quality) over
     * JSON, which {@code application/json}, {@code application/*} and {@code *}{@code /*} all accept. A browser sends
     * {@code text/html,...,*}{@code /*;q=0.8}; Kubernetes, curl and HTTP libraries send {@code *}{@code /*},
     * {@code application/json} or nothing, and keep getting JSON. A tie goes to JSON, the probe contract.
     *
     * @param accept the values of every {@code Accept} header.
     * @return {@code true} for the page.
     */
    static boolean prefersHtml(List<String> accept) {
        double html = 0;
        double json = 0;
        for (String header : accept) {
            for (String range : header.split(",")) {
                String[] parts = range.split(";");
                String type = parts[0].trim().toLowerCase(Locale.ROOT);
                double quality = quality(parts);
                switch (type) {
                    case "text/html" -> html = Math.max(html, quality);
                    case "application/json", "application/*", "*/*" -> json = Math.max(json, quality);
                    default -> {
                        // other types say nothing about this choice
                    }
                }
            }
        }
        return html > json;
    }

    private static double quality(String[] parameters) {
        for (int i = 1; i < parameters.length; i++) {
            String parameter = parameters[i].trim();
            if (parameter.startsWith("q=")) {
                try {
                    return Math.max(
                            0,
                            Math.min(
                                    1, Double.parseDouble(parameter.substring(2).trim())));
                } catch (NumberFormatException e) {
                    return 0; // a malformed weight makes that range unacceptable, not the request
                }
            }
        }
        return 1;
    }

    static HttpStatus httpStatus(HealthStatus status) {
        return status == HealthStatus.DOWN ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK;
    }

    static HealthView toView(HealthReport report) {
        Map<String, HealthView.CheckView> checks = new LinkedHashMap<>();
        for (CheckReport check : report.checks().values()) {
            HealthResult result = check.result();
            checks.put(
                    check.name(),
                    new HealthView.CheckView(
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
            if (value == null
                    || value instanceof String
                    || value instanceof Number
                    || value instanceof Boolean
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
