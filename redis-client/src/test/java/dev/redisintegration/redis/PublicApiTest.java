package dev.redisintegration.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.testing.PublicApi;
import org.junit.jupiter.api.Test;

/** The public surface: which types it has, and that no internal type reaches a caller through it. */
class PublicApiTest {

    @Test
    void publicTypesAreTheDocumentedOnes() {
        assertThat(PublicApi.publicTypes(RedisConnectionManager.class))
                .extracting(Class::getSimpleName)
                .containsExactlyInAnyOrder(
                        "ConnectionState",
                        "ConnectionStateEvent",
                        "ConnectionStateListener",
                        "ConnectionStateSubscription",
                        "ConnectionStats",
                        "ExpectedRole",
                        "Redis",
                        "RedisConnectionManager",
                        "RedisMode",
                        "RedisNode",
                        "RedisProbe",
                        "RedisSettings",
                        "Builder",
                        "ReplicationRole");
    }

    @Test
    void noPublicSignatureMentionsAnInternalType() {
        assertThat(PublicApi.internalLeaks(RedisConnectionManager.class, "dev.redisintegration.redis.internal."))
                .isEmpty();
    }
}
