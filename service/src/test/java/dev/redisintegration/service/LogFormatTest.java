package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * The service's logging configuration ({@link LoggingConfigurator}) in both formats: the human default, and
 * LOG_FORMAT=json (one JSON object per line with level, logger, thread, message, MDC and exception); the root level
 * from LOG_LEVEL and the caps. PackagedJarIT checks the same on the real jar's output.
 */
class LogFormatTest {

    private static final String URL = "redis://:****@cache:6379";

    @Test
    void theDefaultIsOneHumanLinePerEvent() {
        String line = encode(null, event());

        assertThat(line.lines().findFirst().orElseThrow())
                .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} .*")
                .endsWith(" WARN  [redis-io] d.r.redis.RedisConnectionManager - Lost the connection to Redis at " + URL
                        + "; reconnecting in the background");
        assertThat(line).contains("java.io.IOException: connection reset");
    }

    @Test
    void anyOtherValueKeepsTheHumanFormat() {
        assertThat(encode("text", event())).startsWith("20").doesNotStartWith("{");
        assertThat(encode("JSON", event())).startsWith("20").doesNotStartWith("{");
    }

    @Test
    void jsonIsOneObjectPerLineWithLevelLoggerThreadMessageMdcAndException() throws IOException {
        String line = encode("json", event());

        assertThat(line).endsWith("\n");
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("level").asText()).isEqualTo("WARN");
        assertThat(json.get("loggerName").asText()).isEqualTo("dev.redisintegration.redis.RedisConnectionManager");
        assertThat(json.get("threadName").asText()).isEqualTo("redis-io");
        assertThat(json.get("formattedMessage").asText())
                .isEqualTo("Lost the connection to Redis at " + URL + "; reconnecting in the background");
        assertThat(json.get("mdc").get("requestId").asText()).isEqualTo("r-42");
        assertThat(json.get("throwable").get("className").asText()).isEqualTo("java.io.IOException");
        assertThat(json.get("throwable").get("message").asText()).isEqualTo("connection reset");
        assertThat(json.has("timestamp")).isTrue();
        // The message once: not the raw pattern, not its arguments beside it, not logback's context.
        assertThat(json.has("message")).isFalse();
        assertThat(json.has("arguments")).isFalse();
        assertThat(json.has("context")).isFalse();
    }

    @Test
    void logbackFindsTheConfiguratorAsAService() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
                .contains(LoggingConfigurator.class);
    }

    @Test
    void theRootLevelComesFromLogLevelAndTheCapsHoldAtEveryLevel() {
        assertThat(configured(null, null).getLogger(Logger.ROOT_LOGGER_NAME).getLevel())
                .isEqualTo(Level.INFO);
        assertThat(configured(null, "not-a-level")
                        .getLogger(Logger.ROOT_LOGGER_NAME)
                        .getLevel())
                .isEqualTo(Level.INFO);
        LoggerContext trace = configured(null, "TRACE");
        assertThat(trace.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.TRACE);
        assertThat(trace.getLogger("io.lettuce.core.RedisClient").getEffectiveLevel())
                .isEqualTo(Level.INFO);
        assertThat(trace.getLogger("io.netty.channel.DefaultChannelPipeline").getEffectiveLevel())
                .isEqualTo(Level.INFO);
        assertThat(trace.getLogger("io.micronaut.context.env.DefaultEnvironment")
                        .getEffectiveLevel())
                .isEqualTo(Level.INFO);
        assertThat(trace.getLogger("io.lettuce.core.protocol.ConnectionWatchdog")
                        .getEffectiveLevel())
                .isEqualTo(Level.ERROR);
        assertThat(trace.getLogger("dev.redisintegration.redis.RedisConnectionManager")
                        .getEffectiveLevel())
                .isEqualTo(Level.TRACE);
        trace.stop();
    }

    private static LoggingEvent event() {
        LoggerContext context = new LoggerContext();
        Logger logger = context.getLogger("dev.redisintegration.redis.RedisConnectionManager");
        LoggingEvent event = new LoggingEvent(
                Logger.class.getName(),
                logger,
                Level.WARN,
                "Lost the connection to Redis at {}; reconnecting in the background",
                new java.io.IOException("connection reset"),
                new Object[] {URL});
        event.setThreadName("redis-io");
        event.setMDCPropertyMap(Map.of("requestId", "r-42"));
        return event;
    }

    /** A fresh logback context configured as the service configures its own. */
    private static LoggerContext configured(String logFormat, String logLevel) {
        LoggerContext context = new LoggerContext();
        LoggingConfigurator.configure(context, logFormat, logLevel);
        return context;
    }

    /** Configures a fresh logback context as the service does and encodes one event with its appender. */
    @SuppressWarnings("unchecked")
    private static String encode(String logFormat, ILoggingEvent event) {
        LoggerContext context = configured(logFormat, null);
        assertThat(context.getStatusManager().getCopyOfStatusList())
                .as("logback configuration warnings and errors")
                .noneMatch(status -> status.getLevel() >= Status.WARN);
        OutputStreamAppender<ILoggingEvent> appender = (OutputStreamAppender<ILoggingEvent>)
                context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
        Encoder<ILoggingEvent> encoder = appender.getEncoder();
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        context.stop();
        return line;
    }
}
