package dev.redisintegration.service;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HealthSettingsTest {

    @Test
    void defaultsComeFromApplicationYml() {
        try (ApplicationContext context = ApplicationContext.run()) {
            assertThat(context.getBean(HealthSettings.class)).isEqualTo(new HealthSettings(
                    Duration.ofMillis(500), Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofSeconds(2)));
        }
    }

    @Test
    void propertiesOverrideTheDefaults() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "health.check.timeout", "250ms", "health.cache.success-ttl", "30s", "health.cache.failure-ttl", "5s"))) {
            HealthSettings settings = context.getBean(HealthSettings.class);
            assertThat(settings.checkTimeout()).isEqualTo(Duration.ofMillis(250));
            assertThat(settings.successTtl()).isEqualTo(Duration.ofSeconds(30));
            assertThat(settings.failureTtl()).isEqualTo(Duration.ofSeconds(5));
        }
    }

    @Test
    void systemPropertiesOverrideApplicationYml() {
        System.setProperty("health.check.timeout", "300ms");
        System.setProperty("health.cache.success-ttl", "2m");
        try (ApplicationContext context = ApplicationContext.run()) {
            HealthSettings settings = context.getBean(HealthSettings.class);
            assertThat(settings.checkTimeout()).isEqualTo(Duration.ofMillis(300));
            assertThat(settings.successTtl()).isEqualTo(Duration.ofMinutes(2));
        } finally {
            System.clearProperty("health.check.timeout");
            System.clearProperty("health.cache.success-ttl");
        }
    }

    @Test
    void nonPositiveTimeoutIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> new HealthSettings(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("health.check.timeout");
    }
}
