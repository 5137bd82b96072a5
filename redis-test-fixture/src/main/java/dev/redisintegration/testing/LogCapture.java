package dev.redisintegration.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event of the JVM (the root logger) while open, so a test can assert what was logged, how often,
 * and that no secret ever was:
 *
 * <pre>{@code
 * try (LogCapture logs = LogCapture.start(Level.TRACE)) {    // every level, even where the config says INFO
 *   ...
 *   assertThat(logs.text()).doesNotContain(PASSWORD);
 *   assertThat(logs.lines(Level.WARN, "dev.redisintegration.redis.RedisConnectionManager")).hasSize(1);
 * }
 * }</pre>
 *
 * <p>Needs Logback as the SLF4J binding on the test's class path (the fixture declares it as an optional dependency,
 * so it does not bring it along). Loggers configured with a level of their own keep it: {@link #start(Level)} lowers the
 * root logger only. Thread-safe: events may arrive from any thread while the test reads.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Level previousLevel = root.getLevel();
    private final Queue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();
    private final Collector collector = new Collector();
    private final boolean changesLevel;

    private LogCapture(Level rootLevel) {
        changesLevel = rootLevel != null;
        collector.setContext(root.getLoggerContext());
        collector.setName("log-capture");
        collector.start();
        root.addAppender(collector);
        if (changesLevel) {
            root.setLevel(rootLevel);
        }
    }

    /**
     * Starts capturing at the levels the logging configuration sets.
     *
     * @return the capture; close it to stop.
     */
    public static LogCapture start() {
        return new LogCapture(null);
    }

    /**
     * Starts capturing with the root logger set to {@code rootLevel} until {@link #close()}, e.g. {@link Level#TRACE}
     * to prove that no secret is logged at any level.
     *
     * @param rootLevel the root logger's level while capturing.
     * @return the capture; close it to stop and restore the previous level.
     */
    public static LogCapture start(Level rootLevel) {
        return new LogCapture(Objects.requireNonNull(rootLevel, "rootLevel must not be null"));
    }

    /**
     * The events captured so far, in arrival order.
     *
     * @return a snapshot.
     */
    public List<ILoggingEvent> events() {
        return List.copyOf(events);
    }

    /**
     * Every captured event as one line: level, logger, formatted message, then {@code | Type: message} for each
     * throwable in the cause chain (where secrets hide as often as in messages).
     *
     * @return a snapshot, in arrival order.
     */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : events) {
            StringBuilder line = new StringBuilder(
                    event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /**
     * The formatted messages one logger logged at one level.
     *
     * @param level the exact level.
     * @param loggerName the logger's full name, e.g. a class name.
     * @return a snapshot, in arrival order.
     */
    public List<String> lines(Level level, String loggerName) {
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : events) {
            if (event.getLevel() == level && event.getLoggerName().equals(loggerName)) {
                lines.add(event.getFormattedMessage());
            }
        }
        return lines;
    }

    /**
     * All of {@link #lines()} in one string, one event per line: for {@code doesNotContain(secret)}.
     *
     * @return the text.
     */
    public String text() {
        return String.join("\n", lines());
    }

    /** Stops capturing and restores the root logger's level. Idempotent. */
    @Override
    public void close() {
        if (!collector.isStarted()) {
            return;
        }
        root.detachAppender(collector);
        collector.stop();
        if (changesLevel) {
            root.setLevel(previousLevel);
        }
    }

    private final class Collector extends AppenderBase<ILoggingEvent> {
        @Override
        protected void append(ILoggingEvent event) {
            // Formats the message now, while its arguments still hold the values they had when it was logged.
            event.prepareForDeferredProcessing();
            events.add(event);
        }
    }
}
