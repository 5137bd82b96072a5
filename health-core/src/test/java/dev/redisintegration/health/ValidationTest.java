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
    void noneNeverCaches() {
        assertThat(CachePolicy.none()).isEqualTo(CachePolicy.of(Duration.ZERO, Duration.ZERO));
        assertThat(CachePolicy.none().ttlFor(HealthStatus.UP)).isZero();
    }

    @Test
    void ttlIsChosenByOutcome() {
        CachePolicy policy = CachePolicy.of(Duration.ofMinutes(5), Duration.ofMinutes(1));

        assertThat(policy.ttlFor(HealthStatus.UP)).isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.ttlFor(HealthStatus.UNKNOWN)).isEqualTo(Duration.ofMinutes(1));
        assertThat(policy.ttlFor(HealthStatus.DOWN)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void zeroOrNegativeDeadlineIsRejected() {
        assertThatThrownBy(() -> CheckOptions.defaults().withDeadline(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("deadline must be positive, was PT0S");
        assertThatThrownBy(() -> CheckOptions.defaults().withDeadline(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("deadline must be positive, was PT-0.001S");
    }

    @Test
    void defaultsAreCriticalReadinessFiveHundredMillisAndCachingFiveMinutesUpOneMinuteOtherwise() {
        CheckOptions defaults = CheckOptions.defaults();

        assertThat(defaults.critical()).isTrue();
        assertThat(defaults.groups()).containsExactly(HealthGroups.READINESS);
        assertThat(defaults.deadline()).isEqualTo(Duration.ofMillis(500));
        assertThat(defaults.cachePolicy()).isEqualTo(CachePolicy.of(Duration.ofMinutes(5), Duration.ofMinutes(1)));
    }

    @Test
    void eachWitherChangesOneComponentAndLeavesTheOriginalAlone() {
        CheckOptions defaults = CheckOptions.defaults();

        CheckOptions changed = defaults.withCritical(false)
                .withGroups(HealthGroups.LIVENESS)
                .withDeadline(Duration.ofSeconds(1))
                .withCachePolicy(CachePolicy.none());

        assertThat(changed)
                .isEqualTo(new CheckOptions(
                        false, Set.of(HealthGroups.LIVENESS), Duration.ofSeconds(1), CachePolicy.none()));
        assertThat(defaults.withCritical(false))
                .isEqualTo(new CheckOptions(false, defaults.groups(), defaults.deadline(), defaults.cachePolicy()));
        assertThat(defaults.withDeadline(Duration.ofSeconds(2)).groups()).isEqualTo(defaults.groups());
        assertThat(defaults)
                .isSameAs(CheckOptions.defaults())
                .extracting(CheckOptions::critical)
                .isEqualTo(true);
    }

    @Test
    void withGroupsReplacesAndKeepsTheOrderGiven() {
        CheckOptions options = CheckOptions.defaults().withGroups("startup", HealthGroups.LIVENESS, "startup");

        assertThat(options.groups()).containsExactly("startup", HealthGroups.LIVENESS);
        assertThat(options.withGroups().groups()).isEmpty();
    }

    @Test
    void blankGroupIsRejected() {
        assertThatThrownBy(() -> CheckOptions.defaults().withGroups("readiness", " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("group names must not be blank, was ' '");
    }

    @Test
    void groupsAreImmutable() {
        assertThatThrownBy(() -> CheckOptions.defaults().groups().add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
        Set<String> source = new java.util.HashSet<>(Set.of("a"));
        CheckOptions options = new CheckOptions(true, source, Duration.ofSeconds(1), CachePolicy.none());
        source.add("b");
        assertThat(options.groups()).containsExactly("a");
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

        assertThat(result.details())
                .containsExactly(
                        Map.entry("role", "PRIMARY"),
                        Map.entry("endpoint", "redis:6379"),
                        new java.util.AbstractMap.SimpleEntry<>("version", null));
        assertThatThrownBy(() -> result.details().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nullDetailKeyIsRejected() {
        Map<String, Object> withNullKey = new HashMap<>();
        withNullKey.put(null, "x");

        assertThatThrownBy(() -> HealthResult.up(withNullKey))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("details must not contain a null key");
    }

    @Test
    void notUpNeedsAReasonUpMayHaveOne() {
        assertThatThrownBy(() -> HealthResult.down(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reason must not be blank for a DOWN result, was ' '");
        assertThatThrownBy(() -> HealthResult.unknown("", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("reason must not be blank for a UNKNOWN result");
        assertThatThrownBy(() -> new HealthResult(HealthStatus.DOWN, null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reason must not be blank for a DOWN result, was null");
        assertThat(new HealthResult(HealthStatus.UP, "degraded but serving", Map.of()).reason())
                .isEqualTo("degraded but serving");
        assertThat(HealthResult.up().reason()).isNull();
    }

    @Test
    void factoriesBuildTheStatusTheyAreNamedAfter() {
        assertThat(HealthResult.up()).isEqualTo(new HealthResult(HealthStatus.UP, null, Map.of()));
        assertThat(HealthResult.up(Map.of("k", 1))).isEqualTo(new HealthResult(HealthStatus.UP, null, Map.of("k", 1)));
        assertThat(HealthResult.down("r")).isEqualTo(new HealthResult(HealthStatus.DOWN, "r", Map.of()));
        assertThat(HealthResult.down("r", Map.of("k", 1)))
                .isEqualTo(new HealthResult(HealthStatus.DOWN, "r", Map.of("k", 1)));
        assertThat(HealthResult.unknown("r")).isEqualTo(new HealthResult(HealthStatus.UNKNOWN, "r", Map.of()));
        assertThat(HealthResult.unknown("r", Map.of("k", 1)))
                .isEqualTo(new HealthResult(HealthStatus.UNKNOWN, "r", Map.of("k", 1)));
        assertThat(HealthResult.up().isUp()).isTrue();
        assertThat(HealthResult.down("r").isUp()).isFalse();
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
        checks.put("b", new CheckReport("b", up, true, Duration.ZERO, FakeTime.START, false, Duration.ZERO));
        checks.put(
                "a",
                new CheckReport(
                        "a", HealthResult.down("x"), false, Duration.ZERO, FakeTime.START, false, Duration.ZERO));

        HealthReport report = HealthReport.of(checks, FakeTime.START);

        assertThat(report.checks().keySet()).containsExactly("a", "b");
        assertThat(report.status()).isEqualTo(HealthStatus.UP);
        assertThatThrownBy(() -> report.checks().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void negativeLatencyOrAgeIsRejected() {
        assertThatThrownBy(() -> new CheckReport(
                        "a", HealthResult.up(), true, Duration.ofMillis(-1), FakeTime.START, false, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("latency must not be negative, was PT-0.001S");
        assertThatThrownBy(() -> new CheckReport(
                        "a", HealthResult.up(), true, Duration.ZERO, FakeTime.START, true, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("age must not be negative, was PT-1S");
    }

    @Test
    void systemTickerIsMonotonic() {
        long first = Ticker.system().read();
        assertThat(Ticker.system().read()).isGreaterThanOrEqualTo(first);
    }
}
