package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.testing.HttpProbe;
import dev.redisintegration.testing.redis.FreePorts;
import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.RedisServerExtension;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code endpoints.all.port} moves the health and Prometheus endpoints to a separate management port, as for any Micronaut endpoint. */
@ExtendWith(RedisServerExtension.class)
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementPortIT implements TestPropertyProvider {

    RedisServer redis;
    private final int managementPort = FreePorts.pick();

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("redis.primary.endpoint", redis.endpoint(), "endpoints.all.port", String.valueOf(managementPort));
    }

    @Test
    void healthAnswersOnTheManagementPort() {
        URI management = URI.create("http://localhost:" + managementPort);

        assertThat(HttpProbe.get(management, HealthPaths.LIVE).status()).isEqualTo(200);
        assertThat(HttpProbe.get(management, HealthPaths.HEALTH).status()).isEqualTo(200);
        assertThat(HttpProbe.get(management, HealthPaths.READY).status()).isEqualTo(200);
        assertThat(managementPort).isNotEqualTo(server.getPort());
    }

    @Test
    void prometheusAnswersOnTheManagementPortOnly() {
        HttpProbe.Response scrape =
                HttpProbe.get(URI.create("http://localhost:" + managementPort), HealthPaths.PROMETHEUS);

        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body()).contains("health_check_status").contains("redis_connection_connected");
        assertThat(HttpProbe.get(server.getURI(), HealthPaths.PROMETHEUS).status())
                .isEqualTo(404);
    }
}
