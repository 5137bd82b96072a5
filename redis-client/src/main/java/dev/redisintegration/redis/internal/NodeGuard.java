package dev.redisintegration.redis.internal;

import dev.redisintegration.redis.ConnectionStats;
import dev.redisintegration.redis.ExpectedRole;
import dev.redisintegration.redis.RedisSettings;
import dev.redisintegration.redis.ReplicationRole;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisReadOnlyException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.event.command.CommandFailedEvent;
import io.lettuce.core.event.command.CommandListener;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the manager on a usable node behind a standalone endpoint. A managed primary endpoint fails over by moving
 * its DNS name; the old primary usually stays up as a replica, so every open connection stays healthy and every write
 * fails with {@code READONLY}. Lettuce never leaves such a node by itself. This class notices (a {@code READONLY}
 * reply, a verification or probe that finds a replica, a node that stops answering with the socket open), leaves
 * (drops the sockets of the shared connection and drains the exclusive pool, so they reconnect through the endpoint,
 * resolving its name again), and verifies the node it reaches.
 *
 * <p>Verification: one {@code ROLE} ({@code PING} where refused) every verify interval while connected, bounded by
 * the ping timeout. One that times out is retried at once, because a slow command ahead of it (a Lua script, a big
 * {@code DEL}, a fork) is not a hang: either reply arriving within twice the ping timeout counts. Two unanswered in a
 * row make the node hung. Forced reconnects are rate-limited (at most one per second, then a jittered back-off up to
 * {@link #MAX_BACKOFF} while the endpoint keeps leading to an unusable node), so a fleet does not stampede.
 *
 * <p>With Sentinel the same logic applies, and a reconnect asks the Sentinels for the primary again. In a Redis
 * Cluster the topology is the source of truth: verification and leaving are off; {@code READONLY} replies are still
 * counted, and a {@code MOVED} reply on an exclusive (standalone) connection asks for a topology refresh. A
 * {@code MOVED} reply on a connection used as a standalone server means the endpoint is a cluster node: counted and
 * logged once with the advice to set {@code REDIS_MODE}.
 */
public final class NodeGuard implements SharedConnection.Observer, CommandListener {

    private static final Logger log = LoggerFactory.getLogger("dev.redisintegration.redis.RedisConnectionManager");
    /** The least time between two forced reconnects, and between two verifications a signal asks for. */
    static final Duration MIN_SPACING = Duration.ofSeconds(1);
    /** The longest back-off between forced reconnects while the endpoint keeps leading to an unusable node. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final SharedConnection shared;
    private final ExclusivePool pool;
    private final ConnectionStateTracker tracker;
    private final ScheduledExecutorService timer;
    private final Duration pingTimeout;
    private final ExpectedRole expectedRole;
    private final String url;
    private final BooleanSupplier clusterMode;
    private final Runnable movedInCluster;

    private final AtomicLong readOnlyReplies = new AtomicLong();
    private final AtomicLong replicaVerdicts = new AtomicLong();
    private final AtomicLong hangVerdicts = new AtomicLong();
    private final AtomicLong moves = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong verifications = new AtomicLong();
    private final AtomicLong movedReplies = new AtomicLong();
    private final AtomicBoolean movedLogged = new AtomicBoolean();

    private final AtomicBoolean verifying = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledFuture<?> periodic;
    private volatile long nextSignalVerification = System.nanoTime();
    private volatile boolean lost;

    // Move state, guarded by this.
    private String leftAddress;
    private String leftBecause;
    private long leftAt;
    private int attempts;
    private long nextLeaveAllowed = System.nanoTime();
    private boolean retryScheduled;
    private boolean stuckLogged;

    /**
     * @param clusterMode whether the stack runs as a cluster client now (decided at construction, or at the first
     *     connect in auto mode).
     * @param movedInCluster told about a {@code MOVED} reply on a standalone connection in cluster mode (an exclusive
     *     connection to a node that no longer owns the slot).
     */
    public NodeGuard(
            SharedConnection shared,
            ExclusivePool pool,
            ConnectionStateTracker tracker,
            ScheduledExecutorService timer,
            Duration pingTimeout,
            Duration verifyInterval,
            ExpectedRole expectedRole,
            String maskedUrl,
            BooleanSupplier clusterMode,
            Runnable movedInCluster) {
        this.clusterMode = clusterMode;
        this.movedInCluster = movedInCluster;
        this.shared = shared;
        this.pool = pool;
        this.tracker = tracker;
        this.timer = timer;
        this.pingTimeout = pingTimeout;
        this.expectedRole = expectedRole;
        this.url = maskedUrl;
        long interval = verifyInterval.toNanos();
        this.periodic = timer.scheduleWithFixedDelay(() -> verify(false), interval, interval, TimeUnit.NANOSECONDS);
    }

    /** A snapshot of the counters. */
    public ConnectionStats stats() {
        return new ConnectionStats(
                readOnlyReplies.get(),
                replicaVerdicts.get(),
                hangVerdicts.get(),
                moves.get(),
                reconnects.get(),
                verifications.get(),
                movedReplies.get());
    }

    /**
     * While the manager is moving away from a node: why, for a probe that finds the connection down meanwhile (an
     * operator should read "replica" or "hangs", not only "not connected"); otherwise {@code null}.
     */
    public synchronized String leavingReason() {
        return leftAddress == null ? null : "left node " + leftAddress + ": " + leftBecause;
    }

    /** A probe found a replica while a primary was expected: verify (rate-limited), which leaves the node. */
    public void replicaSeen() {
        signal();
    }

    /**
     * The topology (the Sentinels) names another node as primary than the one the shared connection is on: leave it
     * (rate-limited like every move), so the reconnect asks the topology again.
     */
    public void primaryIsElsewhere(String reason) {
        if (!clusterMode.getAsBoolean()) {
            execute(() -> leave(reason));
        }
    }

    /** Lettuce calls this on its I/O threads for every failed command of every connection: keep it cheap. */
    @Override
    public void commandFailed(CommandFailedEvent event) {
        Throwable cause = event.getCause();
        if (cause instanceof RedisReadOnlyException) {
            readOnlyReplies.incrementAndGet();
            if (expectedRole == ExpectedRole.PRIMARY && !clusterMode.getAsBoolean()) {
                signal();
            }
        } else if (cause instanceof RedisCommandExecutionException
                && cause.getMessage() != null
                && cause.getMessage().startsWith("MOVED ")) {
            if (clusterMode.getAsBoolean()) {
                movedInCluster.run();
            } else {
                movedReplies.incrementAndGet();
                if (movedLogged.compareAndSet(false, true)) {
                    log.warn(
                            "Redis at {} answered MOVED: it is a Redis Cluster node, used here as a standalone server, so "
                                    + "commands for keys of other nodes fail; set {}=cluster (or leave it unset, auto, to detect it)",
                            url,
                            RedisSettings.ENV_MODE);
                }
            }
        }
    }

    @Override
    public void connected(String remote) {
        boolean reconnected = lost;
        if (reconnected) {
            lost = false;
            reconnects.incrementAndGet();
        }
        tracker.connected();
        boolean moving;
        synchronized (this) {
            moving = leftAddress != null;
        }
        if (reconnected || moving) {
            // A reconnect may have reached a replica (the name has not moved yet), or the node we are moving to.
            execute(() -> verify(true));
        }
    }

    @Override
    public void disconnected() {
        lost = true;
        tracker.disconnected();
    }

    public void close() {
        closed.set(true);
        periodic.cancel(false);
    }

    private void signal() {
        long now = System.nanoTime();
        long next = nextSignalVerification;
        if (now - next >= 0) {
            nextSignalVerification = now + MIN_SPACING.toNanos();
            execute(() -> verify(true));
        }
    }

    /** One verification at a time; {@code signalled} ones also drain the pool when the shared connection is fine. */
    private void verify(boolean signalled) {
        StatefulConnection<String, String> connection = shared.current();
        if (closed.get() || connection == null || clusterMode.getAsBoolean() || !verifying.compareAndSet(false, true)) {
            return;
        }
        verifications.incrementAndGet();
        CompletableFuture<ReplicationRole> first = Prober.roundTrip(connection, true);
        Deadlines.failAfter(first, pingTimeout, "verification", timer).whenComplete((role, error) -> {
            if (error == null) {
                verified(role, signalled);
            } else if (Prober.unwrap(error) instanceof TimeoutException) {
                verifications.incrementAndGet();
                CompletableFuture<ReplicationRole> either = firstSuccess(first, Prober.roundTrip(connection, true));
                Deadlines.failAfter(either, pingTimeout.multipliedBy(2), "verification", timer)
                        .whenComplete((retried, again) -> {
                            if (again == null) {
                                verified(retried, signalled);
                            } else if (Prober.unwrap(again) instanceof TimeoutException) {
                                verifying.set(false);
                                hangVerdicts.incrementAndGet();
                                leave("it stopped answering (no reply to two verifications in "
                                        + Durations.format(pingTimeout.multipliedBy(3)) + ")");
                            } else {
                                verifying.set(
                                        false); // the socket dropped meanwhile: Lettuce reconnects, we verify then
                            }
                        });
            } else {
                verifying.set(false);
            }
        });
    }

    private void verified(ReplicationRole role, boolean signalled) {
        verifying.set(false);
        if (role == ReplicationRole.REPLICA && expectedRole == ExpectedRole.PRIMARY) {
            replicaVerdicts.incrementAndGet();
            leave("it is a replica, not the primary");
            return;
        }
        boolean moved;
        synchronized (this) {
            moved = leftAddress != null;
        }
        if (moved) {
            arrived();
        } else if (signalled) {
            // A READONLY while the shared connection is on the primary came from a pooled connection on another node.
            pool.drain();
        }
    }

    private void leave(String reason) {
        boolean first;
        synchronized (this) {
            if (closed.get()) {
                return;
            }
            long now = System.nanoTime();
            if (now - nextLeaveAllowed < 0) {
                if (!retryScheduled) {
                    retryScheduled = true;
                    schedule(
                            () -> {
                                synchronized (this) {
                                    retryScheduled = false;
                                }
                                verify(true);
                            },
                            nextLeaveAllowed - now);
                }
                return;
            }
            first = leftAddress == null;
            if (first) {
                leftAddress = shared.remoteAddress();
                leftBecause = reason;
                leftAt = now;
            } else if (!stuckLogged) {
                stuckLogged = true;
                log.warn(
                        "Redis endpoint {} still leads to an unusable node ({}); retrying with back-off up to {} s",
                        url,
                        reason,
                        MAX_BACKOFF.toSeconds());
            }
            attempts++;
            nextLeaveAllowed = now + backoff(attempts);
        }
        moves.incrementAndGet();
        if (first) {
            log.warn(
                    "Leaving Redis node {} behind {}: {}; reconnecting through the endpoint",
                    shared.remoteAddress(),
                    url,
                    reason);
            tracker.leavingNode(shared.remoteAddress() + ": " + reason);
        }
        pool.drain();
        if (!shared.dropChannel()) {
            log.debug("No socket to drop for Redis at {}", url);
        }
    }

    private void arrived() {
        String from;
        String because;
        long tookMillis;
        synchronized (this) {
            if (leftAddress == null) {
                return;
            }
            from = leftAddress;
            because = leftBecause;
            tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - leftAt);
            leftAddress = null;
            attempts = 0;
            stuckLogged = false;
            nextLeaveAllowed = System.nanoTime() + MIN_SPACING.toNanos();
        }
        String to = shared.remoteAddress();
        log.info(
                "Redis at {}: {} node {} in {} ms (left node {}: {})",
                url,
                from.equals(to) ? "back on" : "moved to",
                to,
                tookMillis,
                from,
                because);
        tracker.moved("from " + from + " to " + to + " (" + because + ")");
    }

    /** Full jitter over the upper half: never below the 1 s spacing, never above {@link #MAX_BACKOFF}. */
    private static long backoff(int attempt) {
        long ceiling = Math.min(MAX_BACKOFF.toNanos(), MIN_SPACING.toNanos() << Math.min(attempt - 1, 20));
        long floor = Math.max(MIN_SPACING.toNanos(), ceiling / 2);
        return floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1);
    }

    private static CompletableFuture<ReplicationRole> firstSuccess(
            CompletableFuture<ReplicationRole> a, CompletableFuture<ReplicationRole> b) {
        CompletableFuture<ReplicationRole> result = new CompletableFuture<>();
        AtomicLong failures = new AtomicLong();
        for (CompletableFuture<ReplicationRole> each : java.util.List.of(a, b)) {
            each.whenComplete((role, error) -> {
                if (error == null) {
                    result.complete(role);
                } else if (failures.incrementAndGet() == 2) {
                    result.completeExceptionally(error);
                }
            });
        }
        return result;
    }

    private void execute(Runnable task) {
        schedule(task, 0);
    }

    private void schedule(Runnable task, long delayNanos) {
        try {
            timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }
}
