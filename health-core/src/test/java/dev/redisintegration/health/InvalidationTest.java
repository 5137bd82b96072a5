package dev.redisintegration.health;

import static dev.redisintegration.health.Reports.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class InvalidationTest extends FakeTimeRegistryTest {
    @Test
    void invalidateForcesTheNextRequestToRunTheCheck() {
        ScriptedCheck redis = ScriptedCheck.answering("redis", HealthResult.up());
        ScriptedCheck disk = ScriptedCheck.answering("disk", HealthResult.up());
        registry.register(redis, CheckOptions.defaults()).register(disk, CheckOptions.defaults());
        registry.report();

        redis.answer(HealthResult.down("connection refused"));
        time.advance(Duration.ofSeconds(1));
        registry.invalidate("redis");
        HealthReport report = Reports.done(registry.report());

        assertThat(report.checks().get("redis").cached()).isFalse();
        assertThat(report.checks().get("redis").result().reason()).isEqualTo("connection refused");
        assertThat(report.checks().get("disk").cached()).isTrue();
        assertThat(redis.calls()).isEqualTo(2);
        assertThat(disk.calls()).isEqualTo(1);
    }

    @Test
    void invalidateAllForcesEveryCheckToRun() {
        ScriptedCheck redis = ScriptedCheck.answering("redis", HealthResult.up());
        ScriptedCheck disk = ScriptedCheck.answering("disk", HealthResult.down("full"));
        registry.register(redis, CheckOptions.defaults()).register(disk, CheckOptions.defaults());
        registry.report();

        registry.invalidateAll();
        HealthReport report = Reports.done(registry.report());

        assertThat(report.checks().values()).noneMatch(CheckReport::cached);
        assertThat(redis.calls()).isEqualTo(2);
        assertThat(disk.calls()).isEqualTo(2);
    }

    @Test
    void resultOfAnExecutionRunningDuringInvalidationIsNotCached() {
        ScriptedCheck check = ScriptedCheck.manual("redis");
        registry.register(check, CheckOptions.defaults());
        CompletionStage<HealthReport> beforeEvent = registry.report();

        registry.invalidate("redis");
        check.complete(0, HealthResult.up());

        // The caller that was waiting still gets its answer ...
        assertThat(only(beforeEvent).result().status()).isEqualTo(HealthStatus.UP);
        // ... but it is not served as fresh afterwards: the next request runs the check again.
        CompletionStage<HealthReport> afterEvent = registry.report();
        assertThat(check.calls()).isEqualTo(2);
        check.complete(1, HealthResult.down("connection refused"));
        assertThat(only(afterEvent).result().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(only(registry.report()).cached()).isTrue();
    }

    @Test
    void requestAfterInvalidationDoesNotJoinTheStaleExecution() {
        ScriptedCheck check = ScriptedCheck.manual("redis");
        registry.register(check, CheckOptions.defaults());
        CompletionStage<HealthReport> beforeEvent = registry.report();

        registry.invalidate("redis");
        CompletionStage<HealthReport> afterEvent = registry.report();
        assertThat(check.calls()).isEqualTo(2);

        // The new execution answers first and is cached; the stale one answers later and must not overwrite it.
        check.complete(1, HealthResult.down("connection refused"));
        check.complete(0, HealthResult.up());

        assertThat(only(beforeEvent).result().status()).isEqualTo(HealthStatus.UP);
        assertThat(only(afterEvent).result().status()).isEqualTo(HealthStatus.DOWN);
        CheckReport cached = only(registry.report());
        assertThat(cached.cached()).isTrue();
        assertThat(cached.result().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(check.calls()).isEqualTo(2);
    }

    @Test
    void invalidateAllDuringExecutionAlsoPreventsCaching() {
        ScriptedCheck check = ScriptedCheck.manual("redis");
        registry.register(check, CheckOptions.defaults());
        registry.report();

        registry.invalidateAll();
        check.complete(0, HealthResult.up());
        registry.report();

        assertThat(check.calls()).isEqualTo(2);
    }

    @Test
    void invalidatingAnUnknownCheckNamesTheKnownOnes() {
        registry.register(ScriptedCheck.answering("redis", HealthResult.up()), CheckOptions.defaults());

        assertThatThrownBy(() -> registry.invalidate("rdis"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no health check named 'rdis' is registered; known: [redis]");
    }
}
