package dev.redisintegration.health;

import static dev.redisintegration.health.Reports.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a {@link HealthObserver} is told: executions, cache hits and status changes, on fake time. */
class ObservationTest {

    private final FakeTime time = new FakeTime();
    private final Recorder observed = new Recorder();
    private final HealthRegistry registry = HealthRegistry.builder()
            .ticker(time)
            .clock(time.clock())
            .scheduler(time.scheduler())
            .observer(observed)
            .build();

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    @Test
    void anExecutionIsReportedWithItsLatencyAndACacheHitWithItsAge() {
        ScriptedCheck check = ScriptedCheck.manual("redis");
        registry.register(check, CheckOptions.defaults());

        CompletionStage<HealthReport> first = registry.report();
        time.advance(Duration.ofMillis(30));
        check.completeLatest(HealthResult.up());
        time.advance(Duration.ofSeconds(7));
        CheckReport second = only(registry.report());

        assertThat(only(first).cached()).isFalse();
        assertThat(second.cached()).isTrue();
        assertThat(observed.executions).containsExactly("redis UP 30 ms");
        assertThat(observed.cacheHits).containsExactly("redis UP age 7000 ms");
    }

    @Test
    void aDeadlineOverrunIsAnExecutionOfTheDeadline() {
        registry.register(ScriptedCheck.manual("redis"), CheckOptions.defaults());

        CompletionStage<HealthReport> report = registry.report();
        time.advance(Duration.ofMillis(500));

        assertThat(only(report).result().reason()).isEqualTo("timed out after 500 ms");
        assertThat(observed.executions).containsExactly("redis DOWN 500 ms");
    }

    @Test
    void requestsSharingOneExecutionAreReportedAsOneExecutionAndNoCacheHit() {
        ScriptedCheck check = ScriptedCheck.manual("redis");
        registry.register(check, CheckOptions.defaults());

        List<CompletionStage<HealthReport>> reports =
                IntStream.range(0, 100).mapToObj(i -> registry.report()).toList();
        check.completeLatest(HealthResult.up());

        assertThat(reports)
                .allSatisfy(report -> assertThat(only(report).status()).isEqualTo(HealthStatus.UP));
        assertThat(check.calls()).isEqualTo(1);
        assertThat(observed.executions).hasSize(1);
        assertThat(observed.cacheHits).isEmpty();
    }

    @Test
    void transitionsSayFromToWhenWhyAndHowLongThePreviousStatusLasted() {
        ScriptedCheck check = ScriptedCheck.answering("redis", HealthResult.up());
        time.advance(Duration.ofSeconds(2));
        registry.register(check, CheckOptions.defaults());
        time.advance(Duration.ofSeconds(3));
        registry.report(); // first result: UP, 3 s after registration

        time.advance(Duration.ofMinutes(2));
        check.answer(HealthResult.down("connection refused"));
        registry.invalidate("redis");
        registry.report(); // UP -> DOWN after 2 min

        time.advance(Duration.ofSeconds(10));
        check.answer(HealthResult.down("timed out after 500 ms"));
        registry.invalidate("redis");
        registry.report(); // still DOWN, another reason: no transition

        time.advance(Duration.ofSeconds(20));
        check.answer(HealthResult.up());
        registry.invalidate("redis");
        registry.report(); // DOWN -> UP after 30 s

        assertThat(observed.transitions)
                .containsExactly(
                        new StatusTransition(
                                "redis",
                                null,
                                HealthStatus.UP,
                                FakeTime.START.plusSeconds(5),
                                null,
                                Duration.ofSeconds(3)),
                        new StatusTransition(
                                "redis",
                                HealthStatus.UP,
                                HealthStatus.DOWN,
                                FakeTime.START.plusSeconds(125),
                                "connection refused",
                                Duration.ofMinutes(2)),
                        new StatusTransition(
                                "redis",
                                HealthStatus.DOWN,
                                HealthStatus.UP,
                                FakeTime.START.plusSeconds(155),
                                null,
                                Duration.ofSeconds(30)));
        assertThat(observed.executions).hasSize(4);
    }

    @Test
    void aLateAnswerOfAnOlderExecutionNeverOverridesANewerOne() {
        ScriptedCheck check = ScriptedCheck.manual("redis");
        registry.register(check, CheckOptions.defaults());
        registry.report();
        registry.invalidate("redis"); // the first execution is now detached
        registry.report();

        check.complete(1, HealthResult.down("connection refused"));
        check.complete(0, HealthResult.up()); // late and stale: must not turn the status back to UP

        assertThat(observed.executions).containsExactly("redis DOWN 0 ms", "redis UP 0 ms");
        assertThat(observed.transitions).extracting(StatusTransition::to).containsExactly(HealthStatus.DOWN);
    }

    @Test
    void aDetachedExecutionThatAnswersFirstStillSetsTheStatus() {
        ScriptedCheck check = ScriptedCheck.manual("redis");
        registry.register(check, CheckOptions.defaults());
        registry.report();
        registry.invalidate("redis"); // e.g. the connection came up while it ran
        registry.report();

        // The detached execution answers first: it is the newest answer there is, so it is the status...
        check.complete(0, HealthResult.up());
        // ... until the newer execution answers.
        check.complete(1, HealthResult.down("connection refused"));

        assertThat(observed.transitions)
                .extracting(StatusTransition::from, StatusTransition::to)
                .containsExactly(tuple(null, HealthStatus.UP), tuple(HealthStatus.UP, HealthStatus.DOWN));
    }

    @Test
    void theObserverIsToldBeforeTheWaitingRequestGetsItsAnswer() {
        ScriptedCheck check = ScriptedCheck.manual("redis");
        registry.register(check, CheckOptions.defaults());
        CompletableFuture<HealthReport> report = registry.report().toCompletableFuture();
        List<Boolean> answeredWhenTold = new ArrayList<>();
        observed.onEvent = () -> answeredWhenTold.add(report.isDone());

        check.completeLatest(HealthResult.up());

        assertThat(answeredWhenTold).containsExactly(false, false); // onExecution, then onTransition
        assertThat(report).isCompletedWithValueMatching(HealthReport::isUp);
    }

    @Test
    void anObserverThatThrowsNeverAffectsAReport() {
        observed.onEvent = () -> {
            throw new IllegalStateException("observer bug");
        };
        registry.register(ScriptedCheck.answering("redis", HealthResult.up()), CheckOptions.defaults());

        assertThat(only(registry.report()).cached()).isFalse();
        assertThat(only(registry.report()).cached()).isTrue();
        assertThat(observed.executions).hasSize(1);
        assertThat(observed.cacheHits).hasSize(1);
    }

    @Test
    void aRegistryWithoutObserverWorksAsBefore() {
        try (HealthRegistry plain = HealthRegistry.builder()
                .ticker(time)
                .clock(time.clock())
                .scheduler(time.scheduler())
                .build()) {
            plain.register(ScriptedCheck.answering("redis", HealthResult.up()), CheckOptions.defaults());

            assertThat(only(plain.report()).cached()).isFalse();
            assertThat(only(plain.report()).cached()).isTrue();
        }
    }

    @Test
    void aTransitionChangesTheStatusAndLastsNoNegativeTime() {
        assertThatThrownBy(() -> new StatusTransition(
                        "redis", HealthStatus.UP, HealthStatus.UP, FakeTime.START, null, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both UP");
        assertThatThrownBy(() -> new StatusTransition(
                        "redis", null, HealthStatus.UP, FakeTime.START, null, Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("previousDuration must not be negative");
        assertThatThrownBy(() -> HealthRegistry.builder().observer(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("observer must not be null");
    }

    /** Records every call as a short line; runs {@link #onEvent} first, so a test can look or throw. */
    private static final class Recorder implements HealthObserver {
        final List<String> executions = new CopyOnWriteArrayList<>();
        final List<String> cacheHits = new CopyOnWriteArrayList<>();
        final List<StatusTransition> transitions = new CopyOnWriteArrayList<>();
        volatile Runnable onEvent = () -> {};

        @Override
        public void onExecution(String check, HealthResult result, Duration latency) {
            executions.add(check + " " + result.status() + " " + latency.toMillis() + " ms");
            onEvent.run();
        }

        @Override
        public void onCacheHit(String check, HealthResult result, Duration age) {
            cacheHits.add(check + " " + result.status() + " age " + age.toMillis() + " ms");
            onEvent.run();
        }

        @Override
        public void onTransition(StatusTransition transition) {
            transitions.add(transition);
            onEvent.run();
        }
    }
}
