package dev.redisintegration.reliability;

import static dev.redisintegration.reliability.ReliabilityReport.ms;
import static dev.redisintegration.reliability.Scenarios.awaitReply;
import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.reliability.Scenarios.Observation;
import dev.redisintegration.testing.HttpProbe.Response;
import dev.redisintegration.testing.redis.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A service pointed at the wrong Redis, or at the right one with the wrong credentials: fresh process each. */
@Timeout(120)
class MisconfigurationIT {

    @Test
    void wrongPasswordIsDownForAuthenticationAndThePasswordAppearsNowhere() {
        String serverPassword = "server-secret-" + UUID.randomUUID();
        String wrongPassword = "wrong-secret-" + UUID.randomUUID();
        Map<String, String> env = Scenarios.env(null, null, null);
        env.put("REDIS_PASSWORD", wrongPassword);
        // The promise holds at every log level: turn the chattiest relevant loggers up.
        env.put("LOGGER_LEVELS_IO_LETTUCE", "DEBUG");
        env.put("LOGGER_LEVELS_DEV_REDISINTEGRATION", "DEBUG");
        try (RedisServer redis = RedisServer.builder().password(serverPassword).build()) {
            env.put("REDIS_PRIMARY_ENDPOINT", redis.endpoint());
            List<Response> replies = new ArrayList<>();
            Observation down;
            ServiceProcess service = ServiceProcess.start("wrong-password", env);
            try {
                down = awaitReply(
                        service,
                        "/health",
                        r -> r.status() == 503 && r.bodyMentions("auth"),
                        Duration.ofSeconds(10),
                        System.nanoTime());
                replies.addAll(down.seen());
                for (String path : Http.HEALTH_PATHS) {
                    replies.add(Http.getOrFail(service, path));
                }
            } finally {
                service.close(); // the shutdown's log lines count too
            }
            String log = service.log();
            List<Response> leaking = replies.stream()
                    .filter(r -> r.body().contains(wrongPassword) || r.body().contains(serverPassword))
                    .toList();
            List<String> leakingLines = log.lines()
                    .filter(l -> l.contains(wrongPassword) || l.contains(serverPassword))
                    .toList();

            boolean met = down.met() && leaking.isEmpty() && leakingLines.isEmpty();
            ReliabilityReport.record(
                    "wrong password (io.lettuce and service loggers at DEBUG)",
                    "503, reason mentions authentication; the password appears in no response and no log line",
                    (down.met()
                                    ? "503 in " + ms(down.elapsed()) + ", reason " + Scenarios.reasonOf(down.matched())
                                    : "no 503 mentioning authentication within 10 s")
                            + "; password in " + leaking.size()
                            + " of " + replies.size() + " responses and " + leakingLines.size() + " of "
                            + log.lines().count() + " log lines",
                    met);

            assertThat(down.met())
                    .as("/health 503 mentioning authentication; last replies:\n%s", down.lastReplies())
                    .isTrue();
            assertThat(leaking).as("responses containing a password").isEmpty();
            assertThat(leakingLines).as("log lines containing a password").isEmpty();
        }
    }

    @Test
    void connectedToAReplicaReadinessIsDown() {
        try (RedisServer primary = RedisServer.start();
                RedisServer replica = RedisServer.builder().replicaOf(primary).build();
                ServiceProcess service =
                        ServiceProcess.start("replica", Scenarios.env(replica.endpoint(), null, null))) {
            Observation notReady = awaitReply(
                    service, "/health/ready", r -> r.status() == 503, Duration.ofSeconds(10), System.nanoTime());
            // The first check of a cold JVM may still end at its deadline ("timed out") or meet the client between
            // two attempts at leaving the replica; within seconds /health names the replica.
            Observation replicaNamed = awaitReply(
                    service,
                    "/health",
                    r -> r.status() == 503 && r.bodyMentions("replica"),
                    Duration.ofSeconds(10),
                    System.nanoTime());
            Response health = replicaNamed.met() ? replicaNamed.matched() : Http.getOrFail(service, "/health");
            Response live = Http.getOrFail(service, "/health/live");

            boolean met =
                    notReady.met() && health.status() == 503 && health.bodyMentions("replica") && live.status() == 200;
            ReliabilityReport.record(
                    "connected to a replica",
                    "/health/ready 503 \"replica\"",
                    "/health/ready "
                            + (notReady.met() ? "503 " + notReady.matched().body() : "not 503 within 10 s")
                            + "; /health " + health.status() + ", reason " + Scenarios.reasonOf(health)
                            + "; live " + live.status(),
                    met);

            assertThat(notReady.met())
                    .as("/health/ready 503; last replies:\n%s", notReady.lastReplies())
                    .isTrue();
            assertThat(health.status()).as("%s", health).isEqualTo(503);
            assertThat(health.bodyMentions("replica"))
                    .as("the reason says replica: %s", health)
                    .isTrue();
            assertThat(live.status()).as("%s", live).isEqualTo(200);
        }
    }
}
