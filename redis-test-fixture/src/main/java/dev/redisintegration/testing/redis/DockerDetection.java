package dev.redisintegration.testing.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Decides, once per JVM, whether tests get a container or the local binary. Testcontainers' own probe is only asked
 * when a Docker engine is plausibly configured, and only for a bounded time: without Docker it would otherwise log a
 * page of strategy failures per test class.
 */
final class DockerDetection {

    /** System property (or env {@code REDIS_FIXTURE_BACKEND}): {@code auto} (default), {@code docker}, {@code binary}. */
    static final String BACKEND_PROPERTY = "redis.fixture.backend";

    private static final long PROBE_TIMEOUT_SECONDS = 20;
    private static final Logger LOG = LoggerFactory.getLogger(DockerDetection.class);

    private static Boolean available;

    private DockerDetection() {}

    static String requestedBackend() {
        String value = System.getProperty(BACKEND_PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv("REDIS_FIXTURE_BACKEND");
        }
        return value == null || value.isBlank() ? "auto" : value.trim().toLowerCase(Locale.ROOT);
    }

    static synchronized boolean dockerAvailable() {
        if (available == null) {
            available = probe();
        }
        return available;
    }

    private static boolean probe() {
        if (!plausiblyConfigured()) {
            LOG.debug("No Docker engine configured (no DOCKER_HOST, docker.sock or ~/.testcontainers.properties)");
            return false;
        }
        CompletableFuture<Boolean> check = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        check.complete(DockerClientFactory.instance().isDockerAvailable());
                    } catch (Throwable t) {
                        check.complete(false);
                    }
                },
                "redis-fixture-docker-probe");
        thread.setDaemon(true);
        thread.start();
        try {
            boolean result = check.get(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.info("Docker engine {}", result ? "reachable: tests use " + ContainerRedis.IMAGE : "not reachable");
            return result;
        } catch (TimeoutException e) {
            LOG.warn("Docker engine did not answer within {} s; using the redis-server binary", PROBE_TIMEOUT_SECONDS);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return false;
        }
    }

    private static boolean plausiblyConfigured() {
        if (notBlank(System.getenv("DOCKER_HOST")) || notBlank(System.getProperty("DOCKER_HOST"))) {
            return true;
        }
        String home = System.getProperty("user.home", "");
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        List<Path> candidates = List.of(
                Path.of("/var/run/docker.sock"),
                Path.of(home, ".testcontainers.properties"),
                Path.of(home, ".docker", "run", "docker.sock"),
                Path.of(home, ".docker", "desktop", "docker.sock"),
                Path.of(home, ".colima", "default", "docker.sock"),
                Path.of(home, ".rd", "docker.sock"),
                Path.of(runtime == null ? "/nonexistent" : runtime, "docker.sock"),
                Path.of(runtime == null ? "/nonexistent" : runtime, "podman", "podman.sock"));
        return candidates.stream().anyMatch(Files::exists);
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
