package dev.redisintegration.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class FailureReasonsTest {

  private static final String SECRET = "hunter2-secret";
  private final FailureReasons reasons = new FailureReasons("cache.example", SECRET, Duration.ofSeconds(2));

  private static RedisConnectionException connectFailure(Throwable cause) {
    return new RedisConnectionException("Unable to connect to cache.example:6379", cause);
  }

  @Test
  void connectionRefusedAnywhereInTheChain() {
    assertThat(reasons.describe(new CompletionException(connectFailure(new ConnectException("Connection refused")))))
        .isEqualTo("connection refused");
  }

  @Test
  void unknownHostNamesTheHost() {
    assertThat(reasons.describe(connectFailure(new UnknownHostException("cache.example"))))
        .isEqualTo("unknown host cache.example");
  }

  @Test
  void wrongPasswordAndMissingPasswordAreAuthenticationFailures() {
    assertThat(reasons.describe(connectFailure(new RedisCommandExecutionException(
        "WRONGPASS invalid username-password pair or user is disabled."))))
        .isEqualTo("authentication failed (WRONGPASS: wrong user name or password)");
    assertThat(reasons.describe(new RedisCommandExecutionException("NOAUTH Authentication required.")))
        .isEqualTo("authentication failed (NOAUTH: Redis requires a password)");
  }

  @Test
  void tlsFailures() {
    assertThat(reasons.describe(connectFailure(new SSLHandshakeException("PKIX path building failed"))))
        .isEqualTo("TLS handshake failed (certificate not trusted or does not match the host)");
    assertThat(reasons.describe(connectFailure(new SSLHandshakeException("Received fatal alert"))))
        .isEqualTo("TLS handshake failed");
  }

  @Test
  void timeouts() {
    assertThat(reasons.describe(new java.util.concurrent.TimeoutException("connect timed out after 2000 ms")))
        .isEqualTo("connect timed out after 2000 ms");
    assertThat(reasons.describe(new RedisCommandTimeoutException("Command timed out after 2 second(s)")))
        .isEqualTo("command timed out after 2000 ms");
  }

  @Test
  void rejectedWhileDisconnected() {
    assertThat(reasons.describe(new RedisException("Currently not connected. Commands are rejected.")))
        .isEqualTo("not connected (reconnecting in the background)");
    assertThat(reasons.describe(new RedisException("Connection disconnected")))
        .isEqualTo("not connected (the connection dropped while the command waited)");
  }

  @Test
  void anythingElseIsShortAndNeverShowsThePassword() {
    String reason = reasons.describe(new RedisException("strange failure near " + SECRET + " " + "x".repeat(500)));

    assertThat(reason).startsWith("RedisException: strange failure near ****").doesNotContain(SECRET);
    assertThat(reason.length()).isLessThanOrEqualTo(201);
  }
}
