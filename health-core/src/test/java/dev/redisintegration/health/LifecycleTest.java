package dev.redisintegration.health;

import static dev.redisintegration.health.Reports.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    @Test
    void closeShutsDownTheOwnedScheduler() {
        HealthRegistry registry = HealthRegistry.builder().build();
        ScheduledExecutorService owned = registry.scheduler();
        assertThat(owned.isShutdown()).isFalse();

        registry.close();

        assertThat(owned.isShutdown()).isTrue();
    }

    @Test
    void closeLeavesACallerSuppliedSchedulerRunning() {
        ScheduledExecutorService mine = Executors.newSingleThreadScheduledExecutor();
        try {
            HealthRegistry registry = HealthRegistry.builder().scheduler(mine).build();

            registry.close();

            assertThat(mine.isShutdown()).isFalse();
        } finally {
            mine.shutdownNow();
        }
    }

    @Test
    void closeIsIdempotent() {
        HealthRegistry registry = HealthRegistry.builder().build();

        registry.close();
        registry.close();

        assertThat(registry.scheduler().isShutdown()).isTrue();
    }

    @Test
    void closeAnswersRunningExecutionsSoNobodyWaitsForever() {
        FakeTime time = new FakeTime();
        HealthRegistry registry = HealthRegistry.builder()
                .ticker(time)
                .clock(time.clock())
                .scheduler(time.scheduler())
                .build();
        registry.register(ScriptedCheck.of("hung", CompletableFuture::new), CheckOptions.defaults());
        CompletionStage<HealthReport> report = registry.report();

        registry.close();

        CheckReport hung = only(report);
        assertThat(hung.result().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(hung.result().reason()).isEqualTo("health registry closed");
    }

    @Test
    void closedRegistryRefusesRequestsAndRegistrations() {
        HealthRegistry registry = HealthRegistry.builder().build();
        registry.close();

        assertThatThrownBy(registry::report)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> registry.report(HealthGroups.READINESS)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> registry.register(ScriptedCheck.answering("x", HealthResult.up())))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void ownedSchedulerRunsOnADaemonThread() throws Exception {
        try (HealthRegistry registry = HealthRegistry.builder().build()) {
            Thread thread = registry.scheduler().submit(Thread::currentThread).get();

            assertThat(thread.isDaemon()).isTrue();
            assertThat(thread.getName()).isEqualTo("health-registry-deadlines");
        }
    }
}
