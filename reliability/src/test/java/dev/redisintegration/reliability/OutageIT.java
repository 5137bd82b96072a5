package dev.redisintegration.reliability;

import static dev.redisintegration.reliability.ReliabilityReport.ms;
import static dev.redisintegration.reliability.Scenarios.ANSWER_BUDGET;
import static dev.redisintegration.reliability.Scenarios.awaitReply;
import static dev.redisintegration.reliability.Scenarios.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.reliability.Scenarios.Observation;
import dev.redisintegration.testing.HttpProbe.Response;
import dev.redisintegration.testing.redis.RedisServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redis goes away and comes back under a service with production-length TTLs (UP cached 5 min, DOWN cached 1 min, set
 * explicitly): seeing either change within seconds proves the connection events invalidate the cache, not that a TTL
 * ran out. Each test starts its own Redis and service and brings them to its starting state itself, so the tests run
 * alone or in any order.
 */
@Timeout(120)
class OutageIT {

    @Test
    void redisKilledWhileUpIsCachedIsSeenWithinOneSecond() {
        try (RedisServer redis = RedisServer.start();
                ServiceProcess service = ServiceProcess.start("outage-killed", productionTtls(redis))) {
            awaitHealth(service, 200, "precondition: /health 200");
            Response cached = Http.getOrFail(service, "/health"); // now the UP result is certainly cached

            redis.stop();
            long stopped = System.nanoTime();
            Observation down = awaitReply(service, "/health", r -> r.status() == 503, Duration.ofSeconds(10), stopped);
            Response ready = Http.getOrFail(service, "/health/ready");
            Response live = Http.getOrFail(service, "/health/live");

            boolean met = cached.status() == 200
                    && down.met()
                    && within(down.elapsed(), ANSWER_BUDGET)
                    && ready.status() == 503
                    && live.status() == 200;
            ReliabilityReport.record(
                    "Redis killed while UP is cached (success TTL 5 min)",
                    "503 within 1 s",
                    "503 " + (down.met() ? ms(down.elapsed()) : "not within 10 s") + " after Redis stopped; ready "
                            + ready.status() + ", live " + live.status() + "; reason "
                            + (down.met() ? Scenarios.reasonOf(down.matched()) : "-"),
                    met);

            assertThat(cached.status()).isEqualTo(200);
            assertThat(down.met())
                    .as("/health 503 after Redis stopped; last replies:\n%s", down.lastReplies())
                    .isTrue();
            assertThat(down.elapsed())
                    .as("time from Redis stop to /health 503")
                    .matches(d -> within(d, ANSWER_BUDGET), "within 1 s");
            assertThat(ready.status()).as("%s", ready).isEqualTo(503);
            assertThat(live.status()).as("%s", live).isEqualTo(200);
        }
    }

    @Test
    void redisRestartedWhileDownIsCachedIsSeenWithinThreeSeconds() {
        try (RedisServer redis = RedisServer.start();
                ServiceProcess service = ServiceProcess.start("outage-restarted", productionTtls(redis))) {
            // Connected first, then the connection drops: the DOWN comes from a lost connection, as in production.
            awaitHealth(service, 200, "precondition: /health 200");
            redis.stop();
            awaitHealth(service, 503, "precondition: /health 503 after Redis stopped");
            Response cached = Http.getOrFail(service, "/health"); // now the DOWN result is certainly cached

            redis.restart();
            long restarted = System.nanoTime();
            Observation up = awaitReply(service, "/health", r -> r.status() == 200, Duration.ofSeconds(15), restarted);
            Response ready = Http.getOrFail(service, "/health/ready");

            boolean met = cached.status() == 503
                    && up.met()
                    && within(up.elapsed(), Duration.ofSeconds(3))
                    && ready.status() == 200;
            ReliabilityReport.record(
                    "Redis restarted while DOWN is cached (failure TTL 1 min)",
                    "200 within 3 s",
                    "200 " + (up.met() ? ms(up.elapsed()) : "not within 15 s") + " after Redis restarted; ready "
                            + ready.status(),
                    met);

            assertThat(cached.status()).isEqualTo(503);
            assertThat(up.met())
                    .as("/health 200 after Redis restarted; last replies:\n%s", up.lastReplies())
                    .isTrue();
            assertThat(up.elapsed())
                    .as("time from Redis restart to /health 200")
                    .matches(d -> within(d, Duration.ofSeconds(3)), "within 3 s");
            assertThat(ready.status()).as("%s", ready).isEqualTo(200);
        }
    }

    private static Map<String, String> productionTtls(RedisServer redis) {
        return Scenarios.env(redis.endpoint(), "5m", "1m");
    }

    private static void awaitHealth(ServiceProcess service, int status, String what) {
        Observation seen =
                awaitReply(service, "/health", r -> r.status() == status, Duration.ofSeconds(15), System.nanoTime());
        assertThat(seen.met())
                .as("%s; last replies:\n%s", what, seen.lastReplies())
                .isTrue();
    }
}
