package dev.redisintegration.health.internal;

import dev.redisintegration.health.HealthCheck;
import dev.redisintegration.health.HealthResult;
import dev.redisintegration.health.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs one execution of a check under its deadline and turns every outcome into an {@link Execution}: a
 * {@link HealthResult} value with the measured latency and the completion time. The returned future never completes
 * exceptionally: a deadline overrun is a DOWN value, not a {@code TimeoutException}.
 */
final class CheckRunner {
    private final HealthCheck check;
    private final Duration deadline;
    private final long deadlineNanos;
    private final ScheduledExecutorService scheduler;
    private final Ticker ticker;
    private final Clock clock;

    CheckRunner(HealthCheck check, Duration deadline, ScheduledExecutorService scheduler, Ticker ticker, Clock clock) {
        this.check = check;
        this.deadline = deadline;
        this.deadlineNanos = saturatedNanos(deadline);
        this.scheduler = scheduler;
        this.ticker = ticker;
        this.clock = clock;
    }

    CompletableFuture<Execution> run() {
        long startNanos = ticker.read();
        // Nullable despite the SPI's contract: a check that breaks it is reported, not trusted.
        @Nullable CompletionStage<HealthResult> stage;
        try {
            stage = check.check();
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable error) {
            return CompletableFuture.completedFuture(stamp(HealthResult.down(Reasons.threw(error)), startNanos));
        }
        if (stage == null) {
            return CompletableFuture.completedFuture(stamp(HealthResult.down(Reasons.RETURNED_NULL), startNanos));
        }

        CompletableFuture<Execution> outcome = new CompletableFuture<>();
        try {
            stage.whenComplete((result, error) -> outcome.complete(stamp(toResult(result, error), startNanos)));
        } catch (RuntimeException error) {
            // A home-made CompletionStage that cannot even register a callback.
            outcome.complete(stamp(HealthResult.down(Reasons.failed(error)), startNanos));
        }
        // Most checks of a busy registry complete at once (or are answered from elsewhere): no timer for those.
        if (outcome.isDone()) {
            return outcome;
        }
        ScheduledFuture<?> timer;
        try {
            timer = scheduler.schedule(
                    () -> outcome.complete(stamp(HealthResult.down(Reasons.timedOut(deadline)), startNanos)),
                    deadlineNanos,
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException rejected) {
            // Without a timer the execution would be unbounded; answering now keeps report() bounded.
            outcome.complete(stamp(HealthResult.down(Reasons.SCHEDULER_REJECTED), startNanos));
            return outcome;
        }
        // Cancel the timer as soon as the check answers, so a busy registry does not pile up dead timers.
        outcome.whenComplete((result, error) -> timer.cancel(false));
        return outcome;
    }

    private static HealthResult toResult(@Nullable HealthResult result, @Nullable Throwable error) {
        if (error != null) {
            Throwable cause = Reasons.unwrap(error);
            return HealthResult.down(
                    cause instanceof CancellationException ? Reasons.CANCELLED : Reasons.failed(cause));
        }
        return result == null ? HealthResult.down(Reasons.COMPLETED_WITH_NULL) : result;
    }

    private Execution stamp(HealthResult result, long startNanos) {
        long elapsed = Math.max(0, ticker.read() - startNanos);
        return new Execution(result, Duration.ofNanos(elapsed), clock.instant());
    }

    static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
