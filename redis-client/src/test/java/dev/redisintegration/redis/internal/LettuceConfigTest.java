package dev.redisintegration.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.redisintegration.redis.RedisSettings;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions.RefreshTrigger;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LettuceConfigTest {

    private static final String PASSWORD = "data-secret";
    private static final String SENTINEL_PASSWORD = "sentinel-secret";

    private static RedisSettings settings(Map<String, String> env) {
        return RedisSettings.fromEnvironment(env);
    }

    @Test
    void aSentinelUriListsEverySentinelWithTheirPasswordAndTheDataNodesSettings() {
        RedisURI uri = LettuceConfig.redisUri(settings(Map.of(
                RedisSettings.ENV_ENDPOINT,
                "redis-sentinel://:" + PASSWORD + "@s1,s2:5000/3#orders",
                RedisSettings.ENV_SENTINEL_PASSWORD,
                SENTINEL_PASSWORD)));

        assertThat(uri.getSentinelMasterId()).isEqualTo("orders");
        assertThat(uri.getSentinels())
                .extracting(RedisURI::getHost, RedisURI::getPort)
                .containsExactly(tuple("s1", 26379), tuple("s2", 5000));
        assertThat(uri.getSentinels())
                .allSatisfy(sentinel -> assertThat(new String(sentinel.getCredentialsProvider()
                                .resolveCredentials()
                                .block()
                                .getPassword()))
                        .isEqualTo(SENTINEL_PASSWORD));
        assertThat(new String(uri.getCredentialsProvider()
                        .resolveCredentials()
                        .block()
                        .getPassword()))
                .isEqualTo(PASSWORD);
        assertThat(uri.getDatabase()).isEqualTo(3);
        assertThat(uri.getClientName()).isEqualTo("redis-integration");
    }

    @Test
    void withoutASentinelPasswordTheSentinelsGetTheDataNodesOne() {
        RedisURI uri = LettuceConfig.redisUri(settings(Map.of(
                RedisSettings.ENV_ENDPOINT, "redis-sentinel://s1#orders", RedisSettings.ENV_PASSWORD, PASSWORD)));

        assertThat(new String(uri.getSentinels()
                        .get(0)
                        .getCredentialsProvider()
                        .resolveCredentials()
                        .block()
                        .getPassword()))
                .isEqualTo(PASSWORD);
    }

    @Test
    void clusterSeedsCarryTlsAndCredentials() {
        List<RedisURI> seeds = LettuceConfig.clusterSeeds(
                settings(Map.of(RedisSettings.ENV_ENDPOINT, "rediss://app:" + PASSWORD + "@n1:7000,n2:7001")));

        assertThat(seeds).extracting(RedisURI::getHost).containsExactly("n1", "n2");
        assertThat(seeds).allSatisfy(seed -> {
            assertThat(seed.isSsl()).isTrue();
            assertThat(seed.getCredentialsProvider()
                            .resolveCredentials()
                            .block()
                            .getUsername())
                    .isEqualTo("app");
        });
    }

    @Test
    void clusterOptionsRefreshOnEveryTriggerPeriodicallyAndKeepTheStandaloneOnes() {
        RedisSettings settings = settings(
                Map.of(RedisSettings.ENV_ENDPOINT, "n1:7000,n2:7000", RedisSettings.ENV_COMMAND_TIMEOUT, "3s"));

        ClusterClientOptions options = LettuceConfig.clusterClientOptions(settings);
        ClusterTopologyRefreshOptions refresh = options.getTopologyRefreshOptions();

        assertThat(refresh.getAdaptiveRefreshTriggers()).isEqualTo(EnumSet.allOf(RefreshTrigger.class));
        assertThat(refresh.getAdaptiveRefreshTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(refresh.isPeriodicRefreshEnabled()).isTrue();
        assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(10));
        assertThat(refresh.isCloseStaleConnections()).isTrue();
        assertThat(options.getDisconnectedBehavior()).isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
        assertThat(options.getTimeoutOptions().isTimeoutCommands()).isTrue();
        assertThat(options.getSocketOptions().getConnectTimeout()).isEqualTo(settings.connectTimeout());
        assertThat(options.getSocketOptions().isKeepAlive()).isTrue();
    }
}
