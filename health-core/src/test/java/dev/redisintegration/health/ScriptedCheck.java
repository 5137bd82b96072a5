package dev.redisintegration.health;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** A check that counts its executions and answers as the test tells it to. */
final class ScriptedCheck implements HealthCheck {
    private final String name;
    private final AtomicInteger calls = new AtomicInteger();
    private final List<CompletableFuture<HealthResult>> pending = new CopyOnWriteArrayList<>();
    private volatile Supplier<CompletionStage<HealthResult>> answer;

    private ScriptedCheck(String name, Supplier<CompletionStage<HealthResult>> answer) {
        this.name = name;
        this.answer = answer;
    }

    /** Answers each execution at once with {@code result}. */
    static ScriptedCheck answering(String name, HealthResult result) {
        return new ScriptedCheck(name, () -> CompletableFuture.completedFuture(result));
    }

    /** Returns a new incomplete future per execution; complete it with {@link #completeLatest(HealthResult)}. */
    static ScriptedCheck manual(String name) {
        ScriptedCheck check = new ScriptedCheck(name, null);
        check.answer = () -> {
            CompletableFuture<HealthResult> future = new CompletableFuture<>();
            check.pending.add(future);
            return future;
        };
        return check;
    }

    static ScriptedCheck of(String name, Supplier<CompletionStage<HealthResult>> answer) {
        return new ScriptedCheck(name, answer);
    }

    void answer(HealthResult result) {
        answer = () -> CompletableFuture.completedFuture(result);
    }

    void completeLatest(HealthResult result) {
        pending.get(pending.size() - 1).complete(result);
    }

    void complete(int execution, HealthResult result) {
        pending.get(execution).complete(result);
    }

    int calls() {
        return calls.get();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletionStage<HealthResult> check() {
        calls.incrementAndGet();
        return answer.get();
    }
}
