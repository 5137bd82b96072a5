package dev.redisintegration.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Deterministic time for tests: one nanosecond counter drives the {@link Ticker}, a {@link Clock} and a
 * {@link ScheduledExecutorService} whose timers fire only when the test calls {@link #advance(Duration)}.
 */
final class FakeTime implements Ticker {
    static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private final Object lock = new Object();
    private long nanos = 1_000_000_000L; // not zero, to catch code that assumes the ticker starts at zero
    private final long origin = nanos;
    private final List<Timer<?>> timers = new ArrayList<>();
    private final Scheduler scheduler = new Scheduler();
    private final Clock clock = new FakeClock();

    @Override
    public long read() {
        synchronized (lock) {
            return nanos;
        }
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    Clock clock() {
        return clock;
    }

    Instant now() {
        return clock.instant();
    }

    /** Moves time forward and runs, in order and on this thread, every timer that became due. */
    void advance(Duration duration) {
        long target;
        synchronized (lock) {
            target = nanos + duration.toNanos();
        }
        while (true) {
            Timer<?> due;
            synchronized (lock) {
                due = timers.stream()
                        .filter(timer -> timer.dueAt <= target)
                        .min(Comparator.comparingLong(timer -> timer.dueAt))
                        .orElse(null);
                if (due == null) {
                    nanos = target;
                    return;
                }
                timers.remove(due);
                nanos = Math.max(nanos, due.dueAt);
            }
            due.run();
        }
    }

    /** Timers scheduled and neither run nor cancelled. */
    int pendingTimers() {
        synchronized (lock) {
            return (int) timers.stream().filter(timer -> !timer.isCancelled()).count();
        }
    }

    private final class FakeClock extends Clock {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return START.plusNanos(read() - origin);
        }
    }

    private final class Timer<V> extends FutureTask<V> implements ScheduledFuture<V> {
        final long dueAt;

        Timer(Callable<V> callable, long dueAt) {
            super(callable);
            this.dueAt = dueAt;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueAt - read(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }

    final class Scheduler extends AbstractExecutorService implements ScheduledExecutorService {
        private volatile boolean shutdown;

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return schedule(
                    () -> {
                        command.run();
                        return null;
                    },
                    delay,
                    unit);
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            if (shutdown) {
                throw new RejectedExecutionException("scheduler is shut down");
            }
            synchronized (lock) {
                Timer<V> timer = new Timer<>(callable, nanos + unit.toNanos(delay));
                timers.add(timer);
                return timer;
            }
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            throw new UnsupportedOperationException("not used by the registry");
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(
                Runnable command, long initialDelay, long delay, TimeUnit unit) {
            throw new UnsupportedOperationException("not used by the registry");
        }

        @Override
        public void execute(Runnable command) {
            schedule(command, 0, TimeUnit.NANOSECONDS);
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return shutdown;
        }
    }
}
