package dev.redisintegration.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.redisintegration.health.StatusTransition;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code GET /health/history}: the last status changes of each check, newest first.
 *
 * @param checks each check by name, in name order, with up to {@link HealthHistory#CAPACITY} transitions.
 * @param generatedAt when the answer was assembled.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record HistoryView(Map<String, List<TransitionView>> checks, Instant generatedAt) {

    static HistoryView of(Map<String, List<StatusTransition>> history, Instant generatedAt) {
        Map<String, List<TransitionView>> checks = new LinkedHashMap<>();
        history.forEach((check, transitions) ->
                checks.put(check, transitions.stream().map(TransitionView::of).toList()));
        return new HistoryView(checks, generatedAt);
    }

    /**
     * One status change.
     *
     * @param from the status before; absent for the check's first result.
     * @param to the status after.
     * @param at when the execution that made the change finished.
     * @param reason the new result's reason; absent when UP.
     * @param previousDurationMs how long the previous status lasted (for the first result: since the check was
     *                           registered).
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TransitionView(String from, String to, Instant at, String reason, long previousDurationMs) {

        static TransitionView of(StatusTransition transition) {
            return new TransitionView(
                    transition.from() == null ? null : transition.from().name(),
                    transition.to().name(),
                    transition.at(),
                    transition.reason(),
                    transition.previousDuration().toMillis());
        }
    }
}
