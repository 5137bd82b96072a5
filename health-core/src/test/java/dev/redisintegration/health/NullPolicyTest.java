package dev.redisintegration.health;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The one null policy of the API: a {@code null} where none is allowed is a {@link NullPointerException} whose message
 * names the parameter; only what is annotated {@code @Nullable} accepts {@code null}.
 */
class NullPolicyTest extends FakeTimeRegistryTest {

    private static void rejectsNull(String parameter, ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOf(NullPointerException.class)
                .hasMessageStartingWith(parameter + " must not");
    }

    @Test
    void healthCheckOf() {
        rejectsNull("name", () -> HealthCheck.of(null, CompletableFuture::new));
        rejectsNull("check", () -> HealthCheck.of("x", null));
    }

    @Test
    void healthResultFactoriesAndConstructor() {
        rejectsNull("reason", () -> HealthResult.down(null));
        rejectsNull("reason", () -> HealthResult.unknown(null, Map.of()));
        rejectsNull("details", () -> HealthResult.up(null));
        rejectsNull("details", () -> HealthResult.down("r", null));
        rejectsNull("status", () -> new HealthResult(null, "r", Map.of()));
        rejectsNull("details", () -> new HealthResult(HealthStatus.UP, null, null));
    }

    @Test
    void checkOptionsAndCachePolicy() {
        rejectsNull("deadline", () -> CheckOptions.defaults().withDeadline(null));
        rejectsNull("cachePolicy", () -> CheckOptions.defaults().withCachePolicy(null));
        rejectsNull("groups", () -> CheckOptions.defaults().withGroups((String[]) null));
        rejectsNull("groups", () -> CheckOptions.defaults().withGroups("readiness", null));
        rejectsNull("groups", () -> new CheckOptions(true, null, Duration.ofSeconds(1), CachePolicy.none()));
        rejectsNull(
                "groups",
                () -> new CheckOptions(
                        true, new HashSet<>(Arrays.asList("a", null)), Duration.ofSeconds(1), CachePolicy.none()));
        rejectsNull("successTtl", () -> CachePolicy.of(null, Duration.ZERO));
        rejectsNull("failureTtl", () -> CachePolicy.of(Duration.ZERO, null));
        rejectsNull("status", () -> CachePolicy.none().ttlFor(null));
        rejectsNull("other", () -> HealthStatus.UP.worst(null));
    }

    @Test
    void reports() {
        rejectsNull("checks", () -> HealthReport.of(null, Instant.EPOCH));
        rejectsNull("generatedAt", () -> HealthReport.of(Map.of(), null));
        rejectsNull(
                "name",
                () -> new CheckReport(
                        null, HealthResult.up(), true, Duration.ZERO, Instant.EPOCH, false, Duration.ZERO));
        rejectsNull(
                "latency",
                () -> new CheckReport("a", HealthResult.up(), true, null, Instant.EPOCH, false, Duration.ZERO));
        rejectsNull(
                "checkedAt",
                () -> new CheckReport("a", HealthResult.up(), true, Duration.ZERO, null, false, Duration.ZERO));
    }

    @Test
    void registryAndBuilder() {
        rejectsNull("check", () -> registry.register(null, CheckOptions.defaults()));
        rejectsNull("options", () -> registry.register(ScriptedCheck.answering("x", HealthResult.up()), null));
        rejectsNull("group", () -> registry.report(null));
        rejectsNull("checkName", () -> registry.invalidate(null));
        rejectsNull("ticker", () -> HealthRegistry.builder().ticker(null));
        rejectsNull("clock", () -> HealthRegistry.builder().clock(null));
        rejectsNull("scheduler", () -> HealthRegistry.builder().scheduler(null));
        rejectsNull("defaultOptions", () -> HealthRegistry.builder().defaultOptions(null));
    }

    @Test
    void aCustomCheckWhoseNameIsNullIsABadValueNotANullArgument() {
        assertThatThrownBy(() -> registry.register(ScriptedCheck.answering(null, HealthResult.up())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("health check name must not be blank, was null");
        assertThatThrownBy(() -> new CheckOptions(true, Set.of(), Duration.ofSeconds(1), null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageStartingWith("cachePolicy must not be null");
    }
}
