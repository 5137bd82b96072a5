package dev.redisintegration.health;

import static dev.redisintegration.health.Reports.only;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class CheckFailureTest extends FakeTimeRegistryTest {
    private CheckReport reportOn(Supplier<CompletionStage<HealthResult>> answer) {
        registry.register(ScriptedCheck.of("subject", answer), CheckOptions.defaults());
        return only(registry.report());
    }

    @Test
    void synchronousThrowIsDownWithTheExceptionTypeAndMessage() {
        CheckReport report = reportOn(() -> {
            throw new IllegalStateException("boom");
        });

        assertThat(report.result().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(report.result().reason()).isEqualTo("check threw IllegalStateException: boom");
        assertThat(report.checkedAt()).isEqualTo(FakeTime.START);
    }

    @Test
    void exceptionalCompletionIsDownWithTheCause() {
        CheckReport report = reportOn(() -> CompletableFuture.failedFuture(new IOException("connection refused")));

        assertThat(report.result().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(report.result().reason()).isEqualTo("check failed with IOException: connection refused");
    }

    @Test
    void completionExceptionWrapperIsUnwrapped() {
        CheckReport report =
                reportOn(() -> CompletableFuture.failedFuture(new CompletionException(new IOException("reset"))));

        assertThat(report.result().reason()).isEqualTo("check failed with IOException: reset");
    }

    @Test
    void exceptionWithoutMessageIsNamedByItsType() {
        CheckReport report = reportOn(() -> CompletableFuture.failedFuture(new UnsupportedOperationException()));

        assertThat(report.result().reason()).isEqualTo("check failed with UnsupportedOperationException");
    }

    @Test
    void longMultiLineMessageIsCutToItsFirstLine() {
        String longLine = "x".repeat(500);
        CheckReport report =
                reportOn(() -> CompletableFuture.failedFuture(new IOException(longLine + "\nsecond line")));

        assertThat(report.result().reason())
                .startsWith("check failed with IOException: xxx")
                .endsWith("...")
                .doesNotContain("second");
        assertThat(report.result().reason().length()).isLessThan(260);
    }

    @Test
    void cancelledStageIsDown() {
        CheckReport report = reportOn(() -> {
            CompletableFuture<HealthResult> future = new CompletableFuture<>();
            future.cancel(false);
            return future;
        });

        assertThat(report.result().reason()).isEqualTo("check was cancelled");
    }

    @Test
    void nullStageIsDown() {
        CheckReport report = reportOn(() -> null);

        assertThat(report.result().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(report.result().reason()).isEqualTo("check returned null");
    }

    @Test
    void nullResultIsDown() {
        CheckReport report = reportOn(() -> CompletableFuture.completedFuture(null));

        assertThat(report.result().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(report.result().reason()).isEqualTo("check completed with null");
    }

    @Test
    void laterExceptionalCompletionIsDownAndCancelsTheTimer() {
        ScriptedCheck check = ScriptedCheck.manual("subject");
        registry.register(check, CheckOptions.defaults());

        CompletionStage<HealthReport> report = registry.report();
        check.complete(0, null);

        assertThat(only(report).result().reason()).isEqualTo("check completed with null");
        assertThat(time.pendingTimers()).isZero();
    }

    @Test
    void detailsAndReasonOfTheChecksOwnResultAreKept() {
        CheckReport report = reportOn(() -> CompletableFuture.completedFuture(
                HealthResult.down("authentication failed", java.util.Map.of("endpoint", "redis:6379"))));

        assertThat(report.result().reason()).isEqualTo("authentication failed");
        assertThat(report.result().details()).containsEntry("endpoint", "redis:6379");
    }
}
