package dev.redisintegration.redis.internal;

import dev.redisintegration.redis.ConnectionState;
import dev.redisintegration.redis.ConnectionStateEvent;
import dev.redisintegration.redis.ConnectionStateListener;
import dev.redisintegration.redis.ConnectionStateSubscription;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Lettuce's per-connection signals into {@link ConnectionStateEvent}s for subscribers and logs only state
 * changes: WARN once when Redis goes away, INFO once when it is back, DEBUG for every repeated failure.
 */
public final class ConnectionStateTracker {

    private static final Logger log = LoggerFactory.getLogger("dev.redisintegration.redis.RedisConnectionManager");

    private enum Health {
        UNKNOWN,
        UP,
        DOWN
    }

    private final String url;
    private final Clock clock;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<Health> health = new AtomicReference<>(Health.UNKNOWN);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile String lastFailure;
    /** Between leavingNode and moved: the drop and the reconnect are ours, logged by the move, not as an outage. */
    private volatile boolean moving;

    public ConnectionStateTracker(String maskedUrl, Clock clock) {
        this.url = maskedUrl;
        this.clock = clock;
    }

    public ConnectionStateSubscription subscribe(ConnectionStateListener listener) {
        Listener registration = new Listener(Objects.requireNonNull(listener, "listener must not be null"));
        listeners.add(registration);
        return registration;
    }

    /** The shared connection is (again) usable. */
    public void connected() {
        Health previous = health.getAndSet(Health.UP);
        if (previous == Health.UP || closed.get()) {
            return;
        }
        lastFailure = null;
        if (moving) {
            log.debug("Reconnected to Redis at {} after leaving a node", url);
        } else if (previous == Health.DOWN) {
            log.info("Redis at {} is reachable again", url);
        } else {
            log.info("Connected to Redis at {}", url);
        }
        publish(ConnectionState.CONNECTED, null);
    }

    /** The shared connection lost its link; Lettuce reconnects. */
    public void disconnected() {
        if (closed.get()) {
            return;
        }
        Health previous = health.getAndSet(Health.DOWN);
        if (previous == Health.UP) {
            if (!moving) {
                log.warn("Lost the connection to Redis at {}; reconnecting in the background", url);
            }
            publish(ConnectionState.DISCONNECTED, null);
        }
    }

    /** A background reconnect attempt failed (only meaningful while down). */
    public void reconnectFailed(String reason, int attempt) {
        if (closed.get() || health.get() != Health.DOWN) {
            return;
        }
        lastFailure = reason;
        log.debug("Reconnect attempt {} to Redis at {} failed: {}", attempt, url, reason);
        publish(ConnectionState.RECONNECT_FAILED, "attempt " + attempt + ": " + reason);
    }

    /** A connect failed (no connection existed yet): log once per outage, an event per attempt. */
    public void connectFailed(String reason) {
        if (closed.get()) {
            return;
        }
        lastFailure = reason;
        Health previous = health.getAndSet(Health.DOWN);
        if (previous != Health.DOWN) {
            log.warn("Cannot connect to Redis at {}: {}", url, reason);
        } else {
            log.debug("Connecting to Redis at {} failed again: {}", url, reason);
        }
        publish(ConnectionState.CONNECT_FAILED, reason);
    }

    /** The manager is leaving the node named in {@code detail} (the caller logged it). */
    public void leavingNode(String detail) {
        if (closed.get()) {
            return;
        }
        moving = true;
        publish(ConnectionState.LEAVING_NODE, detail);
    }

    /** The shared connection is verified on a usable node again (the caller logged it). */
    public void moved(String detail) {
        if (closed.get()) {
            return;
        }
        moving = false;
        publish(ConnectionState.MOVED, detail);
    }

    /** The most recent failure reason while down, or {@code null}. */
    public String lastFailure() {
        return lastFailure;
    }

    public void close() {
        closed.set(true);
        listeners.clear();
    }

    private void publish(ConnectionState state, String detail) {
        ConnectionStateEvent event = new ConnectionStateEvent(state, clock.instant(), detail);
        for (Listener listener : listeners) {
            try {
                listener.delegate.onEvent(event);
            } catch (RuntimeException | LinkageError e) {
                // One broken subscriber must not starve the others (or Lettuce's event thread).
                log.warn("A Redis connection-state listener failed on {}", state, e);
            }
        }
    }

    private final class Listener implements ConnectionStateSubscription {
        private final ConnectionStateListener delegate;

        private Listener(ConnectionStateListener delegate) {
            this.delegate = delegate;
        }

        @Override
        public void close() {
            listeners.remove(this);
        }
    }
}
