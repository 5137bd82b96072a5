package dev.redisintegration.bench.peer;

import io.micronaut.runtime.Micronaut;

/** Stock Micronaut app: management /health with micronaut-redis-lettuce's RedisHealthIndicator, untouched. */
public final class PeerApplication {

  private PeerApplication() {
  }

  public static void main(String[] args) {
    Micronaut.run(PeerApplication.class, args);
  }
}
