package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.redisintegration.redis.RedisSettings;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisEnvironmentTest {

    /** A context that ignores the process environment, so the developer's own REDIS_* cannot change the outcome. */
    private static ApplicationContext run(Map<String, Object> properties) {
        return ApplicationContext.builder()
                .environmentPropertySource(false)
                .properties(properties)
                .start();
    }

    @Test
    void everyVariableIsLookedUpUnderItsDottedLowerCaseName() {
        assertThat(RedisSettings.environmentVariables())
                .allSatisfy(variable -> assertThat(RedisEnvironment.propertyName(variable))
                        .startsWith("redis.")
                        .doesNotContain("_")
                        .isEqualTo(variable.toLowerCase(java.util.Locale.ROOT).replace('_', '.')));
        assertThat(RedisEnvironment.propertyName(RedisSettings.ENV_ENDPOINT)).isEqualTo("redis.primary.endpoint");
        assertThat(RedisEnvironment.propertyName(RedisSettings.ENV_TLS_CA_CERT)).isEqualTo("redis.tls.ca.cert");
    }

    @Test
    void micronautPropertiesBecomeTheRedisSettingsBean(@TempDir Path tmp) throws IOException {
        Path caPem = Files.writeString(tmp.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        try (ApplicationContext context = run(Map.of(
                "redis.primary.endpoint", "rediss://redis.example:6380/2",
                "redis.username", "app",
                "redis.password", "s3cret-otter",
                "redis.connect.timeout", "3s",
                "redis.ping.timeout", "250ms",
                "redis.client.name", "svc-a",
                "redis.pool.max.total", "4",
                "redis.tls.ca.cert", caPem.toString()))) {
            RedisSettings settings = context.getBean(RedisSettings.class);

            assertThat(settings.host()).isEqualTo("redis.example");
            assertThat(settings.port()).isEqualTo(6380);
            assertThat(settings.ssl()).isTrue();
            assertThat(settings.database()).isEqualTo(2);
            assertThat(settings.username()).isEqualTo("app");
            assertThat(settings.password()).isEqualTo("s3cret-otter");
            assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(settings.pingTimeout()).isEqualTo(Duration.ofMillis(250));
            assertThat(settings.clientName()).isEqualTo("svc-a");
            assertThat(settings.poolMaxTotal()).isEqualTo(4);
            assertThat(settings.tlsCaCertificate()).isEqualTo(caPem);
        }
    }

    @Test
    void unsetVariablesAreLeftOutSoRedisClientDefaultsApply() {
        try (ApplicationContext context = run(Map.of())) {
            assertThat(RedisEnvironment.read(context)).isEmpty();
            RedisSettings settings = context.getBean(RedisSettings.class);
            assertThat(settings.host()).isEqualTo(RedisSettings.DEFAULT_HOST);
            assertThat(settings.port()).isEqualTo(RedisSettings.DEFAULT_PORT);
        }
    }

    @Test
    void aValueMicronautTakesForAPlaceholderFailsWithoutShowingTheValue() {
        try (ApplicationContext context = run(Map.of("redis.password", "hunter2${oops"))) {
            assertThatThrownBy(() -> RedisEnvironment.read(context))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("REDIS_PASSWORD (redis.password) cannot be resolved by Micronaut")
                    .hasNoCause()
                    .message()
                    .doesNotContain("hunter2");
        }
    }
}
