package dev.redisintegration.health;

import static dev.redisintegration.health.Reports.done;
import static dev.redisintegration.health.Reports.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

class DeadlineTest extends FakeTimeRegistryTest {
    @Test
    void checkThatNeverAnswersIsDownAtItsDefaultDeadlineAndNotBefore() {
        registry.register(ScriptedCheck.of("hung", CompletableFuture::new), CheckOptions.defaults());

        CompletionStage<HealthReport> report = registry.report();
        time.advance(Duration.ofMillis(499));
        assertThat(report.toCompletableFuture()).isNotDone();

        time.advance(Duration.ofMillis(1));
        CheckReport hung = only(report);
        assertThat(hung.result().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(hung.result().reason()).isEqualTo("timed out after 500 ms");
        assertThat(hung.latency()).isEqualTo(Duration.ofMillis(500));
        assertThat(hung.checkedAt()).isEqualTo(FakeTime.START.plusMillis(500));
        assertThat(done(report).status()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void overrunIsADownValueNeverAFailedStage() {
        // Callers never see a TimeoutException, nor any other (internal or public) exception, through the stage.
        registry.register(ScriptedCheck.of("hung", CompletableFuture::new), CheckOptions.defaults());
        CompletableFuture<HealthReport> report = registry.report().toCompletableFuture();
        CompletableFuture<Throwable> failure = report.handle((value, error) -> error);

        time.advance(Duration.ofMillis(500));

        assertThat(failure).isCompletedWithValue(null);
        assertThat(report)
                .isCompletedWithValueMatching(done -> done.status() == HealthStatus.DOWN
                        && done.checks().get("hung").result().reason().equals("timed out after 500 ms"));
    }

    @Test
    void deadlineIsPerCheckAndNamedInTheReason() {
        registry.register(
                ScriptedCheck.of("slow", CompletableFuture::new),
                CheckOptions.defaults().withDeadline(Duration.ofSeconds(2)));

        CompletionStage<HealthReport> report = registry.report();
        time.advance(Duration.ofMillis(1999));
        assertThat(report.toCompletableFuture()).isNotDone();
        time.advance(Duration.ofMillis(1));

        assertThat(only(report).result().reason()).isEqualTo("timed out after 2000 ms");
    }

    @Test
    void registryDefaultDeadlineAppliesToChecksRegisteredWithoutOptions() {
        try (HealthRegistry custom = HealthRegistry.builder()
                .ticker(time)
                .clock(time.clock())
                .scheduler(time.scheduler())
                .defaultOptions(CheckOptions.defaults().withDeadline(Duration.ofMillis(200)))
                .build()) {
            custom.register(ScriptedCheck.of("hung", CompletableFuture::new));

            CompletionStage<HealthReport> report = custom.report();
            time.advance(Duration.ofMillis(200));

            assertThat(only(report).result().reason()).isEqualTo("timed out after 200 ms");
        }
    }

    @Test
    void timerIsCancelledWhenTheCheckAnswersInTime() {
        ScriptedCheck check = ScriptedCheck.manual("redis");
        registry.register(check, CheckOptions.defaults());

        CompletionStage<HealthReport> report = registry.report();
        assertThat(time.pendingTimers()).isEqualTo(1);
        time.advance(Duration.ofMillis(120));
        check.completeLatest(HealthResult.up());

        assertThat(time.pendingTimers()).isZero();
        CheckReport redis = only(report);
        assertThat(redis.result().status()).isEqualTo(HealthStatus.UP);
        assertThat(redis.latency()).isEqualTo(Duration.ofMillis(120));
    }

    @Test
    void checkThatAnswersAtOnceNeedsNoTimer() {
        registry.register(ScriptedCheck.answering("fast", HealthResult.up()), CheckOptions.defaults());

        assertThat(only(registry.report()).result().status()).isEqualTo(HealthStatus.UP);
        assertThat(time.pendingTimers()).isZero();
    }

    @Test
    void answerAfterTheDeadlineDoesNotChangeTheReportedTimeout() {
        ScriptedCheck check = ScriptedCheck.manual("late");
        registry.register(check, CheckOptions.defaults());

        CompletionStage<HealthReport> report = registry.report();
        time.advance(Duration.ofMillis(500));
        check.completeLatest(HealthResult.up());

        assertThat(only(report).result().reason()).isEqualTo("timed out after 500 ms");
        // The timeout is the cached outcome (failure TTL), not the late UP.
        assertThat(only(registry.report()).result().status()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void reportIsBoundedByTheLongestDeadlineNotTheSumOfThem() {
        registry.register(ScriptedCheck.of("a", CompletableFuture::new), CheckOptions.defaults());
        registry.register(ScriptedCheck.of("b", CompletableFuture::new), CheckOptions.defaults());
        registry.register(
                ScriptedCheck.of("c", CompletableFuture::new),
                CheckOptions.defaults().withDeadline(Duration.ofMillis(300)));

        CompletionStage<HealthReport> report = registry.report();
        time.advance(Duration.ofMillis(500));

        assertThat(done(report).failingChecks()).containsExactly("a", "b", "c");
    }

    @Test
    void rejectedTimerYieldsDownInsteadOfAnUnboundedWait() {
        ScheduledExecutorService stopped = Executors.newSingleThreadScheduledExecutor();
        stopped.shutdown();
        try (HealthRegistry withStopped =
                HealthRegistry.builder().scheduler(stopped).build()) {
            withStopped.register(ScriptedCheck.of("hung", CompletableFuture::new), CheckOptions.defaults());

            CheckReport hung = only(withStopped.report());

            assertThat(hung.result().status()).isEqualTo(HealthStatus.DOWN);
            assertThat(hung.result().reason()).isEqualTo("deadline timer rejected: scheduler is shut down");
        }
    }

    @Test
    void realOwnedSchedulerEnforcesTheDeadline() {
        try (HealthRegistry real = HealthRegistry.builder().build()) {
            real.register(
                    ScriptedCheck.of("hung", CompletableFuture::new),
                    CheckOptions.defaults().withDeadline(Duration.ofMillis(100)));

            CompletableFuture<HealthReport> report = real.report().toCompletableFuture();

            // Generous bound: the machine is shared; the exact moment is covered by the fake-time tests above.
            await().atMost(Duration.ofSeconds(5)).until(report::isDone);
            assertThat(report).isNotCompletedExceptionally();
            assertThat(report.join().checks().get("hung").result().reason()).isEqualTo("timed out after 100 ms");
        }
    }
}
