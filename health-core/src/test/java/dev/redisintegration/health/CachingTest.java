package dev.redisintegration.health;

import static dev.redisintegration.health.Reports.only;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CachingTest extends FakeTimeRegistryTest {
    private static final Duration NANO = Duration.ofNanos(1);

    @Test
    void successIsCachedForFiveMinutesByDefault() {
        ScriptedCheck check = ScriptedCheck.answering("redis", HealthResult.up());
        registry.register(check, CheckOptions.defaults());

        CheckReport first = only(registry.report());
        assertThat(first.cached()).isFalse();
        assertThat(first.age()).isZero();

        time.advance(Duration.ofMinutes(5).minus(NANO));
        CheckReport justBefore = only(registry.report());
        assertThat(justBefore.cached()).isTrue();
        assertThat(justBefore.age()).isEqualTo(Duration.ofMinutes(5).minus(NANO));
        assertThat(check.calls()).isEqualTo(1);

        time.advance(NANO);
        CheckReport atExpiry = only(registry.report());
        assertThat(atExpiry.cached()).isFalse();
        assertThat(check.calls()).isEqualTo(2);
    }

    @Test
    void failureIsCachedForOneMinuteByDefaultAndServedAsAValue() {
        ScriptedCheck check = ScriptedCheck.answering("redis", HealthResult.down("connection refused"));
        registry.register(check, CheckOptions.defaults());
        only(registry.report());

        time.advance(Duration.ofMinutes(1).minus(NANO));
        CheckReport justBefore = only(registry.report());
        assertThat(justBefore.cached()).isTrue();
        assertThat(justBefore.result().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(justBefore.result().reason()).isEqualTo("connection refused");
        assertThat(check.calls()).isEqualTo(1);

        time.advance(NANO);
        assertThat(only(registry.report()).cached()).isFalse();
        assertThat(check.calls()).isEqualTo(2);
    }

    @Test
    void unknownCountsAsFailureForCaching() {
        ScriptedCheck check = ScriptedCheck.answering("redis", HealthResult.unknown("role not reported"));
        registry.register(check, CheckOptions.defaults());
        only(registry.report());

        time.advance(Duration.ofMinutes(1));
        only(registry.report());

        assertThat(check.calls()).isEqualTo(2);
    }

    @Test
    void customTtlsExpireAtTheirMoment() {
        ScriptedCheck check = ScriptedCheck.answering("redis", HealthResult.up());
        registry.register(
                check,
                CheckOptions.defaults().withCachePolicy(CachePolicy.of(Duration.ofSeconds(10), Duration.ofSeconds(2))));
        only(registry.report());

        time.advance(Duration.ofSeconds(10).minus(NANO));
        assertThat(only(registry.report()).cached()).isTrue();
        time.advance(NANO);
        assertThat(only(registry.report()).cached()).isFalse();

        check.answer(HealthResult.down("gone"));
        time.advance(Duration.ofSeconds(10));
        assertThat(only(registry.report()).result().status()).isEqualTo(HealthStatus.DOWN);
        time.advance(Duration.ofSeconds(2).minus(NANO));
        assertThat(only(registry.report()).cached()).isTrue();
        time.advance(NANO);
        assertThat(only(registry.report()).cached()).isFalse();
        assertThat(check.calls()).isEqualTo(4);
    }

    @Test
    void recoveryIsSeenOnceTheFailureTtlHasPassed() {
        ScriptedCheck check = ScriptedCheck.answering("redis", HealthResult.down("connection refused"));
        registry.register(check, CheckOptions.defaults());
        assertThat(only(registry.report()).result().status()).isEqualTo(HealthStatus.DOWN);

        check.answer(HealthResult.up());
        time.advance(Duration.ofSeconds(30));
        assertThat(only(registry.report()).result().status()).isEqualTo(HealthStatus.DOWN);
        time.advance(Duration.ofSeconds(30));
        assertThat(only(registry.report()).result().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void cachedResultKeepsItsOriginalCheckTimeAndLatencyAndReportsItsAge() {
        ScriptedCheck check = ScriptedCheck.manual("redis");
        registry.register(check, CheckOptions.defaults());
        var first = registry.report();
        time.advance(Duration.ofMillis(40));
        check.completeLatest(HealthResult.up());
        only(first);

        time.advance(Duration.ofSeconds(90));
        CheckReport cached = only(registry.report());

        assertThat(cached.cached()).isTrue();
        // Age counts from the end of the execution, not its start.
        assertThat(cached.age()).isEqualTo(Duration.ofSeconds(90));
        assertThat(cached.latency()).isEqualTo(Duration.ofMillis(40));
        assertThat(cached.checkedAt()).isEqualTo(FakeTime.START.plusMillis(40));
    }

    @Test
    void noneRunsTheCheckOnEveryRequest() {
        ScriptedCheck check = ScriptedCheck.answering("redis", HealthResult.up());
        registry.register(check, CheckOptions.defaults().withCachePolicy(CachePolicy.none()));

        only(registry.report());
        only(registry.report());
        CheckReport third = only(registry.report());

        assertThat(check.calls()).isEqualTo(3);
        assertThat(third.cached()).isFalse();
    }

    @Test
    void zeroFailureTtlCachesOnlySuccess() {
        ScriptedCheck check = ScriptedCheck.answering("redis", HealthResult.down("refused"));
        registry.register(
                check, CheckOptions.defaults().withCachePolicy(CachePolicy.of(Duration.ofMinutes(5), Duration.ZERO)));

        only(registry.report());
        only(registry.report());
        check.answer(HealthResult.up());
        only(registry.report());
        only(registry.report());

        assertThat(check.calls()).isEqualTo(3);
    }

    @Test
    void registryDefaultOptionsApplyToChecksRegisteredWithoutOptions() {
        try (HealthRegistry custom = HealthRegistry.builder()
                .ticker(time)
                .clock(time.clock())
                .scheduler(time.scheduler())
                .defaultOptions(CheckOptions.defaults()
                        .withCachePolicy(CachePolicy.of(Duration.ofSeconds(1), Duration.ofSeconds(1))))
                .build()) {
            ScriptedCheck check = ScriptedCheck.answering("redis", HealthResult.up());
            custom.register(check);

            only(custom.report());
            time.advance(Duration.ofSeconds(1));
            only(custom.report());

            assertThat(check.calls()).isEqualTo(2);
        }
    }

    @Test
    void timeoutIsCachedAsAFailure() {
        ScriptedCheck check = ScriptedCheck.manual("redis");
        registry.register(check, CheckOptions.defaults());
        var first = registry.report();
        time.advance(Duration.ofMillis(500));
        only(first);

        time.advance(Duration.ofSeconds(59));
        CheckReport cached = only(registry.report());

        assertThat(cached.cached()).isTrue();
        assertThat(cached.result().reason()).isEqualTo("timed out after 500 ms");
        assertThat(check.calls()).isEqualTo(1);
    }
}
