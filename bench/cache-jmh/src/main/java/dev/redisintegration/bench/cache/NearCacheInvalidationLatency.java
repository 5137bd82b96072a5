package dev.redisintegration.bench.cache;

import dev.redisintegration.cache.RedisCache;
import dev.redisintegration.redis.RedisConnectionManager;
import dev.redisintegration.redis.RedisSettings;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How long after another client's write the near cache stops serving the old value: a second manager (another
 * "pod") deletes the key; the time from sending the {@code DEL} until this cache's invalidation counter is seen to move
 * is one sample (an upper bound: it includes the DEL's own trip and the polling step of up to ~60 us as parked). Then the key is written back and read until
 * the near cache holds it again. Prints the percentiles in microseconds and one JSON line.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.redisintegration.bench.cache.NearCacheInvalidationLatency host:port
 * [samples]}
 */
public final class NearCacheInvalidationLatency {

  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args[0].endsWith(":6379")) {
      throw new IllegalArgumentException("usage: NearCacheInvalidationLatency host:port [samples] (not 6379)");
    }
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    RedisSettings settings = RedisSettings.fromEnvironment(Map.of(RedisSettings.ENV_ENDPOINT, args[0]));
    try (RedisConnectionManager pod = RedisConnectionManager.create(settings);
        RedisConnectionManager writerPod = RedisConnectionManager.create(settings);
        RedisCache cache = RedisCache.builder(pod).namespace("latency").ttl(Duration.ofHours(1)).nearCache(100).build()) {
      RedisClusterAsyncCommands<String, String> writer = writerPod.getClient().toCompletableFuture().get(10, TimeUnit.SECONDS);
      long[] nanos = new long[samples];
      for (int i = -200; i < samples; i++) { // 200 rounds of warm-up
        hold(cache);
        long invalidations = cache.stats().nearInvalidations();
        long sent = System.nanoTime();
        writer.del("latency:k");
        while (cache.stats().nearInvalidations() == invalidations) {
          // Parks 10 us at a time rather than spinning: on two cores a spinning thread would take the CPU that
          // Redis and the Lettuce threads need to deliver the invalidation (the figure includes up to this step).
          LockSupport.parkNanos(10_000);
          if (System.nanoTime() - sent > TimeUnit.SECONDS.toNanos(5)) {
            throw new IllegalStateException("no invalidation within 5 s");
          }
        }
        long took = System.nanoTime() - sent;
        if (i >= 0) {
          nanos[i] = took;
        }
      }
      Arrays.sort(nanos);
      System.out.printf(
          "near-cache invalidation latency over %d samples: p50 %d us, p90 %d us, p99 %d us, max %d us%n",
          samples, micros(nanos, 0.50), micros(nanos, 0.90), micros(nanos, 0.99), nanos[samples - 1] / 1000);
      System.out.printf(
          "{\"samples\":%d,\"p50_us\":%d,\"p90_us\":%d,\"p99_us\":%d,\"max_us\":%d}%n",
          samples, micros(nanos, 0.50), micros(nanos, 0.90), micros(nanos, 0.99), nanos[samples - 1] / 1000);
    }
  }

  /**
   * Loads the key and reads it until the near cache answers it, and still does 1 ms later with no invalidation in
   * between (the write-back's own invalidation must not be taken for the next sample's).
   */
  private static void hold(RedisCache cache) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      long invalidations = cache.stats().nearInvalidations();
      long hits = cache.stats().nearHits();
      read(cache);
      Thread.sleep(1);
      read(cache);
      if (cache.stats().nearHits() == hits + 2 && cache.stats().nearInvalidations() == invalidations) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the near cache did not hold the key within 10 s");
      }
    }
  }

  private static void read(RedisCache cache) throws Exception {
    cache.getOrLoad("k", () -> CompletableFuture.completedFuture("value")).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static long micros(long[] sorted, double quantile) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1000;
  }
}
