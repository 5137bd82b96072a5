package dev.redisintegration.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.testing.PublicApi;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The public surface: which types it has, and that no internal type reaches a caller through it. */
class PublicApiTest {

    private static final String INTERNAL = "dev.redisintegration.health.internal.";

    @Test
    void publicTypesAreTheDocumentedOnes() {
        assertThat(publicTypes())
                .extracting(Class::getSimpleName)
                .containsExactlyInAnyOrder(
                        "CachePolicy",
                        "CheckOptions",
                        "CheckReport",
                        "HealthCheck",
                        "HealthGroups",
                        "HealthRegistry",
                        "Builder",
                        "HealthReport",
                        "HealthResult",
                        "HealthStatus",
                        "Ticker",
                        "HealthObserver",
                        "StatusTransition");
    }

    @Test
    void noPublicSignatureMentionsAnInternalType() {
        assertThat(PublicApi.internalLeaks(HealthRegistry.class, INTERNAL)).isEmpty();
    }

    private static List<Class<?>> publicTypes() {
        return PublicApi.publicTypes(HealthRegistry.class);
    }
}
