package dev.redisintegration.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Small helpers to read stages that a test expects to be complete already. */
final class Reports {
    private Reports() {}

    static HealthReport done(CompletionStage<HealthReport> stage) {
        CompletableFuture<HealthReport> future = stage.toCompletableFuture();
        assertThat(future).as("report should be complete").isDone();
        assertThat(future).as("report must never complete exceptionally").isNotCompletedExceptionally();
        return future.join();
    }

    static CheckReport only(CompletionStage<HealthReport> stage) {
        HealthReport report = done(stage);
        assertThat(report.checks()).hasSize(1);
        return report.checks().values().iterator().next();
    }
}
