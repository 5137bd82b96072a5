package dev.redisintegration.bench.cache;

import dev.redisintegration.cache.RedisCache;
import dev.redisintegration.redis.RedisConnectionManager;
import dev.redisintegration.redis.RedisSettings;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A cache hit against a raw {@code GET} of the same key on the same shared connection (target: the hit at least
 * 0.9x the raw GET's throughput), and a near-cache hit against the remote hit (target: at least 100x). One thread,
 * each operation awaited, so throughput is 1 / latency.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CacheHitBenchmark {

  private static final String KEY = "user:42";
  private static final String VALUE = "v".repeat(64);
  private static final Supplier<CompletionStage<String>> LOADER =
      () -> CompletableFuture.failedFuture(new IllegalStateException("a hit must not load"));

  /** Redis under test, {@code host:port}; bench/cache.sh passes a fresh server's (never 6379). */
  @Param("")
  public String endpoint;

  private RedisConnectionManager manager;
  private RedisClusterAsyncCommands<String, String> commands;
  private RedisCache cache;
  private RedisCache nearCache;
  private String redisKey;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    if (endpoint.isBlank() || endpoint.endsWith(":6379")) {
      throw new IllegalArgumentException("pass -p endpoint=host:port of a benchmark Redis (not 6379), got '" + endpoint + "'");
    }
    manager = RedisConnectionManager.create(
        RedisSettings.fromEnvironment(Map.of(RedisSettings.ENV_ENDPOINT, endpoint)));
    commands = manager.getClient().toCompletableFuture().get(10, TimeUnit.SECONDS);
    // An hour: no early refresh while measuring (XFetch only refreshes near expiry).
    // A deadline far above any hiccup of a shared machine: this measures the hit path, not fail-open.
    cache = RedisCache.builder(manager).namespace("bench").ttl(Duration.ofHours(1)).deadline(Duration.ofSeconds(2)).build();
    nearCache = RedisCache.builder(manager).namespace("bench").ttl(Duration.ofHours(1)).deadline(Duration.ofSeconds(2)).nearCache(1_000).build();
    cache.getOrLoad(KEY, () -> CompletableFuture.completedFuture(VALUE)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    redisKey = cache.namespace() + ":" + KEY;
    // The near cache sets up tracking in the background on first use; read until it answers without a round trip.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (nearCache.stats().nearHits() == 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the near cache did not come on within 10 s");
      }
      nearCache.getOrLoad(KEY, LOADER).toCompletableFuture().get(10, TimeUnit.SECONDS);
      Thread.sleep(10);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    nearCache.close();
    manager.close();
  }

  /** The baseline: {@code GET} of the cache's key on the shared connection the cache uses. */
  @Benchmark
  public String rawGet() {
    return commands.get(redisKey).toCompletableFuture().join();
  }

  /** A hit from Redis: one GET, decoded, with single-flight, the deadline and the XFetch decision around it. */
  @Benchmark
  public String cacheHit() {
    return cache.getOrLoad(KEY, LOADER).toCompletableFuture().join();
  }

  /** A hit from the near cache: no round trip. */
  @Benchmark
  public String nearCacheHit() {
    return nearCache.getOrLoad(KEY, LOADER).toCompletableFuture().join();
  }
}
