package dev.redisintegration.bench.jmh;

import dev.redisintegration.redis.RedisConnectionManager;
import dev.redisintegration.redis.RedisSettings;
import dev.redisintegration.redis.internal.LettuceConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * redis-client against raw Lettuce: one GET or SET round trip per operation, awaited, on one thread.
 *
 * <p>Both sides use the settings redis-client derives from the environment (same {@link RedisURI} timeouts,
 * same {@link ClientOptions}), so the difference is what redis-client adds: its {@code getClient()} lookup
 * per call and whatever it wraps around the connection.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class ClientVsLettuceBenchmark {

  private static final String KEY = "bench:client-vs-lettuce";
  private static final String VALUE = "v".repeat(64);

  /** Redis under test, {@code host:port}; bench/run passes a fresh server's (never 6379). */
  @Param("")
  public String endpoint;

  private RedisConnectionManager manager;
  private ClientResources resources;
  private RedisClient lettuce;
  private StatefulRedisConnection<String, String> lettuceConnection;
  private RedisAsyncCommands<String, String> raw;

  @Setup(Level.Trial)
  public void connect() {
    if (endpoint.isBlank() || endpoint.endsWith(":6379")) {
      throw new IllegalArgumentException("pass -p endpoint=host:port of a benchmark Redis (not 6379), got '" + endpoint + "'");
    }
    RedisSettings settings = RedisSettings.fromEnvironment(Map.of(RedisSettings.ENV_ENDPOINT, endpoint));
    manager = RedisConnectionManager.create(settings);
    manager.getClient().toCompletableFuture().join().set(KEY, VALUE).toCompletableFuture().join();

    // Exactly redis-client's mapping of the settings (its internal LettuceConfig): same URI timeouts and
    // client name, same ClientOptions (timeouts, keepalive, reject-while-disconnected), same-sized resources.
    // No name server of its own (the system's resolver) and no latency recorder: what create(settings) uses.
    resources = LettuceConfig.resources(settings, null, CommandLatencyRecorder.disabled());
    lettuce = RedisClient.create(resources, LettuceConfig.redisUri(settings));
    lettuce.setOptions(LettuceConfig.clientOptions(settings));
    lettuceConnection = lettuce.connect();
    raw = lettuceConnection.async();
  }

  @TearDown(Level.Trial)
  public void close() {
    lettuceConnection.close();
    lettuce.shutdown();
    resources.shutdown();
    manager.close();
  }

  @Benchmark
  public String redisClientGet() {
    return manager.getClient().thenCompose(c -> c.get(KEY)).toCompletableFuture().join();
  }

  @Benchmark
  public String redisClientSet() {
    return manager.getClient().thenCompose(c -> c.set(KEY, VALUE)).toCompletableFuture().join();
  }

  /**
   * What redis-client adds to every call, alone: the {@code getClient()} lookup of the shared connection and the
   * composition onto its already-completed stage, without the network round trip (a completed stage stands in for
   * the command). Compared with one round trip it tells how far below 1.0x the ratio can possibly go.
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public String redisClientOverheadOnly() {
    return manager.getClient().thenCompose(c -> DONE).toCompletableFuture().join();
  }

  private static final java.util.concurrent.CompletionStage<String> DONE =
      java.util.concurrent.CompletableFuture.completedFuture("OK");

  @Benchmark
  public String lettuceGet() {
    return raw.get(KEY).toCompletableFuture().join();
  }

  @Benchmark
  public String lettuceSet() {
    return raw.set(KEY, VALUE).toCompletableFuture().join();
  }
}
