package dev.redisintegration.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LogCaptureTest {

    private static final Logger LOG = LoggerFactory.getLogger(LogCaptureTest.class);
    private static final String NAME = LogCaptureTest.class.getName();

    @Test
    void capturesAtTheConfiguredLevelsByDefault() {
        // logback-test.xml: dev.redisintegration at INFO.
        try (LogCapture logs = LogCapture.start()) {
            LOG.debug("not captured");
            LOG.warn("captured {}", 1);

            assertThat(logs.lines()).containsExactly("WARN " + NAME + " captured 1");
            assertThat(logs.lines(Level.WARN, NAME)).containsExactly("captured 1");
        }
    }

    @Test
    void startAtALevelLowersTheRootLoggerUntilClosed() {
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        Logger other = LoggerFactory.getLogger("some.library");

        try (LogCapture logs = LogCapture.start(Level.TRACE)) {
            other.trace("secret-ish {}", "value");

            assertThat(logs.text()).isEqualTo("TRACE some.library secret-ish value");
            assertThat(root.getLevel()).isEqualTo(Level.TRACE);
        }
        assertThat(root.getLevel()).isEqualTo(before);
    }

    @Test
    void linesShowTheWholeCauseChainAndNothingIsCapturedAfterClose() {
        LogCapture logs = LogCapture.start();
        LOG.error("failed", new IllegalStateException("outer", new IOException("inner")));
        logs.close();
        LOG.error("after close");
        logs.close();

        assertThat(logs.lines())
                .containsExactly("ERROR " + NAME + " failed | java.lang.IllegalStateException: outer"
                        + " | java.io.IOException: inner");
        assertThat(logs.events()).hasSize(1);
    }
}
