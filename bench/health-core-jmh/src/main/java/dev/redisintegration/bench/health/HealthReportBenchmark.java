package dev.redisintegration.bench.health;

import dev.redisintegration.health.CachePolicy;
import dev.redisintegration.health.CheckOptions;
import dev.redisintegration.health.HealthCheck;
import dev.redisintegration.health.HealthRegistry;
import dev.redisintegration.health.HealthReport;
import dev.redisintegration.health.HealthResult;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cost of {@link HealthRegistry#report()} itself, without any I/O:
 * <ul>
 *   <li>{@code cachedReport}: one check whose UP result is in the cache (the common case of a probe hit every few
 *       seconds against a 5-minute success TTL);</li>
 *   <li>{@code uncachedReportOfTenChecks}: ten checks with {@link CachePolicy#none()} that answer at once, so each call
 *       runs all ten (single-flight bookkeeping, result stamping, aggregation).</li>
 * </ul>
 * Both join the returned stage, which is already complete on return in these set-ups.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HealthReportBenchmark {

    private static final CompletableFuture<HealthResult> UP =
            CompletableFuture.completedFuture(HealthResult.up(Map.of("role", "PRIMARY")));

    /** A registry with one check, already cached. */
    @State(Scope.Benchmark)
    public static class Cached {
        HealthRegistry registry;

        @Setup(Level.Trial)
        public void setUp() {
            registry = HealthRegistry.builder().build();
            registry.register(HealthCheck.of("redis", () -> UP), CheckOptions.defaults());
            registry.report().toCompletableFuture().join();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            registry.close();
        }
    }

    /** A registry with ten uncached checks that answer immediately. */
    @State(Scope.Benchmark)
    public static class TenUncached {
        HealthRegistry registry;

        @Setup(Level.Trial)
        public void setUp() {
            registry = HealthRegistry.builder().build();
            CheckOptions uncached = CheckOptions.defaults().withCachePolicy(CachePolicy.none());
            for (int i = 0; i < 10; i++) {
                registry.register(HealthCheck.of("check-" + i, () -> UP), uncached);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            registry.close();
        }
    }

    @Benchmark
    public HealthReport cachedReport(Cached state) {
        return join(state.registry.report());
    }

    @Benchmark
    public HealthReport uncachedReportOfTenChecks(TenUncached state) {
        return join(state.registry.report());
    }

    private static HealthReport join(CompletionStage<HealthReport> report) {
        return report.toCompletableFuture().join();
    }
}
