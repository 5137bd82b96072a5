package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redisintegration.testing.HttpProbe;
import dev.redisintegration.testing.redis.FreePorts;
import dev.redisintegration.testing.redis.RedisServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real shaded jar in a child JVM: startup validation, environment-variable configuration, SIGTERM. */
class PackagedJarIT {

    private static final Path JAR = Path.of(System.getProperty("service.jar", "target/service-0.1.0-SNAPSHOT.jar"));
    private static final String PASSWORD = "pr0cess-secret-otter";

    @TempDir
    Path tmp;

    private Process launch(Map<String, String> env, Path output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString())
                .redirectErrorStream(false)
                .redirectOutput(output.toFile())
                .redirectError(
                        output.resolveSibling(output.getFileName() + ".err").toFile());
        builder.environment()
                .keySet()
                .removeIf(key -> key.startsWith("REDIS_")
                        || key.startsWith("HEALTH_")
                        || key.startsWith("MICRONAUT_")
                        || key.startsWith("ENDPOINTS_"));
        builder.environment().putAll(env);
        return builder.start();
    }

    @Test
    void malformedEndpointExitsWithStatusTwoAndOneLineNamingTheVariable() throws Exception {
        Path out = tmp.resolve("malformed.out");
        Process process = launch(Map.of("REDIS_PRIMARY_ENDPOINT", "redis://:" + PASSWORD + "@bad host:port"), out);

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stderr = Files.readString(out.resolveSibling("malformed.out.err"));
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(stderr)
                .contains("REDIS_PRIMARY_ENDPOINT")
                .doesNotContain(PASSWORD)
                .doesNotContain("\tat ");
        assertThat(stderr.strip().lines()).hasSize(1);
        assertThat(Files.readString(out)).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void environmentVariablesConfigureTheServiceAndSigtermDrainsReadinessFirst() throws Exception {
        try (RedisServer redis = RedisServer.builder().password(PASSWORD).build()) {
            int port = FreePorts.pick();
            URI base = URI.create("http://127.0.0.1:" + port);
            Path out = tmp.resolve("service.out");
            Process process = launch(
                    Map.of(
                            "REDIS_PRIMARY_ENDPOINT", redis.endpoint(),
                            "REDIS_PASSWORD", PASSWORD,
                            "MICRONAUT_SERVER_PORT", String.valueOf(port),
                            "HEALTH_CHECK_TIMEOUT", "300ms",
                            // The Redis check's deadline is at least the probe's own bound + 100 ms: 200 ms keeps it at
                            // 300 ms.
                            "REDIS_PING_TIMEOUT", "200ms",
                            "HEALTH_CACHE_SUCCESS_TTL", "0s",
                            "HEALTH_SHUTDOWN_DRAIN_DELAY", "3s"),
                    out);
            try {
                await().atMost(Duration.ofSeconds(60))
                        .ignoreExceptions()
                        .untilAsserted(() -> assertThat(
                                        HttpProbe.get(base, HealthPaths.LIVE).status())
                                .isEqualTo(200));
                // The first probe of a cold JVM may overrun 300 ms while connecting; the connect event re-probes.
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    HttpProbe.Response health = HttpProbe.get(base, HealthPaths.HEALTH);
                    assertThat(health.status()).as(health.body()).isEqualTo(200);
                });

                // HEALTH_CACHE_SUCCESS_TTL=0s: the cached UP is not reused; REDIS_PING_TIMEOUT=200ms bounds the probe,
                // within HEALTH_CHECK_TIMEOUT=300ms.
                redis.pause();
                HttpProbe.Response paused = HttpProbe.get(base, HealthPaths.HEALTH);
                redis.resume();
                assertThat(paused.status()).as(paused.body()).isEqualTo(503);
                assertThat(RedisOutageIT.redisReason(paused)).isEqualTo("timed out after 200 ms");
                assertThat(paused.elapsed()).isLessThan(Duration.ofSeconds(1));

                process.destroy(); // SIGTERM
                await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
                    HttpProbe.Response ready = HttpProbe.get(base, HealthPaths.READY);
                    assertThat(ready.status()).isEqualTo(503);
                    assertThat(ready.json())
                            .containsOnlyKeys("status", "failing")
                            .containsEntry("status", "DOWN");
                    // "redis" may still be listed too: the paused probe's DOWN is cached for the failure TTL.
                    assertThat((List<Object>) ready.json().get("failing")).contains("lifecycle");
                });
                assertThat(HttpProbe.get(base, HealthPaths.LIVE).status()).isEqualTo(200);
                assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                process.destroyForcibly();
            }

            String log = Files.readString(out) + Files.readString(out.resolveSibling("service.out.err"));
            assertThat(log).doesNotContain(PASSWORD);
            assertThat(log.indexOf("Shutdown 1/3")).isPositive().isLessThan(log.indexOf("Shutdown 2/3"));
            assertThat(log.indexOf("Shutdown 2/3")).isLessThan(log.indexOf("Shutdown 3/3"));
            assertThat(redis.clientList()).noneMatch(client -> client.contains("name=redis-integration"));
        }
    }

    @Test
    void logFormatJsonWritesOneJsonObjectPerLineWithoutThePassword() throws Exception {
        try (RedisServer redis = RedisServer.builder().password(PASSWORD).build()) {
            int port = FreePorts.pick();
            URI base = URI.create("http://127.0.0.1:" + port);
            Path out = tmp.resolve("json.out");
            Process process = launch(
                    Map.of(
                            "REDIS_PRIMARY_ENDPOINT",
                            redis.endpoint(),
                            "REDIS_PASSWORD",
                            PASSWORD,
                            "MICRONAUT_SERVER_PORT",
                            String.valueOf(port),
                            "HEALTH_SHUTDOWN_DRAIN_DELAY",
                            "0s",
                            "LOG_FORMAT",
                            "json"),
                    out);
            try {
                await().atMost(Duration.ofSeconds(60))
                        .ignoreExceptions()
                        .untilAsserted(() -> assertThat(
                                        HttpProbe.get(base, HealthPaths.READY).status())
                                .isEqualTo(200));
                redis.stop(); // one WARN: the connection is lost
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> Files.readString(out).contains("Lost the connection"));
                process.destroy();
                assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                process.destroyForcibly();
            }

            List<String> lines = Files.readAllLines(out);
            assertThat(lines).isNotEmpty();
            ObjectMapper json = new ObjectMapper();
            List<JsonNode> events = new ArrayList<>();
            for (String line : lines) {
                assertThat(line).doesNotContain(PASSWORD);
                JsonNode event = json.readTree(line);
                assertThat(event.isObject()).as(line).isTrue();
                assertThat(event.has("level")
                                && event.has("loggerName")
                                && event.has("threadName")
                                && event.has("formattedMessage")
                                && event.has("timestamp"))
                        .as(line)
                        .isTrue();
                events.add(event);
            }
            assertThat(events).anySatisfy(event -> {
                assertThat(event.get("level").asText()).isEqualTo("WARN");
                assertThat(event.get("formattedMessage").asText()).contains("Lost the connection to Redis");
            });
            assertThat(events)
                    .anySatisfy(event ->
                            assertThat(event.get("formattedMessage").asText()).startsWith("Startup completed in"));
            assertThat(events)
                    .anySatisfy(event ->
                            assertThat(event.get("formattedMessage").asText()).startsWith("Shutdown 3/3"));
            assertThat(Files.readString(out.resolveSibling("json.out.err"))).doesNotContain(PASSWORD);
        }
    }
}
