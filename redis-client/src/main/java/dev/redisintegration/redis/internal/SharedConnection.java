package dev.redisintegration.redis.internal;

import io.lettuce.core.Delegating;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.protocol.DefaultEndpoint;
import io.lettuce.core.resource.Delay;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one shared, multiplexed connection (a standalone connection, or a cluster connection): opened lazily
 * (concurrent first callers share one connect), retried in the background after a failed first connect, and followed
 * through Lettuce's reconnects. Its Lettuce object lives until
 * {@link #closeAsync()}: a forced reconnect ({@link #dropChannel()}) replaces only the socket, so command objects that
 * callers kept keep working.
 */
public final class SharedConnection implements RedisConnectionStateListener {

    /** What the failover logic wants to hear about the shared connection. */
    public interface Observer {
        /** The shared connection is (again) connected, to {@code remote}. */
        void connected(String remote);

        /** The shared connection lost its socket. */
        void disconnected();
    }

    private final Connector<StatefulConnection<String, String>> connector;
    private final ScheduledExecutorService timer;
    private final Delay retryDelay;
    private final AtomicReference<CompletableFuture<StatefulConnection<String, String>>> shared =
            new AtomicReference<>();
    private volatile StatefulConnection<String, String> connection;
    private volatile String remoteAddress = "unknown";
    private volatile SocketAddress remoteSocket;
    private volatile Observer observer;
    private final Map<RedisChannelHandler<?, ?>, SocketAddress> connectedAddresses =
            Collections.synchronizedMap(new WeakHashMap<>());
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger failedConnects = new AtomicInteger();
    private final AtomicBoolean retryScheduled = new AtomicBoolean();

    /**
     * @param retryDelay the back-off between background connects after a failed first connect: Lettuce's own
     *     reconnect delay from the client resources, so both follow one policy.
     */
    public SharedConnection(
            Connector<StatefulConnection<String, String>> connector, ScheduledExecutorService timer, Delay retryDelay) {
        this.connector = connector;
        this.timer = timer;
        this.retryDelay = retryDelay;
    }

    public void observe(Observer observer) {
        this.observer = observer;
    }

    /** The connection, connecting first if needed; a failed connect is forgotten, so the next call tries again. */
    public CompletableFuture<StatefulConnection<String, String>> get() {
        while (true) {
            CompletableFuture<StatefulConnection<String, String>> current = shared.get();
            if (current != null && !current.isCompletedExceptionally()) {
                return current;
            }
            if (closed.get()) {
                return CompletableFuture.failedFuture(new IllegalStateException("RedisConnectionManager is closed"));
            }
            CompletableFuture<StatefulConnection<String, String>> attempt = new CompletableFuture<>();
            if (shared.compareAndSet(current, attempt)) {
                connector.connect(this::adoptLate).whenComplete((opened, error) -> {
                    if (error != null) {
                        shared.compareAndSet(attempt, null);
                        attempt.completeExceptionally(error);
                        // Lettuce only reconnects a connection that once existed. Without this, a Redis that was absent
                        // at the
                        // first call and then appears would go unnoticed (no CONNECTED event) until some caller asked
                        // again.
                        scheduleRetry();
                    } else if (closed.get()) {
                        opened.closeAsync();
                        attempt.completeExceptionally(new IllegalStateException("RedisConnectionManager is closed"));
                    } else {
                        adopt(opened);
                        attempt.complete(opened);
                    }
                });
                return attempt;
            }
        }
    }

    /** The connection if one was opened and is connected now; never connects. */
    public StatefulConnection<String, String> current() {
        StatefulConnection<String, String> current = connection;
        return current != null && current.isOpen() ? current : null;
    }

    /** {@code true} while no connection was ever opened (the first connect may be under way). */
    public boolean neverConnected() {
        return connection == null;
    }

    /** The remote address of the current or last socket, e.g. {@code 10.0.0.5:6379}; safe to log. */
    public String remoteAddress() {
        return remoteAddress;
    }

    /** The remote socket address of the current or last socket, or {@code null} before the first. */
    public SocketAddress remoteSocket() {
        return remoteSocket;
    }

    /**
     * Closes the socket but not the connection: Lettuce's watchdog reconnects, resolving the endpoint's name again.
     * Commands in flight fail or are retried on the new socket by Lettuce; callers see either outcome.
     *
     * @return {@code true} if there was a socket to drop.
     */
    public boolean dropChannel() {
        StatefulConnection<String, String> current = connection;
        if (current instanceof RedisChannelHandler<?, ?> handler) {
            RedisChannelWriter writer = handler.getChannelWriter();
            while (writer instanceof Delegating<?> delegating
                    && delegating.getDelegate() instanceof RedisChannelWriter inner) {
                writer = inner;
            }
            if (writer instanceof DefaultEndpoint endpoint) {
                endpoint.disconnect();
                return true;
            }
        }
        return false;
    }

    public CompletableFuture<Void> closeAsync() {
        closed.set(true);
        CompletableFuture<StatefulConnection<String, String>> current = shared.getAndSet(null);
        if (current == null || !current.isDone() || current.isCompletedExceptionally()) {
            return CompletableFuture.completedFuture(null);
        }
        return current.join().closeAsync();
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress socketAddress) {
        if (handler == connection) {
            remoteSocket = socketAddress;
            remoteAddress = describe(socketAddress);
            notifyConnected();
        } else {
            // A first connect reports its address before connectAsync completes and the connection is adopted.
            connectedAddresses.put(handler, socketAddress);
        }
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
        Observer current = observer;
        if (handler == connection && !closed.get() && current != null) {
            current.disconnected();
        }
    }

    private void adopt(StatefulConnection<String, String> opened) {
        connection = opened;
        failedConnects.set(0);
        SocketAddress address = connectedAddresses.remove(opened);
        if (address != null) {
            remoteSocket = address;
            remoteAddress = describe(address);
        }
        if (opened.isOpen()) {
            notifyConnected();
        }
    }

    /**
     * A shared connect that finished after its deadline (the first connect in a JVM pays for Lettuce's one-time proxy
     * generation) is still a good connection: use it unless a newer attempt is under way.
     */
    private void adoptLate(StatefulConnection<String, String> late) {
        if (!closed.get() && shared.compareAndSet(null, CompletableFuture.completedFuture(late))) {
            adopt(late);
        } else {
            late.closeAsync();
        }
    }

    private void notifyConnected() {
        Observer current = observer;
        if (current != null && !closed.get()) {
            current.connected(remoteAddress);
        }
    }

    /** One retry chain at a time; an on-demand connect in between is shared with it. */
    private void scheduleRetry() {
        if (closed.get() || !retryScheduled.compareAndSet(false, true)) {
            return;
        }
        Duration delay = retryDelay.createDelay(failedConnects.incrementAndGet());
        try {
            timer.schedule(
                    () -> {
                        retryScheduled.set(false);
                        if (!closed.get() && shared.get() == null) {
                            get(); // on failure it schedules the next retry
                        }
                    },
                    delay.toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            retryScheduled.set(false); // closing
        }
    }

    static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
