package dev.redisintegration.redis;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one {@link RedisConnectionManager#probe()}: a detailed ping for health checks.
 *
 * @param up {@code true} if Redis answered {@code PONG} within the ping timeout.
 * @param latency time from the start of the probe until the answer or the failure, never {@code null}.
 * @param failureReason a short, human, secret-free reason such as {@code "connection refused"} or
 *     {@code "timed out after 500 ms"}; {@code null} when {@code up}.
 * @param role the server's replication role; {@link ReplicationRole#UNKNOWN} when down or not reported.
 * @since 0.1
 */
public record RedisProbe(boolean up, Duration latency, @Nullable String failureReason, ReplicationRole role) {

  /**
   * Validates the components; {@code failureReason} must be present exactly when the probe failed.
   *
   * @param up see {@link #up()}.
   * @param latency see {@link #latency()}.
   * @param failureReason see {@link #failureReason()}.
   * @param role see {@link #role()}.
   */
  public RedisProbe {
    Objects.requireNonNull(latency, "latency must not be null");
    Objects.requireNonNull(role, "role must not be null");
    if (up && failureReason != null) {
      throw new IllegalArgumentException("a successful probe has no failure reason: " + failureReason);
    }
    if (!up && (failureReason == null || failureReason.isBlank())) {
      throw new IllegalArgumentException("a failed probe needs a failure reason");
    }
  }

  /**
   * A successful probe.
   *
   * @param latency the round trip, must not be {@code null}.
   * @param role the reported role, must not be {@code null}.
   * @return the probe.
   */
  public static RedisProbe up(Duration latency, ReplicationRole role) {
    return new RedisProbe(true, latency, null, role);
  }

  /**
   * A failed probe.
   *
   * @param latency the time until the failure, must not be {@code null}.
   * @param failureReason a short, secret-free reason, must not be blank.
   * @return the probe, with role {@link ReplicationRole#UNKNOWN}.
   */
  public static RedisProbe down(Duration latency, String failureReason) {
    return new RedisProbe(false, latency, failureReason, ReplicationRole.UNKNOWN);
  }
}
