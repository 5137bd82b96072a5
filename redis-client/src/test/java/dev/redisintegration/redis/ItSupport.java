package dev.redisintegration.redis;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** What the ITs share: waiting for a stage with a bound, and recording a manager's events. */
final class ItSupport {

    private ItSupport() {}

    /** The stage's value, waiting at most 10 s (a test that hangs fails instead). */
    static <T> T result(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Every event the manager publishes from now on, in order. */
    static List<ConnectionStateEvent> events(RedisConnectionManager manager) {
        List<ConnectionStateEvent> events = new CopyOnWriteArrayList<>();
        manager.subscribe(events::add);
        return events;
    }
}
