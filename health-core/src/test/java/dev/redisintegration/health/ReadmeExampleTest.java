package dev.redisintegration.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The example of README.md, kept compiling and working. */
class ReadmeExampleTest {

    @Test
    void readmeExampleProducesAReport() {
        HealthCheck disk = HealthCheck.of(
                "disk",
                () -> CompletableFuture.supplyAsync(() -> {
                    long free = new File("/").getUsableSpace();
                    return free > 1024 * 1024
                            ? HealthResult.up(Map.of("freeBytes", free))
                            : HealthResult.down("less than 1 MiB free", Map.of("freeBytes", free));
                }));
        HealthCheck process = HealthCheck.of("process", () -> CompletableFuture.completedFuture(HealthResult.up()));

        try (HealthRegistry registry = HealthRegistry.builder().build()) {
            registry.register(
                            disk,
                            CheckOptions.defaults()
                                    .withDeadline(Duration.ofMillis(300))
                                    .withCachePolicy(CachePolicy.of(Duration.ofSeconds(30), Duration.ofSeconds(5))))
                    .register(process, CheckOptions.defaults().withGroups(HealthGroups.LIVENESS));

            HealthReport readiness = registry.report(HealthGroups.READINESS)
                    .toCompletableFuture()
                    .join();

            assertThat(readiness.checks()).containsOnlyKeys("disk");
            assertThat(readiness.checks().get("disk").result().details()).containsKey("freeBytes");
            assertThat(registry.report(HealthGroups.LIVENESS)
                            .toCompletableFuture()
                            .join()
                            .status())
                    .isEqualTo(HealthStatus.UP);
            assertThatThrownBy(() -> registry.report("readness"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unknown health group 'readness'; known groups: [liveness, readiness]");
        }
    }
}
