package dev.redisintegration.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.redisintegration.redis.ConnectionState;
import dev.redisintegration.redis.ConnectionStateEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ConnectionStateTrackerTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    private final ConnectionStateTracker tracker =
            new ConnectionStateTracker("redis://cache:6379", Clock.fixed(NOW, ZoneOffset.UTC));
    private final List<ConnectionStateEvent> events = new ArrayList<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.redisintegration.redis.RedisConnectionManager");
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void capture() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logs);
    }

    private List<String> logLines(Level level) {
        return logs.list.stream()
                .filter(e -> e.getLevel() == level)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void changesAreSentOnceAndLoggedOnce() {
        tracker.subscribe(events::add);

        tracker.connected();
        tracker.connected();
        tracker.disconnected();
        tracker.disconnected();
        tracker.reconnectFailed("connection refused", 1);
        tracker.reconnectFailed("connection refused", 2);
        tracker.connected();

        assertThat(events)
                .extracting(ConnectionStateEvent::state)
                .containsExactly(
                        ConnectionState.CONNECTED,
                        ConnectionState.DISCONNECTED,
                        ConnectionState.RECONNECT_FAILED,
                        ConnectionState.RECONNECT_FAILED,
                        ConnectionState.CONNECTED);
        assertThat(events.get(3))
                .isEqualTo(new ConnectionStateEvent(
                        ConnectionState.RECONNECT_FAILED, NOW, "attempt 2: connection refused"));
        assertThat(logLines(Level.WARN))
                .containsExactly("Lost the connection to Redis at redis://cache:6379; reconnecting in the background");
        assertThat(logLines(Level.INFO))
                .containsExactly(
                        "Connected to Redis at redis://cache:6379", "Redis at redis://cache:6379 is reachable again");
    }

    @Test
    void reconnectFailuresWhileUpAreIgnored() {
        tracker.subscribe(events::add);
        tracker.connected();

        tracker.reconnectFailed("connection refused", 1);

        assertThat(events).extracting(ConnectionStateEvent::state).containsExactly(ConnectionState.CONNECTED);
    }

    @Test
    void failedConnectsWarnOncePerOutageAndSendAnEventPerAttempt() {
        tracker.subscribe(events::add);

        tracker.connectFailed("connection refused");
        tracker.connectFailed("connection refused");

        assertThat(events)
                .containsExactly(
                        new ConnectionStateEvent(ConnectionState.CONNECT_FAILED, NOW, "connection refused"),
                        new ConnectionStateEvent(ConnectionState.CONNECT_FAILED, NOW, "connection refused"));
        assertThat(logLines(Level.WARN))
                .containsExactly("Cannot connect to Redis at redis://cache:6379: connection refused");
        assertThat(tracker.lastFailure()).isEqualTo("connection refused");
    }

    @Test
    void aThrowingListenerDoesNotStopTheOthers() {
        tracker.subscribe(event -> {
            throw new IllegalStateException("broken");
        });
        tracker.subscribe(events::add);

        tracker.connected();

        assertThat(events).hasSize(1);
        assertThat(logLines(Level.WARN)).containsExactly("A Redis connection-state listener failed on CONNECTED");
    }

    @Test
    void closedSubscriptionAndClosedTrackerSendNothing() {
        tracker.subscribe(events::add).close();
        tracker.connected();
        assertThat(events).isEmpty();

        tracker.subscribe(events::add);
        tracker.close();
        tracker.disconnected();
        assertThat(events).isEmpty();
    }
}
