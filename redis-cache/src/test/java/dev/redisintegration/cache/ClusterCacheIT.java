package dev.redisintegration.cache;

import static dev.redisintegration.cache.CacheItSupport.connected;
import static dev.redisintegration.cache.CacheItSupport.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.redis.RedisConnectionManager;
import dev.redisintegration.testing.LogCapture;
import dev.redisintegration.testing.redis.ClusterNode;
import dev.redisintegration.testing.redis.RedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** In a Redis Cluster: values in every slot's node, and invalidateAll() scanning every primary. */
class ClusterCacheIT {

    @Test
    void invalidateAllScansEveryPrimaryAndLeavesOtherNamespacesAlone() throws Exception {
        try (RedisCluster cluster = RedisCluster.builder()
                        .primaries(3)
                        .replicasPerPrimary(0)
                        .build();
                RedisConnectionManager manager = connected(cluster.seeds())) {
            RedisCache team = RedisCache.builder(manager)
                    .namespace("team")
                    .ttl(Duration.ofMinutes(1))
                    .deadline(Duration.ofSeconds(5))
                    .build();
            RedisCache teamX = RedisCache.builder(manager)
                    .namespace("team-x")
                    .ttl(Duration.ofMinutes(1))
                    .deadline(Duration.ofSeconds(5))
                    .build();
            List<CompletableFuture<?>> writes = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                writes.add(team.getOrLoad(
                                "k" + i,
                                ValueCodec.bytes(),
                                () -> CompletableFuture.completedFuture(new byte[] {(byte) 0xff, 0}))
                        .toCompletableFuture());
                writes.add(teamX.getOrLoad("k" + i, () -> CompletableFuture.completedFuture("x"))
                        .toCompletableFuture());
            }
            result(CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])));
            List<ClusterNode> primaries = cluster.primaries();
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> keys(cluster, primaries) == 1200);
            for (ClusterNode primary : primaries) {
                assertThat(Long.parseLong(cluster.command(primary, "DBSIZE")))
                        .as("keys on %s", primary.endpoint())
                        .isGreaterThan(100);
            }

            assertThat(result(team.invalidateAll())).isEqualTo(600);

            assertThat(keys(cluster, primaries)).isEqualTo(600);
            assertThat(result(teamX.getOrLoad("k7", CompletableFuture::new))).isEqualTo("x");
            for (ClusterNode primary : primaries) {
                assertThat(cluster.server(primary.port()).commandCount("keys")).isZero();
                assertThat(cluster.server(primary.port()).commandCount("scan")).isPositive();
            }
        }
    }

    @Test
    void aNearCacheOnAnAutoManagerThatFindsAClusterStaysOffAndSaysSoOnce() throws Exception {
        try (RedisCluster cluster = RedisCluster.builder()
                        .primaries(3)
                        .replicasPerPrimary(0)
                        .build();
                // One node's address and REDIS_MODE=auto (the default): the first connect finds the cluster.
                RedisConnectionManager manager = connected(cluster.seeds().split(",")[0]);
                LogCapture logs = LogCapture.start();
                RedisCache cache = RedisCache.builder(manager)
                        .namespace("near")
                        .ttl(Duration.ofMinutes(1))
                        .deadline(Duration.ofSeconds(5))
                        .nearCache(100)
                        .build()) {
            for (int i = 0; i < 5; i++) {
                assertThat(result(cache.getOrLoad("k", () -> CompletableFuture.completedFuture("v"))))
                        .isEqualTo("v");
            }

            assertThat(cache.stats().nearHits()).isZero();
            // One load: later calls were answered by Redis, or shared the first call's value while its write-back was
            // still under way (a cluster just formed answers its first write slowly).
            assertThat(cache.stats().loads()).isEqualTo(1);
            assertThat(cache.stats().failOpens()).isZero();
            assertThat(logs.lines())
                    .filteredOn(line -> line.contains("near cache of namespace 'near' stays off"))
                    .singleElement()
                    .asString()
                    .contains("Redis Cluster");
        }
    }

    private static long keys(RedisCluster cluster, List<ClusterNode> primaries) {
        return primaries.stream()
                .mapToLong(primary -> Long.parseLong(cluster.command(primary, "DBSIZE")))
                .sum();
    }
}
