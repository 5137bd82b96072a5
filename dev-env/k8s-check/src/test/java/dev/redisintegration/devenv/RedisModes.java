package dev.redisintegration.devenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.redisintegration.redis.RedisSettings;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code REDIS_MODE} ({@code standalone|sentinel|cluster|auto}) is announced for redis-client's Redis Cluster and
 * Sentinel support. The manifests may set it already; once {@link RedisSettings} lists it among the variables it reads,
 * the client itself validates mode and endpoint here, until then the documented endpoint forms do.
 */
final class RedisModes {

    static final String ENV_MODE = "REDIS_MODE";
    static final Set<String> MODES = Set.of("standalone", "sentinel", "cluster", "auto");

    private static final String HOST_PORT = "(?:[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+]):(?:[1-9][0-9]{0,4})";
    /** Cluster seeds: {@code host:port[,host:port...]}. */
    static final Pattern SEEDS = Pattern.compile(HOST_PORT + "(?:," + HOST_PORT + ")*");
    /** {@code redis-sentinel://[[user]:password@]host[:port][,host[:port]...][/db]#master}. */
    static final Pattern SENTINEL = Pattern.compile("redis-sentinel://(?:[^@/#]*@)?"
            + "(?:[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+])(?::[1-9][0-9]{0,4})?"
            + "(?:,(?:[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+])(?::[1-9][0-9]{0,4})?)*(?:/[0-9]+)?#[A-Za-z0-9._-]+");

    private RedisModes() {
    }

    /** Whether redis-client already reads {@code REDIS_MODE}. */
    static boolean clientReadsMode() {
        return RedisSettings.environmentVariables().contains(ENV_MODE);
    }

    /**
     * Asserts that the client accepts these variables: through {@link RedisSettings#fromEnvironment} for a standalone
     * endpoint or once the client reads {@code REDIS_MODE}, else by the documented form of the mode's endpoint.
     */
    static void assertAccepted(Map<String, String> env, String where) {
        String mode = env.getOrDefault(ENV_MODE, "standalone");
        assertThat(mode).as("%s in %s", ENV_MODE, where).isIn(MODES);
        String endpoint = env.get(RedisSettings.ENV_ENDPOINT);
        if (clientReadsMode() || mode.equals("standalone")) {
            assertThatCode(() -> RedisSettings.fromEnvironment(env))
                    .as("the client accepts %s (%s)", env, where)
                    .doesNotThrowAnyException();
        } else if (mode.equals("cluster")) {
            assertThat(endpoint).as("cluster seeds in %s", where).matches(SEEDS);
        } else if (mode.equals("sentinel")) {
            assertThat(endpoint).as("Sentinel endpoint in %s", where).matches(SENTINEL);
        } else {
            assertThat(endpoint).as("an endpoint of any form (auto) in %s", where)
                    .satisfiesAnyOf(e -> assertThat(e).matches(SEEDS), e -> assertThat(e).matches(SENTINEL),
                            e -> assertThatCode(() -> RedisSettings.fromEnvironment(Map.of(RedisSettings.ENV_ENDPOINT, e)))
                                    .doesNotThrowAnyException());
        }
    }
}
