package dev.redisintegration.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ValidationTest {

    @Test
    void negativeTtlIsRejectedWithTheValue() {
        assertThatThrownBy(() -> CachePolicy.of(Duration.ofSeconds(-1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("successTtl must not be negative, was PT-1S");
        assertThatThrownBy(() -> CachePolicy.of(Duration.ZERO, Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("failureTtl must not be negative, was PT-0.005S");
    }

    @Test
    void defaultCachePolicyIsFiveMinutesAndOneMinute() {
        assertThat(CachePolicy.DEFAULT).isEqualTo(CachePolicy.of(Duration.ofMinutes(5), Duration.ofMinutes(1)));
        assertThat(CachePolicy.none()).isEqualTo(CachePolicy.of(Duration.ZERO, Duration.ZERO));
        assertThat(CachePolicy.DEFAULT.ttlFor(HealthStatus.UNKNOWN)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void zeroOrNegativeDeadlineIsRejected() {
        assertThatThrownBy(() -> CheckOptions.defaults().deadline(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("deadline must be positive, was PT0S");
        assertThatThrownBy(() -> HealthRegistry.builder().defaultDeadline(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("deadline must be positive");
    }

    @Test
    void defaultsAreCriticalReadinessFiveHundredMillisAndDefaultCaching() {
        CheckOptions defaults = CheckOptions.defaults();

        assertThat(defaults.critical()).isTrue();
        assertThat(defaults.groups()).containsExactly(HealthGroups.READINESS);
        assertThat(defaults.deadline()).isEqualTo(Duration.ofMillis(500));
        assertThat(defaults.cachePolicy()).isEqualTo(CachePolicy.DEFAULT);
        assertThat(CheckOptions.builder().build()).isEqualTo(defaults);
    }

    @Test
    void withersAndBuilderAgree() {
        CheckOptions viaWithers = CheckOptions.defaults().critical(false).groups(HealthGroups.LIVENESS)
                .deadline(Duration.ofSeconds(1)).cachePolicy(CachePolicy.none());
        CheckOptions viaBuilder = CheckOptions.builder().critical(false).groups(HealthGroups.LIVENESS)
                .deadline(Duration.ofSeconds(1)).cachePolicy(CachePolicy.none()).build();

        assertThat(viaWithers).isEqualTo(viaBuilder);
        assertThat(viaWithers.toBuilder().build()).isEqualTo(viaWithers);
        assertThat(viaWithers.isCritical()).isFalse();
    }

    @Test
    void blankGroupIsRejected() {
        assertThatThrownBy(() -> CheckOptions.defaults().groups("readiness", " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("group names must not be blank");
        assertThatThrownBy(() -> CheckOptions.defaults().groups((String) null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void groupsAreImmutable() {
        assertThatThrownBy(() -> CheckOptions.defaults().groups().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(new CheckOptions(true, Set.of(), Duration.ofSeconds(1), CachePolicy.none()).groups()).isEmpty();
    }

    @Test
    void blankCheckNameIsRejected() {
        assertThatThrownBy(() -> HealthCheck.of("  ", () -> CompletableFuture.completedFuture(HealthResult.up())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("health check name must not be blank, was '  '");
    }

    @Test
    void blankNameOfACustomCheckIsRejectedAtRegistration() {
        try (HealthRegistry registry = HealthRegistry.builder().build()) {
            assertThatThrownBy(() -> registry.register(ScriptedCheck.answering("", HealthResult.up())))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("health check name must not be blank, was ''");
        }
    }

    @Test
    void duplicateNameIsRejected() {
        try (HealthRegistry registry = HealthRegistry.builder().build()) {
            registry.register(ScriptedCheck.answering("redis", HealthResult.up()));

            assertThatThrownBy(() -> registry.register(ScriptedCheck.answering("redis", HealthResult.down("x"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a health check named 'redis' is already registered");
        }
    }

    @Test
    void detailsAreAnImmutableCopyInInsertionOrder() {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("role", "PRIMARY");
        source.put("endpoint", "redis:6379");
        source.put("version", null);
        HealthResult result = HealthResult.up(source);

        source.put("later", "ignored");

        assertThat(result.details()).containsExactly(
                Map.entry("role", "PRIMARY"), Map.entry("endpoint", "redis:6379"), new java.util.AbstractMap.SimpleEntry<>("version", null));
        assertThatThrownBy(() -> result.details().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nullDetailKeyIsRejected() {
        Map<String, Object> withNullKey = new HashMap<>();
        withNullKey.put(null, "x");

        assertThatThrownBy(() -> HealthResult.up(withNullKey))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("details must not contain a null key");
    }

    @Test
    void downNeedsAReason() {
        assertThatThrownBy(() -> HealthResult.down(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("reason must not be blank");
    }

    @Test
    void statusSeverityOrderMakesTheWorstWin() {
        assertThat(HealthStatus.UP.worst(HealthStatus.UNKNOWN)).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(HealthStatus.DOWN.worst(HealthStatus.UNKNOWN)).isEqualTo(HealthStatus.DOWN);
        assertThat(HealthStatus.UP.worst(HealthStatus.UP)).isEqualTo(HealthStatus.UP);
    }

    @Test
    void reportChecksAreImmutableAndSortedByName() {
        HealthResult up = HealthResult.up();
        Map<String, CheckReport> checks = new HashMap<>();
        checks.put("b", new CheckReport("b", up, true, false, Duration.ZERO));
        checks.put("a", new CheckReport("a", HealthResult.down("x"), false, false, Duration.ZERO));

        HealthReport report = HealthReport.of(checks, FakeTime.START);

        assertThat(report.checks().keySet()).containsExactly("a", "b");
        assertThat(report.status()).isEqualTo(HealthStatus.UP);
        assertThatThrownBy(() -> report.checks().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void systemTickerIsMonotonic() {
        long first = Ticker.system().read();
        assertThat(Ticker.system().read()).isGreaterThanOrEqualTo(first);
    }
}
