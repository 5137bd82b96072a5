package dev.redisintegration.service;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.management.endpoint.health.HealthEndpoint;
import io.micronaut.management.health.aggregator.HealthAggregator;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;

/**
 * Keeps Micronaut's health machinery from running beside {@link ServiceHealthEndpoint}.
 *
 * <p>{@code ServiceHealthEndpoint} replaces the built-in endpoint's route, but micronaut-management's
 * {@code HealthResultFilter} still injects a {@link HealthEndpoint}, which would build the built-in endpoint and
 * with it every {@link HealthIndicator} bean (disk space, deadlocked threads, a Redis indicator if one were on the
 * class path). This factory answers that injection with an endpoint holding no indicator. It is a factory bean, so
 * it carries no {@code @Endpoint} stereotype and maps no route; the filter only acts on Micronaut
 * {@code HealthResult} bodies, which this service never returns.
 */
@Factory
class BuiltInHealthEndpointFactory {

    @Singleton
    @Replaces(HealthEndpoint.class)
    HealthEndpoint inertBuiltInHealthEndpoint(HealthAggregator<HealthResult> aggregator) {
        return new HealthEndpoint(aggregator, new HealthIndicator[0], new HealthIndicator[0]);
    }
}
