package dev.redisintegration.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void shutdown() {
        scheduler.shutdownNow();
    }

    @Test
    void workThatNeverCompletesFailsWithTheDeadline() {
        CompletableFuture<String> never = new CompletableFuture<>();

        CompletableFuture<String> bounded =
                Deadlines.failAfter(never, Duration.ofMillis(1), "connect", scheduler, v -> {});

        assertThatThrownBy(() -> bounded.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseExactlyInstanceOf(java.util.concurrent.TimeoutException.class)
                .hasRootCauseMessage("connect timed out after 1 ms");
    }

    @Test
    void aLateResultIsHandedOverSoItCanBeClosed() throws Exception {
        CompletableFuture<String> late = new CompletableFuture<>();
        AtomicReference<String> handedOver = new AtomicReference<>();
        CompletableFuture<String> bounded =
                Deadlines.failAfter(late, Duration.ofMillis(1), "connect", scheduler, handedOver::set);
        assertThatThrownBy(() -> bounded.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);

        late.complete("connection");

        assertThat(handedOver).hasValue("connection");
    }

    @Test
    void completionInTimeCancelsTheTimer() throws Exception {
        scheduler.setRemoveOnCancelPolicy(true);
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletableFuture<String> bounded = Deadlines.failAfter(work, Duration.ofHours(1), "ping", scheduler, v -> {});

        work.complete("PONG");

        assertThat(bounded.get()).isEqualTo("PONG");
        assertThat(scheduler.getQueue()).isEmpty();
    }

    @Test
    void aFailureIsPassedThrough() {
        CompletableFuture<String> bounded = Deadlines.failAfter(
                CompletableFuture.failedFuture(new IllegalStateException("boom")),
                Duration.ofHours(1),
                "ping",
                scheduler,
                v -> {});

        assertThatThrownBy(bounded::get).hasRootCauseMessage("boom");
    }
}
