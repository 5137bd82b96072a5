package dev.redisintegration.service;

import dev.redisintegration.health.CachePolicy;
import dev.redisintegration.health.CheckOptions;
import dev.redisintegration.health.HealthCheck;
import dev.redisintegration.health.HealthGroups;
import dev.redisintegration.health.HealthObserver;
import dev.redisintegration.health.HealthRegistry;
import dev.redisintegration.health.HealthResult;
import dev.redisintegration.health.StatusTransition;
import dev.redisintegration.health.Ticker;
import dev.redisintegration.redis.RedisConnectionManager;
import dev.redisintegration.redis.RedisSettings;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the framework-free libraries into beans: the Redis connection manager, and the health registry with its
 * checks ({@code redis} and {@code lifecycle} for readiness, {@code process} for liveness).
 */
@Factory
class HealthFactory {

    static final String PROCESS_CHECK = "process";
    static final String LIFECYCLE_CHECK = "lifecycle";
    static final String SHUTTING_DOWN_REASON = "shutting down";

    private static final Logger LOG = LoggerFactory.getLogger(HealthFactory.class);

    /**
     * The {@code REDIS_*} settings from Micronaut's property sources (see {@link RedisEnvironment}); Application.main
     * has already validated the process environment, so only a value given another way can still be rejected here.
     */
    @Singleton
    RedisSettings redisSettings(Environment environment) {
        return RedisSettings.fromEnvironment(RedisEnvironment.read(environment));
    }

    /**
     * Connects lazily, on the first check: the service starts, and liveness answers, without Redis. When metrics are
     * on, command latencies go to the recorder of {@link MetricsFactory} and {@link RedisMetrics} is bound here, before
     * anything can connect, so it sees every connection event.
     */
    @Singleton
    @Bean(preDestroy = "close")
    RedisConnectionManager redisConnectionManager(
            RedisSettings settings, @Nullable CommandLatencyRecorder latencyRecorder, @Nullable RedisMetrics metrics) {
        RedisConnectionManager manager = latencyRecorder == null
                ? RedisConnectionManager.create(settings)
                : RedisConnectionManager.create(settings, latencyRecorder);
        if (metrics != null) {
            metrics.bindTo(manager);
        }
        LOG.info("Redis endpoint {}", manager.getConnectionUrl());
        return manager;
    }

    @Singleton
    Ticker healthTicker() {
        return Ticker.system();
    }

    @Singleton
    @Bean(preDestroy = "close")
    HealthRegistry healthRegistry(
            RedisConnectionManager redis,
            HealthSettings settings,
            Ticker ticker,
            ServingState servingState,
            List<HealthObserver> observers) {
        // Every check runs under the configured deadline, Redis under one its probe's own bound fits in (see
        // RedisHealthCheck.deadline); Redis results are cached with the configured TTLs, the in-process checks
        // (answered at once) never are. History always, metrics when on: both only listen, neither runs a check.
        Duration redisDeadline = RedisHealthCheck.deadline(
                settings.check().timeout(), redis.settings().pingTimeout());
        if (!redisDeadline.equals(settings.check().timeout())) {
            LOG.info(
                    "Redis check deadline {} ms: the probe's own bound ({} = {} ms) + {} ms, longer than {} ({} ms)",
                    redisDeadline.toMillis(),
                    RedisSettings.ENV_PING_TIMEOUT,
                    redis.settings().pingTimeout().toMillis(),
                    RedisHealthCheck.PROBE_MARGIN.toMillis(),
                    "health.check.timeout",
                    settings.check().timeout().toMillis());
        }
        CheckOptions redisOptions = CheckOptions.defaults()
                .withDeadline(redisDeadline)
                .withCachePolicy(CachePolicy.of(
                        settings.cache().successTtl(), settings.cache().failureTtl()));
        CheckOptions inProcessOptions =
                redisOptions.withDeadline(settings.check().timeout()).withCachePolicy(CachePolicy.none());
        HealthRegistry registry = HealthRegistry.builder()
                .ticker(ticker)
                .observer(new Observers(observers))
                .build();

        // Readiness only: a Redis outage must never make Kubernetes restart the pod.
        RedisHealthCheck redisCheck = new RedisHealthCheck(redis::probe, redis.getConnectionUrl());
        registry.register(redisCheck, redisOptions.withGroups(HealthGroups.READINESS));
        registry.register(
                HealthCheck.of(
                        LIFECYCLE_CHECK,
                        () -> CompletableFuture.completedFuture(
                                servingState.isShuttingDown()
                                        ? HealthResult.down(SHUTTING_DOWN_REASON)
                                        : HealthResult.up())),
                inProcessOptions.withGroups(HealthGroups.READINESS));
        registry.register(
                HealthCheck.of(
                        PROCESS_CHECK,
                        () -> CompletableFuture.completedFuture(HealthResult.up(Map.of(
                                "uptimeMs", ManagementFactory.getRuntimeMXBean().getUptime())))),
                inProcessOptions.withGroups(HealthGroups.LIVENESS));

        // The cached Redis result would otherwise hide an outage for the success TTL (or a recovery for the
        // failure TTL): a connection event makes the next request probe again (a failed connect only with a new
        // reason: see RedisHealthCheck.makesResultStale).
        // No logging here: redis-client already logs each state change once (WARN down, INFO back); logging every
        // event would repeat a failure once per reconnect attempt.
        redis.subscribe(event -> {
            if (redisCheck.makesResultStale(event)) {
                LOG.debug("Redis connection {}: invalidating the cached Redis result", event.state());
                registry.invalidate(RedisHealthCheck.NAME);
            }
        });
        return registry;
    }

    /** Tells every observer bean (history, metrics) in turn. */
    private record Observers(List<HealthObserver> all) implements HealthObserver {

        @Override
        public void onExecution(String check, HealthResult result, Duration latency) {
            for (HealthObserver observer : all) {
                observer.onExecution(check, result, latency);
            }
        }

        @Override
        public void onCacheHit(String check, HealthResult result, Duration age) {
            for (HealthObserver observer : all) {
                observer.onCacheHit(check, result, age);
            }
        }

        @Override
        public void onTransition(StatusTransition transition) {
            for (HealthObserver observer : all) {
                observer.onTransition(transition);
            }
        }
    }
}
