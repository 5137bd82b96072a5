package dev.redisintegration.examples.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.testing.redis.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link UsingTheLibraries} as its own process, configured the way the README says (environment variables only),
 * against a password-protected redis-server that the fixture starts on a free port.
 */
class UsingTheLibrariesIT {

  private static final String PASSWORD = "consumer-example-s3cret";
  private static final long RUN_TIMEOUT_SECONDS = 60;

  @Test
  void readmeExampleWritesToRedisPingsAndReportsReadinessUpWithoutShowingThePassword() throws Exception {
    try (RedisServer redis = RedisServer.builder().password(PASSWORD).build()) {
      Run run = runExample(Map.of("REDIS_PRIMARY_ENDPOINT", redis.endpoint(), "REDIS_PASSWORD", PASSWORD));

      assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isZero();
      assertThat(run.output().lines())
          .as("output")
          .contains("set: OK", "ping: true", "url: redis://:****@" + redis.endpoint(), "cached: hello")
          .anyMatch(line -> line.startsWith("readiness: UP "));
      assertThat(run.output()).as("output").doesNotContain(PASSWORD);
      assertThat(redis.command("GET", "key")).as("the value the example SET").isEqualTo("value");
      assertThat(redis.command("EXISTS", "team-x:greeting")).as("the value the cache wrote back").isEqualTo("1");
    }
  }

  private record Run(int exitCode, String output) {}

  /** {@code java -cp <this test's classpath> UsingTheLibraries} with only the given REDIS_* variables. */
  private static Run runExample(Map<String, String> env) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path output = Files.createTempFile("using-the-libraries", ".log");
    ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        UsingTheLibraries.class.getName())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    // Never the developer's Redis (a REDIS_PRIMARY_ENDPOINT=localhost:6379 in the shell), only the fixture's.
    builder.environment().keySet().removeIf(key -> key.startsWith("REDIS_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    try {
      if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("the example did not finish within " + RUN_TIMEOUT_SECONDS + " s; output:\n"
            + Files.readString(output, StandardCharsets.UTF_8));
      }
      return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
