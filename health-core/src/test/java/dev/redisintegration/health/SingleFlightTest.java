package dev.redisintegration.health;

import static dev.redisintegration.health.Reports.done;
import static dev.redisintegration.health.Reports.only;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SingleFlightTest {
    private static final int CALLERS = 1_000;

    private final FakeTime time = new FakeTime();
    private final HealthRegistry registry = HealthRegistry.builder()
            .ticker(time)
            .clock(time.clock())
            .scheduler(time.scheduler())
            .build();
    private final ExecutorService callers = Executors.newFixedThreadPool(16);

    @AfterEach
    void close() throws InterruptedException {
        registry.close();
        callers.shutdownNow();
        assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void thousandConcurrentReportsShareExactlyOneExecution() throws Exception {
        ScriptedCheck check = ScriptedCheck.manual("redis");
        registry.register(check, CheckOptions.defaults());

        List<CompletionStage<HealthReport>> reports = requestConcurrently(registry::report);
        // Every caller has its stage; none is complete because the single execution has not answered yet.
        assertThat(check.calls()).isEqualTo(1);
        assertThat(reports)
                .allSatisfy(report -> assertThat(report.toCompletableFuture()).isNotDone());

        check.completeLatest(HealthResult.up());

        assertThat(reports)
                .allSatisfy(report -> assertThat(done(report).status()).isEqualTo(HealthStatus.UP));
        assertThat(check.calls()).isEqualTo(1);
    }

    @Test
    void groupAndFullReportsShareTheSameExecution() throws Exception {
        ScriptedCheck check = ScriptedCheck.manual("redis");
        registry.register(check, CheckOptions.defaults().withGroups(HealthGroups.READINESS, HealthGroups.LIVENESS));

        List<CompletionStage<HealthReport>> reports =
                requestConcurrently(() -> registry.report(HealthGroups.READINESS));
        reports.add(registry.report());
        reports.add(registry.report(HealthGroups.LIVENESS));
        check.completeLatest(HealthResult.down("refused"));

        assertThat(check.calls()).isEqualTo(1);
        assertThat(reports)
                .allSatisfy(report -> assertThat(done(report).status()).isEqualTo(HealthStatus.DOWN));
    }

    @Test
    void uncachedPolicyStillSharesTheRunningExecution() throws Exception {
        ScriptedCheck check = ScriptedCheck.manual("redis");
        registry.register(check, CheckOptions.defaults().withCachePolicy(CachePolicy.none()));

        List<CompletionStage<HealthReport>> reports = requestConcurrently(registry::report);
        check.completeLatest(HealthResult.up());
        assertThat(reports).allSatisfy(report -> done(report));
        assertThat(check.calls()).isEqualTo(1);

        // Once it has answered, nothing is kept: the next request runs the check again.
        registry.report();
        assertThat(check.calls()).isEqualTo(2);
    }

    @Test
    void expiredEntryIsRefreshedByOneExecutionForAllWaitingCallers() throws Exception {
        ScriptedCheck check = ScriptedCheck.manual("redis");
        registry.register(check, CheckOptions.defaults());
        CompletionStage<HealthReport> first = registry.report();
        check.completeLatest(HealthResult.up());
        only(first);

        time.advance(Duration.ofMinutes(5));
        List<CompletionStage<HealthReport>> reports = requestConcurrently(registry::report);
        assertThat(check.calls()).isEqualTo(2);
        check.completeLatest(HealthResult.up());

        assertThat(reports)
                .allSatisfy(report -> assertThat(only(report).cached()).isFalse());
    }

    @Test
    void timeoutAnswersEveryWaitingCaller() throws Exception {
        ScriptedCheck check = ScriptedCheck.manual("redis");
        registry.register(check, CheckOptions.defaults());

        List<CompletionStage<HealthReport>> reports = requestConcurrently(registry::report);
        time.advance(Duration.ofMillis(500));

        assertThat(check.calls()).isEqualTo(1);
        assertThat(reports)
                .allSatisfy(report -> assertThat(only(report).result().reason()).isEqualTo("timed out after 500 ms"));
    }

    /** Starts {@link #CALLERS} requests from a thread pool at once and returns when every request has returned. */
    private List<CompletionStage<HealthReport>> requestConcurrently(
            java.util.function.Supplier<CompletionStage<HealthReport>> request) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<CompletionStage<HealthReport>>> submitted = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            submitted.add(callers.submit(() -> {
                start.await();
                return request.get();
            }));
        }
        start.countDown();
        List<CompletionStage<HealthReport>> reports = new ArrayList<>();
        for (Future<CompletionStage<HealthReport>> future : submitted) {
            reports.add(future.get(30, TimeUnit.SECONDS));
        }
        return reports;
    }
}
