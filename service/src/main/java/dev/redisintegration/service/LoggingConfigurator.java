package dev.redisintegration.service;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * The service's logging configuration, in code instead of a {@code logback.xml}: logback finds it as a service
 * ({@code META-INF/services/ch.qos.logback.classic.spi.Configurator}) before it would look for an XML file, so no
 * XML parser and none of logback's Joran classes are loaded at start (about 300 classes and a sixth of the main
 * thread's start-up CPU, docs/startup.md). Read at every start, as the XML was:
 *
 * <ul>
 *   <li>{@code LOG_FORMAT=json}: one JSON object per line (logback's own {@link JsonEncoder}): level, loggerName,
 *       threadName, formattedMessage, mdc, throwable, timestamp. Anything else, or unset: one human line per event.
 *       Secrets never reach a log in either format: Redis URLs are logged masked only, and message arguments are not
 *       written separately.
 *   <li>{@code LOG_LEVEL}: the root level, {@code INFO} when unset or not a level name. Lettuce, Netty and
 *       Micronaut's property resolver stay capped (below) at every level.
 * </ul>
 *
 * Both are read as logback read them: a system property first, then the environment. A configuration file named
 * with {@code -Dlogback.configurationFile=...} still wins: this configurator then steps aside.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LoggingConfigurator extends ContextAwareBase implements Configurator {

    /** The human format: one line per event. */
    static final String PATTERN = "%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n";

    /**
     * Loggers capped whatever {@code LOG_LEVEL} says. At DEBUG/TRACE Lettuce and Netty log command arguments and raw
     * bytes, AUTH's password included, and Micronaut logs "Resolved value [...]" for every property. Lettuce's
     * reconnect attempts and failures: redis-client already logs the state change once (WARN when Redis goes away,
     * INFO when it is back), so one outage is one line, not one per attempt. Lettuce's cluster topology refresh warns
     * on every refresh while a failed node stays in the node table; the client's probe and events report the
     * cluster's state once per change.
     */
    static final Map<String, Level> CAPPED = Map.of(
            "io.lettuce", Level.INFO,
            "io.netty", Level.INFO,
            "io.lettuce.core.protocol.ConnectionWatchdog", Level.ERROR,
            "io.lettuce.core.protocol.ReconnectionHandler", Level.ERROR,
            "io.lettuce.core.cluster.topology.DefaultClusterTopologyRefresh", Level.ERROR,
            "io.micronaut.context.env", Level.INFO,
            "io.micronaut.context.DefaultApplicationContext$RuntimeConfiguredEnvironment", Level.INFO);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        configure(context, setting("LOG_FORMAT"), setting("LOG_LEVEL"));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Configures {@code context}: one console appender named {@code STDOUT} on the root logger, the caps.
     *
     * @param logFormat {@code json} for JSON lines, anything else (or null) for the human format.
     * @param logLevel the root level's name; null or not a level name: INFO.
     */
    static void configure(LoggerContext context, String logFormat, String logLevel) {
        Encoder<ILoggingEvent> encoder = "json".equals(logFormat) ? jsonEncoder() : patternEncoder(context);
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("STDOUT");
        appender.setEncoder(encoder);
        appender.start();

        CAPPED.forEach((name, level) -> context.getLogger(name).setLevel(level));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(logLevel, Level.INFO));
        root.addAppender(appender);
    }

    private static Encoder<ILoggingEvent> jsonEncoder() {
        JsonEncoder json = new JsonEncoder();
        // The formatted message only: the raw pattern and its arguments would say everything twice.
        json.setWithMessage(false);
        json.setWithArguments(false);
        json.setWithFormattedMessage(true);
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.setWithContext(false);
        return json;
    }

    private static Encoder<ILoggingEvent> patternEncoder(LoggerContext context) {
        PatternLayoutEncoder pattern = new PatternLayoutEncoder();
        pattern.setContext(context);
        pattern.setPattern(PATTERN);
        return pattern;
    }

    private static String setting(String name) {
        String value = System.getProperty(name);
        return value != null ? value : System.getenv(name);
    }
}
