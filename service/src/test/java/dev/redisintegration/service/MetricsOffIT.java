package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.redisintegration.testing.HttpProbe;
import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.RedisServerExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code micronaut.metrics.enabled=false}: no meter at all, and everything else works as with metrics on. */
@ExtendWith(RedisServerExtension.class)
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsOffIT implements TestPropertyProvider {

    RedisServer redis;

    @Inject
    EmbeddedServer server;

    @Inject
    ApplicationContext context;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("redis.primary.endpoint", redis.endpoint(), "micronaut.metrics.enabled", "false");
    }

    @Test
    void prometheusIsGoneAndHealthHistoryAndThePageStillWork() {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> HttpProbe.get(server.getURI(), HealthPaths.HEALTH).status() == 200);

        assertThat(HttpProbe.get(server.getURI(), HealthPaths.PROMETHEUS).status())
                .isEqualTo(404);
        assertThat(context.getBeansOfType(MeterRegistry.class)).isEmpty();
        assertThat(context.findBean(HealthMetrics.class)).isEmpty();
        assertThat(context.findBean(RedisMetrics.class)).isEmpty();
        HttpProbe.Response history = HttpProbe.get(server.getURI(), HealthPaths.HISTORY);
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.body()).contains("\"redis\":[{");
    }
}
