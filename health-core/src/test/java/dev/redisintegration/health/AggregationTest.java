package dev.redisintegration.health;

import static dev.redisintegration.health.Reports.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class AggregationTest extends FakeTimeRegistryTest {
    private void register(String name, HealthResult result, CheckOptions options) {
        registry.register(ScriptedCheck.answering(name, result), options);
    }

    @Test
    void allUpIsUp() {
        register("a", HealthResult.up(), CheckOptions.defaults());
        register("b", HealthResult.up(), CheckOptions.defaults());

        HealthReport report = done(registry.report());

        assertThat(report.status()).isEqualTo(HealthStatus.UP);
        assertThat(report.isUp()).isTrue();
        assertThat(report.failingChecks()).isEmpty();
    }

    @Test
    void unknownIsWorseThanUp() {
        register("a", HealthResult.up(), CheckOptions.defaults());
        register("b", HealthResult.unknown("role not reported"), CheckOptions.defaults());

        assertThat(done(registry.report()).status()).isEqualTo(HealthStatus.UNKNOWN);
    }

    @Test
    void worstCriticalStatusWins() {
        register("a", HealthResult.up(), CheckOptions.defaults());
        register("b", HealthResult.unknown("role not reported"), CheckOptions.defaults());
        register("c", HealthResult.down("refused"), CheckOptions.defaults());

        HealthReport report = done(registry.report());

        assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(report.failingChecks()).containsExactly("b", "c");
    }

    @Test
    void nonCriticalDownIsReportedButNeverFailsTheReport() {
        register("redis", HealthResult.up(), CheckOptions.defaults());
        register(
                "mail",
                HealthResult.down("smtp refused"),
                CheckOptions.defaults().withCritical(false));

        HealthReport report = done(registry.report());

        assertThat(report.status()).isEqualTo(HealthStatus.UP);
        assertThat(report.failingChecks()).isEmpty();
        CheckReport mail = report.checks().get("mail");
        assertThat(mail.critical()).isFalse();
        assertThat(mail.result().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(mail.result().reason()).isEqualTo("smtp refused");
    }

    @Test
    void reportWithOnlyNonCriticalChecksIsUp() {
        register(
                "mail",
                HealthResult.down("smtp refused"),
                CheckOptions.defaults().withCritical(false));

        assertThat(done(registry.report()).status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void groupReportContainsOnlyThatGroupsChecks() {
        register("redis", HealthResult.down("refused"), CheckOptions.defaults());
        register("process", HealthResult.up(), CheckOptions.defaults().withGroups(HealthGroups.LIVENESS));
        register(
                "disk",
                HealthResult.up(),
                CheckOptions.defaults().withGroups(HealthGroups.LIVENESS, HealthGroups.READINESS));

        HealthReport liveness = done(registry.report(HealthGroups.LIVENESS));
        HealthReport readiness = done(registry.report(HealthGroups.READINESS));
        HealthReport all = done(registry.report());

        assertThat(liveness.checks()).containsOnlyKeys("disk", "process");
        assertThat(liveness.status()).isEqualTo(HealthStatus.UP);
        assertThat(readiness.checks()).containsOnlyKeys("disk", "redis");
        assertThat(readiness.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(all.checks()).containsOnlyKeys("disk", "process", "redis");
    }

    @Test
    void unknownGroupIsRejectedNamingItAndTheKnownGroups() {
        // A typo in a probe's group must not read as an empty, always-UP report.
        register("redis", HealthResult.down("refused"), CheckOptions.defaults());
        register("disk", HealthResult.up(), CheckOptions.defaults().withGroups("startup"));

        assertThatThrownBy(() -> registry.report("readness"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown health group 'readness'; known groups: [liveness, readiness, startup]");
    }

    @Test
    void groupOfARegisteredCheckIsKnown() {
        register("disk", HealthResult.down("full"), CheckOptions.defaults().withGroups("startup"));

        HealthReport startup = done(registry.report("startup"));

        assertThat(startup.checks()).containsOnlyKeys("disk");
        assertThat(startup.status()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void builtInGroupWithoutChecksIsAnEmptyUpReport() {
        register("redis", HealthResult.down("refused"), CheckOptions.defaults());

        HealthReport liveness = done(registry.report(HealthGroups.LIVENESS));

        assertThat(liveness.checks()).isEmpty();
        assertThat(liveness.status()).isEqualTo(HealthStatus.UP);
        assertThat(liveness.generatedAt()).isEqualTo(FakeTime.START);
        assertThat(done(emptyRegistryReport(HealthGroups.READINESS)).status()).isEqualTo(HealthStatus.UP);
    }

    private CompletionStage<HealthReport> emptyRegistryReport(String group) {
        try (HealthRegistry empty = HealthRegistry.builder()
                .ticker(time)
                .clock(time.clock())
                .scheduler(time.scheduler())
                .build()) {
            return empty.report(group);
        }
    }

    @Test
    void emptyRegistryIsUp() {
        assertThat(done(registry.report()).status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void checksAreOrderedByName() {
        register("zeta", HealthResult.up(), CheckOptions.defaults());
        register("alpha", HealthResult.up(), CheckOptions.defaults());
        register("mid", HealthResult.up(), CheckOptions.defaults());

        assertThat(done(registry.report()).checks().keySet()).containsExactly("alpha", "mid", "zeta");
    }

    @Test
    void checksRunConcurrentlyNotOneAfterAnother() {
        ScriptedCheck a = ScriptedCheck.manual("a");
        ScriptedCheck b = ScriptedCheck.manual("b");
        registry.register(a, CheckOptions.defaults()).register(b, CheckOptions.defaults());

        CompletionStage<HealthReport> report = registry.report();
        // Both started before either answered.
        assertThat(a.calls()).isEqualTo(1);
        assertThat(b.calls()).isEqualTo(1);

        time.advance(Duration.ofMillis(300));
        b.completeLatest(HealthResult.up());
        assertThat(report.toCompletableFuture()).isNotDone();
        a.completeLatest(HealthResult.up());

        HealthReport done = done(report);
        assertThat(done.checks().get("a").latency()).isEqualTo(Duration.ofMillis(300));
        assertThat(done.generatedAt()).isEqualTo(FakeTime.START.plusMillis(300));
    }

    @Test
    void aggregatesCachedAndFreshResultsTogether() {
        ScriptedCheck redis = ScriptedCheck.answering("redis", HealthResult.up());
        registry.register(redis, CheckOptions.defaults());
        registry.report();
        register("disk", HealthResult.down("full"), CheckOptions.defaults());
        time.advance(Duration.ofSeconds(10));

        HealthReport report = done(registry.report());

        assertThat(report.checks().get("redis").cached()).isTrue();
        assertThat(report.checks().get("redis").age()).isEqualTo(Duration.ofSeconds(10));
        assertThat(report.checks().get("disk").cached()).isFalse();
        assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
    }
}
