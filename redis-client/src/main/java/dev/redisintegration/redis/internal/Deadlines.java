package dev.redisintegration.redis.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Bounds a stage with a timer on a caller-supplied scheduler (as resilience4j's TimeLimiter does): Lettuce's own
 * timeouts do not cover everything, e.g. a TCP connect to a black hole or a handshake with a paused server.
 */
public final class Deadlines {

    private Deadlines() {}

    /**
     * A future that completes like {@code work}, or exceptionally with a {@link TimeoutException} whose message is the
     * human reason ({@code "connect timed out after 2000 ms"}) once {@code timeout} passes. If the deadline wins,
     * {@code lateResult} receives any value {@code work} produces later (to close a connection that nobody will use).
     */
    public static <T> CompletableFuture<T> failAfter(
            CompletionStage<T> work,
            Duration timeout,
            String what,
            ScheduledExecutorService scheduler,
            Consumer<? super T> lateResult) {
        CompletableFuture<T> result = new CompletableFuture<>();
        ScheduledFuture<?> timer;
        try {
            timer = scheduler.schedule(
                    () -> result.completeExceptionally(timeout(what, timeout)),
                    timeout.toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("RedisConnectionManager is closed", e));
            timer = null;
        }
        ScheduledFuture<?> scheduled = timer;
        work.whenComplete((value, error) -> {
            if (scheduled != null) {
                scheduled.cancel(false);
            }
            boolean won = error == null ? result.complete(value) : result.completeExceptionally(error);
            if (!won && error == null && value != null) {
                lateResult.accept(value);
            }
        });
        return result;
    }

    /** {@code failAfter} for work whose late result needs no clean-up. */
    public static <T> CompletableFuture<T> failAfter(
            CompletionStage<T> work, Duration timeout, String what, ScheduledExecutorService scheduler) {
        return failAfter(work, timeout, what, scheduler, late -> {});
    }

    /** An expected outcome, not a bug: without a stack trace, with the human reason as its message. */
    static TimeoutException timeout(String what, Duration timeout) {
        String prefix = what.isEmpty() ? "" : what + " ";
        TimeoutException exception = new TimeoutException(prefix + "timed out after " + Durations.format(timeout));
        exception.setStackTrace(new StackTraceElement[0]);
        return exception;
    }
}
