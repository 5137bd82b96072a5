package dev.redisintegration.reliability;

import static dev.redisintegration.reliability.ReliabilityReport.ms;
import static dev.redisintegration.reliability.Scenarios.ANSWER_BUDGET;
import static dev.redisintegration.reliability.Scenarios.awaitReply;
import static dev.redisintegration.reliability.Scenarios.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.reliability.Scenarios.Observation;
import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.SwitchingProxy;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redis that accepts the connection but does not answer in time: paused with SIGSTOP, or slowed by a proxy.
 * TTLs are 1 s so the cached UP expires and the check really meets the hung server.
 */
@Timeout(120)
class HungRedisIT {

    private static final Duration UNDER_LOAD = Duration.ofSeconds(3);
    private static final int CONCURRENCY = 8;

    @Test
    void pausedRedisNeverHoldsAnAnswerLongerThanOneSecondAndRecoversAfterSigcont() {
        try (RedisServer redis = RedisServer.start();
                ServiceProcess service = ServiceProcess.start("paused", Scenarios.env(redis.endpoint(), "1s", "1s"));
                LoadDriver load = new LoadDriver()) {
            Observation up =
                    awaitReply(service, "/health", r -> r.status() == 200, Duration.ofSeconds(15), System.nanoTime());
            assertThat(up.met())
                    .as("precondition: /health 200; last replies:\n%s", up.lastReplies())
                    .isTrue();

            redis.pause();
            long paused = System.nanoTime();
            LoadDriver.Result during;
            Observation down;
            try {
                down = awaitReply(service, "/health", r -> r.status() == 503, Duration.ofSeconds(10), paused);
                during = load.run(service.baseUri(), Http.HEALTH_PATHS, Integer.MAX_VALUE, CONCURRENCY, UNDER_LOAD);
            } finally {
                redis.resume();
            }
            long resumed = System.nanoTime();
            Observation back = awaitReply(service, "/health", r -> r.status() == 200, Duration.ofSeconds(15), resumed);

            Duration max = max(down.maxLatency(), during.maxLatency());
            boolean met = down.met()
                    && within(max, ANSWER_BUDGET)
                    && onlyExpectedStatuses(during)
                    && during.connectionErrors() == 0
                    && during.timeouts() == 0
                    && back.met();
            ReliabilityReport.record(
                    "Redis paused (SIGSTOP), cache expired (TTLs 1 s)",
                    "every /health* response within 1 s; after SIGCONT back to 200",
                    "503 " + (down.met() ? ms(down.elapsed()) : "never") + " after SIGSTOP, reason "
                            + (down.met() ? Scenarios.reasonOf(down.matched()) : "-") + "; max latency " + ms(max)
                            + " over " + (down.seen().size() + during.requests()) + " answers while paused; 200 "
                            + (back.met() ? ms(back.elapsed()) : "not within 15 s") + " after SIGCONT",
                    met);

            assertThat(down.met())
                    .as("/health 503 while paused; last replies:\n%s", down.lastReplies())
                    .isTrue();
            assertThat(during.connectionErrors() + during.timeouts())
                    .as(during.summary() + " " + during.errorSamples())
                    .isZero();
            assertThat(during.statusByPath())
                    .as("health paths 503, liveness 200 while paused")
                    .allSatisfy((path, statuses) -> assertThat(statuses.keySet())
                            .containsOnly(path.endsWith("live") || path.endsWith("liveness") ? 200 : 503));
            assertThat(max)
                    .as("slowest answer while paused: %s", during.summary())
                    .matches(d -> within(d, ANSWER_BUDGET), "within 1 s");
            assertThat(back.met())
                    .as("/health 200 after SIGCONT; last replies:\n%s", back.lastReplies())
                    .isTrue();
        }
    }

    @Test
    void slowRedisIsDownWithTimedOutAndEveryAnswerStaysWithinOneSecond() {
        try (RedisServer redis = RedisServer.start();
                SwitchingProxy proxy = SwitchingProxy.start(redis);
                ServiceProcess service = ServiceProcess.start("slow", Scenarios.env(proxy.endpoint(), "1s", "1s"));
                LoadDriver load = new LoadDriver()) {
            Observation up =
                    awaitReply(service, "/health", r -> r.status() == 200, Duration.ofSeconds(15), System.nanoTime());
            assertThat(up.met())
                    .as("precondition: /health 200 through the proxy; last replies:\n%s", up.lastReplies())
                    .isTrue();

            proxy.replyDelay(Duration.ofSeconds(2));
            long slowed = System.nanoTime();
            Observation down = awaitReply(
                    service,
                    "/health",
                    r -> r.status() == 503 && r.bodyMentions("timed out"),
                    Duration.ofSeconds(10),
                    slowed);
            LoadDriver.Result during =
                    load.run(service.baseUri(), Http.HEALTH_PATHS, Integer.MAX_VALUE, CONCURRENCY, UNDER_LOAD);

            proxy.replyDelay(Duration.ZERO);
            long fast = System.nanoTime();
            Observation back = awaitReply(service, "/health", r -> r.status() == 200, Duration.ofSeconds(15), fast);

            Duration max = max(down.maxLatency(), during.maxLatency());
            boolean met = down.met()
                    && within(max, ANSWER_BUDGET)
                    && onlyExpectedStatuses(during)
                    && during.connectionErrors() == 0
                    && during.timeouts() == 0;
            ReliabilityReport.record(
                    "Redis slow (proxy adds 2 s to every reply, TTLs 1 s)",
                    "DOWN \"timed out\", answers within 1 s",
                    "503 "
                            + (down.met()
                                    ? ms(down.elapsed()) + " after the delay began, reason "
                                            + Scenarios.reasonOf(down.matched())
                                    : "with \"timed out\" not within 10 s")
                            + "; max latency " + ms(max) + " over "
                            + (down.seen().size() + during.requests())
                            + " answers; 200 " + (back.met() ? ms(back.elapsed()) : "not within 15 s")
                            + " after the delay was removed",
                    met);

            assertThat(down.met())
                    .as("/health 503 \"timed out\"; last replies:\n%s", down.lastReplies())
                    .isTrue();
            assertThat(during.connectionErrors() + during.timeouts())
                    .as(during.summary() + " " + during.errorSamples())
                    .isZero();
            assertThat(during.statusByPath())
                    .as("health paths 503, liveness 200 while slow")
                    .allSatisfy((path, statuses) -> assertThat(statuses.keySet())
                            .containsOnly(path.endsWith("live") || path.endsWith("liveness") ? 200 : 503));
            assertThat(max)
                    .as("slowest answer while slow: %s", during.summary())
                    .matches(d -> within(d, ANSWER_BUDGET), "within 1 s");
            assertThat(back.met())
                    .as("/health 200 once replies are fast again; last replies:\n%s", back.lastReplies())
                    .isTrue();
        }
    }

    private static boolean onlyExpectedStatuses(LoadDriver.Result result) {
        for (Map.Entry<String, Map<Integer, Long>> entry : result.statusByPath().entrySet()) {
            int expected = entry.getKey().endsWith("live") || entry.getKey().endsWith("liveness") ? 200 : 503;
            if (!entry.getValue().keySet().equals(Set.of(expected))) {
                return false;
            }
        }
        return true;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
