package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.netty.util.Version;
import org.junit.jupiter.api.Test;

/**
 * The application runs the Lettuce and Netty that redis-client is built and tested with: micronaut-platform manages
 * both (for its own modules) and would otherwise downgrade them here without a word.
 */
class DependencyVersionsTest {

    @Test
    void lettuceIsTheOneRedisClientIsBuiltWith() {
        assertThat(RedisClient.class.getPackage().getSpecificationVersion()).isEqualTo("7.7");
    }

    @Test
    void everyNettyArtifactIsOneVersion() {
        assertThat(Version.identify().values())
                .extracting(Version::artifactVersion)
                .containsOnly("4.2.13.Final");
    }
}
