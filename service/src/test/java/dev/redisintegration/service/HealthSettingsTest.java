package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.BeanInstantiationException;
import io.micronaut.core.convert.ConversionService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class HealthSettingsTest {

    /** What README.md promises; changing a default in HealthSettings alone (or in the README alone) fails a test. */
    private static final Map<String, Duration> DOCUMENTED_DEFAULTS = Map.of(
            "health.check.timeout", Duration.ofMillis(500),
            "health.cache.success-ttl", Duration.ofMinutes(5),
            "health.cache.failure-ttl", Duration.ofMinutes(1),
            "health.shutdown.drain-delay", Duration.ofSeconds(2));

    private static final Pattern README_ROW =
            Pattern.compile("^\\| `(health\\.[a-z.-]+)` \\| `([A-Z_]+)` \\| `([^`]+)` \\|");

    private static Map<String, Duration> bound(HealthSettings settings) {
        return Map.of(
                "health.check.timeout", settings.check().timeout(),
                "health.cache.success-ttl", settings.cache().successTtl(),
                "health.cache.failure-ttl", settings.cache().failureTtl(),
                "health.shutdown.drain-delay", settings.shutdown().drainDelay());
    }

    @Test
    void withoutAnyPropertyTheDocumentedDefaultsApply() {
        try (ApplicationContext context = ApplicationContext.run()) {
            assertThat(bound(context.getBean(HealthSettings.class))).isEqualTo(DOCUMENTED_DEFAULTS);
        }
    }

    @Test
    void readmeTableStatesTheDefaultsAndTheirEnvironmentVariables() throws IOException {
        Map<String, Duration> stated = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            Matcher row = README_ROW.matcher(line);
            if (row.find()) {
                String key = row.group(1);
                assertThat(row.group(2))
                        .as("environment variable of %s", key)
                        .isEqualTo(
                                key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
                stated.put(key, convert(row.group(3)));
            }
        }
        assertThat(stated).isEqualTo(DOCUMENTED_DEFAULTS);
    }

    @Test
    void applicationYmlRestatesNoDefault() throws IOException {
        // One place for the defaults: a health.* key in application.yml would be a second copy that wins.
        try (InputStream yml = getClass().getResourceAsStream("/application.yml")) {
            Map<String, Object> config = new Yaml().load(yml);
            assertThat(config).doesNotContainKey(HealthSettings.PREFIX);
        }
    }

    @Test
    void propertiesOverrideTheDefaults() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "health.check.timeout",
                "250ms",
                "health.cache.success-ttl",
                "30s",
                "health.cache.failure-ttl",
                "5s",
                "health.shutdown.drain-delay",
                "0s"))) {
            HealthSettings settings = context.getBean(HealthSettings.class);
            assertThat(settings.check().timeout()).isEqualTo(Duration.ofMillis(250));
            assertThat(settings.cache().successTtl()).isEqualTo(Duration.ofSeconds(30));
            assertThat(settings.cache().failureTtl()).isEqualTo(Duration.ofSeconds(5));
            assertThat(settings.shutdown().drainDelay()).isZero();
        }
    }

    @Test
    void systemPropertiesOverrideTheDefaults() {
        System.setProperty("health.check.timeout", "300ms");
        System.setProperty("health.cache.success-ttl", "2m");
        try (ApplicationContext context = ApplicationContext.run()) {
            HealthSettings settings = context.getBean(HealthSettings.class);
            assertThat(settings.check().timeout()).isEqualTo(Duration.ofMillis(300));
            assertThat(settings.cache().successTtl()).isEqualTo(Duration.ofMinutes(2));
            assertThat(settings.cache().failureTtl()).isEqualTo(Duration.ofMinutes(1));
        } finally {
            System.clearProperty("health.check.timeout");
            System.clearProperty("health.cache.success-ttl");
        }
    }

    @Test
    void nonPositiveTimeoutIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> new HealthSettings.Check(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("health.check.timeout must be positive, was 0 (for example 500ms)");
        try (ApplicationContext context = ApplicationContext.run(Map.of("health.cache.failure-ttl", "-1s"))) {
            assertThatThrownBy(() -> context.getBean(HealthSettings.class))
                    .isInstanceOf(BeanInstantiationException.class)
                    .hasStackTraceContaining("health.cache.failure-ttl must not be negative, was PT-1S");
        }
    }

    /** The README's notation (500ms, 5m, 2s) as Micronaut reads it. */
    private static Duration convert(String text) {
        return ConversionService.SHARED.convertRequired(text, Duration.class);
    }
}
