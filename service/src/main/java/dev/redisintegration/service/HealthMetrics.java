package dev.redisintegration.service;

import dev.redisintegration.health.HealthObserver;
import dev.redisintegration.health.HealthResult;
import dev.redisintegration.health.HealthStatus;
import dev.redisintegration.health.StatusTransition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code health.check.*} meters, fed by the health registry as a {@link HealthObserver}: per check a status gauge,
 * a timer of real executions (by outcome) and a counter of answers served from the cache. A scrape reads only what
 * the registry already told; it never runs a check. A check's meters appear with its first execution or cache hit.
 */
@Singleton
@Requires(beans = MeterRegistry.class)
class HealthMetrics implements HealthObserver {

    static final String STATUS = "health.check.status";
    static final String DURATION = "health.check.duration";
    static final String CACHE_HITS = "health.check.cache.hits";
    static final String CHECK_TAG = "check";
    static final String STATUS_TAG = "status";

    private final MeterRegistry registry;
    private final Map<String, CheckMeters> byCheck = new ConcurrentHashMap<>();

    HealthMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onExecution(String check, HealthResult result, Duration latency) {
        meters(check).durations.get(result.status()).record(latency);
    }

    @Override
    public void onCacheHit(String check, HealthResult result, Duration age) {
        meters(check).cacheHits.increment();
    }

    // Only transitions move the gauge: the late answer of an older execution never makes one, so it cannot set it back.
    @Override
    public void onTransition(StatusTransition transition) {
        meters(transition.check()).status = transition.to() == HealthStatus.UP ? 1 : 0;
    }

    private CheckMeters meters(String check) {
        CheckMeters meters = byCheck.get(check);
        return meters != null ? meters : byCheck.computeIfAbsent(check, this::register);
    }

    private CheckMeters register(String check) {
        CheckMeters meters = new CheckMeters();
        Gauge.builder(STATUS, meters, m -> m.status)
                .description("1 when the check's last result is UP, 0 otherwise; absent (NaN) before its first result")
                .tag(CHECK_TAG, check)
                .strongReference(true)
                .register(registry);
        // Every outcome up front, so a rate() over DOWN executions sees the first one too.
        for (HealthStatus status : HealthStatus.values()) {
            meters.durations.put(
                    status,
                    Timer.builder(DURATION)
                            .description("Latency of real executions of the check (not of cached answers), by outcome")
                            .tags(CHECK_TAG, check, STATUS_TAG, status.name())
                            .register(registry));
        }
        meters.cacheHits = Counter.builder(CACHE_HITS)
                .description("Answers of the check served from the cache instead of an execution")
                .tag(CHECK_TAG, check)
                .register(registry);
        return meters;
    }

    private static final class CheckMeters {
        final Map<HealthStatus, Timer> durations = new EnumMap<>(HealthStatus.class);
        Counter cacheHits;
        volatile double status = Double.NaN;
    }
}
