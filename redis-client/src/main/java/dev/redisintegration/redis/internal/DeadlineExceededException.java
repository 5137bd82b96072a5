package dev.redisintegration.redis.internal;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Our own deadline fired before Lettuce answered (it may still be connecting). Message is the human reason. */
public final class DeadlineExceededException extends TimeoutException {

  private static final long serialVersionUID = 1L;

  public DeadlineExceededException(String what, Duration timeout) {
    super(what + " timed out after " + Durations.format(timeout));
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this; // an expected outcome, not a bug: the stack trace is noise
  }
}
