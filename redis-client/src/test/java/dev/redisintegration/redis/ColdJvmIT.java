package dev.redisintegration.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.RedisServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The first {@code ping()} of a new manager on a cold JVM against a healthy Redis is {@code true}: the connect (class
 * loading, native transport, handshake) is bounded by the connect timeout, not charged to the 500 ms ping budget. It
 * runs in a fresh JVM, since this test JVM is already warm.
 */
@ExtendWith(RedisServerExtension.class)
class ColdJvmIT {

    private static final Pattern RESULT = Pattern.compile("ping=(\\w+) probe=(\\w+) ms=(\\d+)");

    @Test
    void theFirstPingAndProbeOfAFreshJvmAreTrueWithinConnectPlusPingTimeout(RedisServer redis) throws Exception {
        Path output = Files.createTempFile("cold-jvm-", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        ColdJvmFirstPing.class.getName(),
                        redis.endpoint()))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS))
                    .as("the fresh JVM finished")
                    .isTrue();
        } finally {
            process.destroyForcibly();
        }
        String text = Files.readString(output);
        Files.deleteIfExists(output);
        Matcher result = RESULT.matcher(text);

        assertThat(process.exitValue()).as(text).isZero();
        assertThat(result.find()).as(text).isTrue();
        assertThat(result.group(1)).as("first ping: %s", text).isEqualTo("true");
        assertThat(result.group(2)).as("first probe: %s", text).isEqualTo("true");
        // The documented worst case of a first call: connect timeout (2 s) + ping timeout (500 ms).
        assertThat(Long.parseLong(result.group(3))).isLessThanOrEqualTo(2_500 + 200);
    }
}
