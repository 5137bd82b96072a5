package dev.redisintegration.reliability;

import dev.redisintegration.testing.HttpProbe.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Every answer of one path of the service, asked every 50 ms from a thread of its own while a scenario runs, with the
 * {@link System#nanoTime()} it arrived: which status the service gave when, next to the fault's own timeline.
 */
final class AnswerLog implements AutoCloseable {

    private static final Duration INTERVAL = Duration.ofMillis(50);

    /** One answer; {@code response} is null when the request failed ({@code error} says how). */
    record Answer(long nanos, Response response, String error) {
        int status() {
            return response == null ? -1 : response.status();
        }
    }

    private final ScheduledExecutorService executor;
    private final List<Answer> answers = new ArrayList<>();

    private AnswerLog(ServiceProcess service, String path) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "answer-log " + path);
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(
                () -> {
                    Answer answer;
                    try {
                        answer = new Answer(0, Http.get(service, path), null);
                    } catch (IOException | RuntimeException e) {
                        answer = new Answer(0, null, e.toString());
                    }
                    synchronized (this) {
                        answers.add(new Answer(System.nanoTime(), answer.response(), answer.error()));
                    }
                },
                0,
                INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Starts asking {@code path} at once. */
    static AnswerLog start(ServiceProcess service, String path) {
        return new AnswerLog(service, path);
    }

    synchronized List<Answer> answers() {
        return List.copyOf(answers);
    }

    /** The first answer after {@code sinceNanos} that satisfies {@code condition}. */
    Optional<Answer> first(Predicate<Answer> condition, long sinceNanos) {
        return answers().stream()
                .filter(a -> a.nanos() > sinceNanos && condition.test(a))
                .findFirst();
    }

    /** The answers that arrived from {@code fromNanos} to {@code toNanos}. */
    List<Answer> between(long fromNanos, long toNanos) {
        return answers().stream()
                .filter(a -> a.nanos() >= fromNanos && a.nanos() <= toNanos)
                .toList();
    }

    /** The slowest answer so far. */
    Duration slowest() {
        return answers().stream()
                .filter(a -> a.response() != null)
                .map(a -> a.response().elapsed())
                .max(Duration::compareTo)
                .orElse(Duration.ZERO);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(Http.DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
