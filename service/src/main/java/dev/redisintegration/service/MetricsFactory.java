package dev.redisintegration.service;

import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.inject.Singleton;

/**
 * Lettuce's command latencies as Micrometer timers ({@code lettuce.command.completion},
 * {@code lettuce.command.firstresponse}), handed to redis-client through Lettuce's own {@link CommandLatencyRecorder}
 * hook, so the library needs no Micrometer. Tags: command type and remote node only (never a key or an argument), so
 * the number of series is bounded by the commands used times the nodes reached. Histograms are off unless
 * {@code metrics.lettuce.histogram=true}: with them each timer carries dozens of bucket series.
 */
@Factory
@Requires(beans = MeterRegistry.class)
class MetricsFactory {

    @Singleton
    CommandLatencyRecorder lettuceCommandLatencyRecorder(MeterRegistry registry, LettuceMetricsSettings settings) {
        return new MicrometerCommandLatencyRecorder(
                registry,
                MicrometerOptions.builder().histogram(settings.histogram()).build());
    }

    /**
     * {@code metrics.lettuce.*}.
     *
     * @param histogram publish percentile histograms of Lettuce's command timers
     *                  ({@code metrics.lettuce.histogram}, env {@code METRICS_LETTUCE_HISTOGRAM}); off by default.
     */
    @ConfigurationProperties("metrics.lettuce")
    record LettuceMetricsSettings(
            @Bindable(defaultValue = "false") boolean histogram) {}
}
