package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.testing.HttpProbe;
import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.RedisServerExtension;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The history and the page follow the visibility of {@code /health}: they are paths of the same endpoint, so
 * {@code endpoints.health.sensitive=true} closes them with it, while {@code /prometheus} keeps its own setting.
 */
@ExtendWith(RedisServerExtension.class)
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SensitiveHealthIT implements TestPropertyProvider {

    RedisServer redis;

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("redis.primary.endpoint", redis.endpoint(), "endpoints.health.sensitive", "true");
    }

    @Test
    void aSensitiveHealthEndpointClosesHistoryAndPageToo() throws Exception {
        URI base = server.getURI();
        for (String path : List.of(HealthPaths.HEALTH, HealthPaths.HISTORY, HealthPaths.READY)) {
            assertThat(HttpProbe.get(base, path).status()).as(path).isEqualTo(401);
        }
        HttpResponse<String> page = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(base.resolve(HealthPaths.HEALTH))
                                .header("Accept", "text/html")
                                .timeout(Duration.ofSeconds(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as("the page").isEqualTo(401);
        assertThat(page.body()).doesNotContain("redis://");
        assertThat(HttpProbe.get(base, HealthPaths.PROMETHEUS).status()).isEqualTo(200);
    }
}
