package dev.redisintegration.health.internal;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Short, human reasons for results the registry makes DOWN on a check's behalf. */
final class Reasons {
    static final String RETURNED_NULL = "check returned null";
    static final String COMPLETED_WITH_NULL = "check completed with null";
    static final String CANCELLED = "check was cancelled";
    static final String REGISTRY_CLOSED = "health registry closed";
    static final String SCHEDULER_REJECTED = "deadline timer rejected: scheduler is shut down";

    private static final int MAX_MESSAGE_LENGTH = 200;

    private Reasons() {}

    static String timedOut(Duration deadline) {
        return "timed out after " + format(deadline);
    }

    static String threw(Throwable error) {
        return "check threw " + describe(error);
    }

    static String failed(Throwable error) {
        return "check failed with " + describe(error);
    }

    static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis >= 1 && duration.equals(Duration.ofMillis(millis))) {
            return millis + " ms";
        }
        return millis >= 1 ? duration.toNanos() / 1_000 + " µs" : duration.toNanos() + " ns";
    }

    private static String describe(Throwable error) {
        String type = error.getClass().getSimpleName().isEmpty()
                ? error.getClass().getName()
                : error.getClass().getSimpleName();
        String message = error.getMessage();
        if (message == null || message.isBlank()) {
            return type;
        }
        // First line only, bounded: a reason is a probe answer, not a stack trace.
        String firstLine = message.strip().lines().findFirst().orElse("");
        if (firstLine.length() > MAX_MESSAGE_LENGTH) {
            firstLine = firstLine.substring(0, MAX_MESSAGE_LENGTH) + "...";
        }
        return type + ": " + firstLine;
    }
}
