package dev.redisintegration.cache.internal;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Futures helpers of the cache: deadlines, and unwrapping failures. The cache's deadlines run on a hashed wheel timer (Netty's, which Lettuce brings and uses for its own command
 * timeouts). {@code CompletableFuture.orTimeout} would schedule each deadline on a {@code ScheduledThreadPoolExecutor}
 * and wake its thread whenever the new deadline is the earliest, which on a hit is every call: a thread switch per
 * call, a fifth of a hit's throughput on two cores. Adding to the wheel is a queue append; the wheel's one daemon
 * thread ticks every {@value #TICK_MILLIS} ms, so a deadline fires up to one tick late.
 */
public final class Deadlines {

    public static final long TICK_MILLIS = 5;

    private static final ThreadFactory DAEMON = task -> {
        Thread thread = new Thread(task, "redis-cache-deadlines");
        thread.setDaemon(true);
        return thread;
    };
    private static final HashedWheelTimer TIMER = new HashedWheelTimer(DAEMON, TICK_MILLIS, TimeUnit.MILLISECONDS, 512);

    private Deadlines() {}

    /** The failure inside {@code CompletionException} / {@code ExecutionException} wrappers. */
    public static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** {@code future}, failed with {@link TimeoutException} if it is not done within {@code millis}. */
    public static <T> CompletableFuture<T> within(CompletableFuture<T> future, long millis) {
        if (future.isDone()) {
            return future;
        }
        Timeout timeout = TIMER.newTimeout(
                ignored -> future.completeExceptionally(new TimeoutException()), millis, TimeUnit.MILLISECONDS);
        future.whenComplete((value, error) -> timeout.cancel());
        return future;
    }
}
