package dev.redisintegration.examples.consumer;

import static java.util.concurrent.TimeUnit.SECONDS;

import dev.redisintegration.cache.RedisCache;
import dev.redisintegration.health.CheckOptions;
import dev.redisintegration.health.HealthCheck;
import dev.redisintegration.health.HealthGroups;
import dev.redisintegration.health.HealthRegistry;
import dev.redisintegration.health.HealthReport;
import dev.redisintegration.health.HealthResult;
import dev.redisintegration.redis.Redis;
import dev.redisintegration.redis.RedisConnectionManager;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The root README's "Using the libraries" example as a program another team could write. The lines between the
 * snippet markers are the README's code block, character for character ({@code ReadmeSnippetTest} fails when they
 * differ); {@link #main} runs them against {@code REDIS_PRIMARY_ENDPOINT} and prints one {@code name: value} line per
 * result.
 */
public final class UsingTheLibraries {

  private UsingTheLibraries() {}

  /**
   * Runs the example and prints its results.
   *
   * @param args ignored.
   * @throws Exception when a step fails or takes longer than 10 s (the process then exits non-zero).
   */
  public static void main(String[] args) throws Exception {
    // The first connect of a cold JVM (class loading of Lettuce and Netty) can take longer than the 500 ms bounds the
    // example shows; connect first, so the example runs as it would in a warm service.
    RedisConnectionManager.getInstance().getClient().toCompletableFuture().get(10, SECONDS);

    // snippet-start: using-the-libraries
    // redis-client: one shared, multiplexed connection per process
    RedisConnectionManager redis = RedisConnectionManager.getInstance();  // from REDIS_PRIMARY_ENDPOINT etc.
    CompletionStage<String> set = redis.getClient()                        // CompletionStage: never blocks
        .thenCompose(commands -> commands.set("key", "value"));
    CompletionStage<Boolean> ping = redis.ping();                          // never fails: false after 500 ms (+ connect timeout on a first call)
    String url = Redis.getConnectionUrl();                                 // "redis://:****@host:6379" (static facade)

    // health-core: any dependency as a bounded, cached check
    HealthRegistry registry = HealthRegistry.builder().build();
    registry.register(HealthCheck.of("redis", () -> redis.probe().thenApply(p ->
        p.up() ? HealthResult.up() : HealthResult.down(p.failureReason()))), CheckOptions.defaults());
    CompletionStage<HealthReport> readiness = registry.report(HealthGroups.READINESS);

    // redis-cache: cache-aside on the same connection; fails open (the loader answers when Redis cannot)
    RedisCache cache = RedisCache.builder(redis).namespace("team-x").ttl(Duration.ofMinutes(10)).build();
    CompletionStage<String> greeting = cache.getOrLoad("greeting", () -> CompletableFuture.completedFuture("hello"));
    // snippet-end

    try {
      System.out.println("set: " + set.toCompletableFuture().get(10, SECONDS));
      System.out.println("ping: " + ping.toCompletableFuture().get(10, SECONDS));
      System.out.println("url: " + url);
      System.out.println("cached: " + greeting.toCompletableFuture().get(10, SECONDS));
      HealthReport report = readiness.toCompletableFuture().get(10, SECONDS);
      System.out.println("readiness: " + report.status() + " " + report.checks());
    } finally {
      registry.close();
      Redis.close();
    }
  }
}
