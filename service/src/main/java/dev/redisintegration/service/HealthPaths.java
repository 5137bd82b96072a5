package dev.redisintegration.service;

/**
 * The paths this service answers (probes, history, metrics): the single source of truth that Kubernetes manifests and
 * the dev environment are checked against.
 *
 * @since 0.1
 */
public final class HealthPaths {

    /** The full report: every check with status, reason, latency and cache age. */
    public static final String HEALTH = "/health";
    /** Readiness: status and names of failing checks only; includes Redis. */
    public static final String READY = "/health/ready";
    /** Liveness: the process serves requests; never touches Redis. */
    public static final String LIVE = "/health/live";
    /** Alias of {@link #READY}, the path Micronaut users expect. */
    public static final String READINESS = "/health/readiness";
    /** Alias of {@link #LIVE}, the path Micronaut users expect. */
    public static final String LIVENESS = "/health/liveness";
    /** The last status changes of each check, from memory; same visibility as {@link #HEALTH}. */
    public static final String HISTORY = "/health/history";
    /**
     * The Prometheus scrape path (Micronaut's {@code endpoints.prometheus}): the service's metrics in the Prometheus
     * text format. Kubernetes manifests point their scrape annotations and ServiceMonitor here.
     */
    public static final String PROMETHEUS = "/prometheus";

    private HealthPaths() {}
}
