package dev.redisintegration.reliability;

import static dev.redisintegration.reliability.ReliabilityReport.ms;
import static dev.redisintegration.reliability.Scenarios.ANSWER_BUDGET;
import static dev.redisintegration.reliability.Scenarios.awaitReply;
import static dev.redisintegration.reliability.Scenarios.isLiveness;
import static dev.redisintegration.reliability.Scenarios.reasonOf;
import static dev.redisintegration.reliability.Scenarios.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.reliability.Scenarios.Observation;
import dev.redisintegration.testing.HttpProbe.Response;
import dev.redisintegration.testing.redis.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Scenarios that need a fresh service process: what it does at startup. */
@Timeout(120)
class StartupIT {

    private static final Pattern NON_EMPTY_REASON = Pattern.compile("\"reason\"\\s*:\\s*\"[^\"]+\"");
    private static final Pattern STACK_FRAME = Pattern.compile("^\\s+at [\\w$.<>/]+\\(.*\\)\\s*$");

    @Test
    void startsWithoutRedisAndTurnsUpWithinThreeSecondsOnceRedisStarts() {
        try (RedisServer redis = RedisServer.start()) {
            redis.stop(); // keeps the free port, so the service is pointed where Redis will appear
            // Production TTLs: recovery must come from the service noticing Redis, not from a short failure TTL.
            try (ServiceProcess service =
                    ServiceProcess.start("absent-at-start", Scenarios.env(redis.endpoint(), null, null))) {
                Response live = Http.getOrFail(service, "/health/live");
                Response health = Http.getOrFail(service, "/health");
                Response ready = Http.getOrFail(service, "/health/ready");

                redis.restart();
                long started = System.nanoTime();
                Observation up =
                        awaitReply(service, "/health", r -> r.status() == 200, Duration.ofSeconds(15), started);
                Response readyAfter = Http.getOrFail(service, "/health/ready");

                boolean met = live.status() == 200
                        && health.status() == 503
                        && ready.status() == 503
                        && NON_EMPTY_REASON.matcher(health.body()).find()
                        && up.met()
                        && within(up.elapsed(), Duration.ofSeconds(3))
                        && readyAfter.status() == 200;
                ReliabilityReport.record(
                        "Redis absent at start",
                        "service starts; /health/live 200; /health and /health/ready 503 with a reason;"
                                + " after Redis starts, 200 within 3 s",
                        "live " + live.status() + ", /health " + health.status() + ", /health/ready "
                                + ready.status() + "; 200 " + (up.met() ? ms(up.elapsed()) : "not within 15 s")
                                + " after Redis started",
                        met);

                assertThat(live.status()).as("%s", live).isEqualTo(200);
                assertThat(health.status()).as("%s", health).isEqualTo(503);
                assertThat(health.body())
                        .as("the report says why Redis is DOWN")
                        .containsPattern(NON_EMPTY_REASON);
                assertThat(ready.status()).as("%s", ready).isEqualTo(503);
                assertThat(ready.body())
                        .as("readiness names no host or port")
                        .doesNotContain(redis.endpoint())
                        .doesNotContain(":" + redis.port());
                assertThat(up.met())
                        .as("/health 200 after Redis started; last replies:\n%s", up.lastReplies())
                        .isTrue();
                assertThat(up.elapsed())
                        .as("time from Redis start to /health 200")
                        .matches(d -> within(d, Duration.ofSeconds(3)), "within 3 s");
                assertThat(readyAfter.status()).as("%s", readyAfter).isEqualTo(200);
            }
        }
    }

    @Test
    void unresolvableHostIsDownWithinOneSecondWithAClearReason() {
        try (ServiceProcess service = ServiceProcess.start(
                "unresolvable-host", Scenarios.env("redis.does-not-exist.invalid:6390", null, null))) {
            List<Response> replies = new ArrayList<>();
            // The first request is the cold one: it triggers the first connection attempt.
            for (int round = 0; round < 4; round++) {
                for (String path : Http.HEALTH_PATHS) {
                    replies.add(Http.getOrFail(service, path));
                }
            }
            Response first = replies.get(0);
            Duration max = Scenarios.maxLatency(replies);
            // The very first check may still wait for the cold JVM's first DNS lookup and end at the 500 ms deadline
            // ("timed out"); the connect failure then clears that result, so the next /health names the host.
            Response named = replies.stream()
                    .filter(r -> r.path().equals("/health"))
                    .limit(2)
                    .filter(r -> r.bodyMentions("unknown host") || r.bodyMentions("resolv"))
                    .findFirst()
                    .orElse(first);
            boolean clearReason = named.bodyMentions("unknown host") || named.bodyMentions("resolv");
            boolean allStatusesRight = replies.stream().allMatch(r -> r.status() == (isLiveness(r) ? 200 : 503));
            ReliabilityReport.record(
                    "unresolvable host",
                    "503 within 1 s, clear reason",
                    "first /health " + first.status() + " in " + ms(first.elapsed()) + ", max over " + replies.size()
                            + " answers " + ms(max) + ", reason " + reasonOf(named),
                    allStatusesRight && clearReason && within(max, ANSWER_BUDGET));

            assertThat(replies)
                    .as("/health* 503, liveness 200")
                    .allMatch(r -> r.status() == (isLiveness(r) ? 200 : 503));
            assertThat(clearReason)
                    .as("reason names the unknown host: %s", replies)
                    .isTrue();
            assertThat(max).as("slowest of %s", replies).matches(d -> within(d, ANSWER_BUDGET), "within 1 s");
        }
    }

    @Test
    void malformedEndpointExitsNonZeroWithinTenSecondsWithOneMessageNamingTheVariable() {
        String password = "malformed-scenario-secret-" + System.nanoTime();
        Map<String, String> env = Scenarios.env("redis-primary:not-a-port", null, null);
        env.put("REDIS_PASSWORD", password);
        long started = System.nanoTime();
        try (ServiceProcess service = ServiceProcess.launch("malformed-endpoint", env)) {
            OptionalInt exit = service.awaitExit(Duration.ofSeconds(20));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            String log = service.log();
            List<String> naming = log.lines()
                    .filter(l -> l.contains("REDIS_PRIMARY_ENDPOINT"))
                    .toList();
            long stackFrames =
                    log.lines().filter(l -> STACK_FRAME.matcher(l).matches()).count();

            boolean met = exit.isPresent()
                    && exit.getAsInt() != 0
                    && elapsed.compareTo(Duration.ofSeconds(10)) <= 0
                    && naming.size() == 1
                    && stackFrames == 0
                    && !log.contains(password);
            ReliabilityReport.record(
                    "malformed REDIS_PRIMARY_ENDPOINT",
                    "exit code ≠ 0 within 10 s, one message naming the variable",
                    "exit " + (exit.isPresent() ? exit.getAsInt() : "none") + " after " + ms(elapsed) + "; "
                            + naming.size() + " line(s) name the variable, " + stackFrames + " stack frames: "
                            + (naming.isEmpty() ? "-" : naming.get(0).strip()),
                    met);

            assertThat(exit).as("exit code; log:\n%s", log).isPresent();
            assertThat(exit.getAsInt()).as("exit code").isNotZero();
            assertThat(elapsed).isLessThanOrEqualTo(Duration.ofSeconds(10));
            assertThat(naming)
                    .as("lines naming REDIS_PRIMARY_ENDPOINT in the log:\n%s", log)
                    .hasSize(1);
            assertThat(stackFrames).as("stack trace lines in the log:\n%s", log).isZero();
            assertThat(log).as("the log never shows the password").doesNotContain(password);
        }
    }
}
