package dev.redisintegration.reliability;

import dev.redisintegration.testing.HttpProbe.Response;
import dev.redisintegration.testing.redis.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Shared vocabulary of the scenarios: environment, bounds, and "ask until the answer changes". */
final class Scenarios {

    /** The service's promise: every {@code /health*} answer within 1 s. */
    static final Duration ANSWER_BUDGET = Duration.ofSeconds(1);

    /**
     * Added to every time bound the issue states, for scheduling noise on a shared 2-core machine; the report
     * shows the measured figure either way.
     */
    static final Duration SLACK = Duration.ofMillis(200);

    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    /** How long a scenario waits for its starting state (service up and cached, a writer writing). */
    static final Duration STARTUP = Duration.ofSeconds(20);

    private static final Duration POLL = Duration.ofMillis(100);
    /** The Redis check in {@code /health}, UP and served from the cache. */
    private static final Pattern REDIS_CACHED_UP =
            Pattern.compile("\"redis\":\\{\"status\":\"UP\"[^}]*\"cached\":true");

    private Scenarios() {}

    /** Environment for a service using {@code endpoint}, TTLs and timeout as the scenario needs (null: default). */
    static Map<String, String> env(String endpoint, String successTtl, String failureTtl) {
        Map<String, String> env = new HashMap<>();
        env.put("REDIS_PRIMARY_ENDPOINT", endpoint);
        if (successTtl != null) {
            env.put("HEALTH_CACHE_SUCCESS_TTL", successTtl);
        }
        if (failureTtl != null) {
            env.put("HEALTH_CACHE_FAILURE_TTL", failureTtl);
        }
        env.put("HEALTH_CHECK_TIMEOUT", "500ms");
        return env;
    }

    /** What {@link #awaitReply} saw: the first matching reply (null if none in time) and every reply before it. */
    record Observation(Response matched, Duration elapsed, List<Response> seen) {

        boolean met() {
            return matched != null;
        }

        Duration maxLatency() {
            return Scenarios.maxLatency(seen);
        }

        String lastReplies() {
            return String.join(
                    "\n",
                    seen.subList(Math.max(0, seen.size() - 3), seen.size()).stream()
                            .map(Response::toString)
                            .toList());
        }
    }

    /**
     * Asks {@code path} every 50 ms until a reply satisfies {@code condition} or {@code atMost} has passed since
     * {@code sinceNanos} (a {@link System#nanoTime()} taken when the fault was injected). A connection error fails
     * at once: the service must always answer.
     */
    static Observation awaitReply(
            ServiceProcess service, String path, Predicate<Response> condition, Duration atMost, long sinceNanos) {
        List<Response> seen = Collections.synchronizedList(new ArrayList<>());
        Duration remaining = atMost.minusNanos(System.nanoTime() - sinceNanos);
        try {
            Response matched = Awaitility.await(path + " on " + service.name())
                    .atMost(remaining.isNegative() ? Duration.ofMillis(1) : remaining)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(POLL_INTERVAL)
                    .until(
                            () -> {
                                Response reply = Http.getOrFail(service, path);
                                seen.add(reply);
                                return reply;
                            },
                            condition);
            return new Observation(matched, Duration.ofNanos(System.nanoTime() - sinceNanos), List.copyOf(seen));
        } catch (ConditionTimeoutException e) {
            return new Observation(null, Duration.ofNanos(System.nanoTime() - sinceNanos), List.copyOf(seen));
        }
    }

    static Duration maxLatency(List<Response> replies) {
        return replies.stream().map(Response::elapsed).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    static boolean within(Duration measured, Duration bound) {
        return measured.compareTo(bound.plus(SLACK)) <= 0;
    }

    /**
     * The service's connections as Redis sees them: {@code CLIENT LIST} without the fixture's own connection.
     * Nothing else talks to a scenario's Redis.
     */
    static List<String> serviceConnections(RedisServer redis) {
        return redis.clientList();
    }

    /** Liveness paths answer 200 whatever Redis does; every other health path follows Redis. */
    static boolean isLiveness(Response reply) {
        return reply.path().endsWith("/live") || reply.path().endsWith("/liveness");
    }

    private static final Pattern REASON = Pattern.compile("\"reason\"\\s*:\\s*\"([^\"]*)\"");

    /** The first {@code "reason"} in a JSON body, quoted, for the report. */
    static String reasonOf(Response reply) {
        Matcher m = REASON.matcher(reply.body());
        return m.find() ? "\"" + m.group(1) + "\"" : "(none)";
    }

    /**
     * Precondition: {@code /health} shows the Redis check UP <em>from the cache</em>, and {@code alsoTrue}. The first
     * connect publishes an event that empties the cache, so a first 200 alone would leave the next request probing
     * afresh; with the UP cached (5 min), any change the scenario then sees comes from the client noticing the node.
     */
    static void awaitCachedUp(ServiceProcess service, Callable<Boolean> alsoTrue, String what) {
        AtomicReference<Response> last = new AtomicReference<>();
        try {
            Awaitility.await(service.name() + " UP (cached) " + what)
                    .atMost(STARTUP)
                    .pollInterval(POLL)
                    .until(() -> {
                        last.set(Http.getOrFail(service, "/health"));
                        return last.get().status() == 200
                                && REDIS_CACHED_UP.matcher(last.get().body()).find()
                                && alsoTrue.call();
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "precondition: " + service.name() + " UP (cached) " + what + " within " + STARTUP + "; last: "
                            + last.get() + "; log:\n" + service.logTail(30),
                    e);
        }
    }

    /** Precondition: the writer has had half a second of acknowledged writes since {@code sinceNanos}. */
    static void awaitWrites(Writer writer, long sinceNanos) {
        try {
            Awaitility.await("writer writing")
                    .atMost(STARTUP)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> writer.acknowledgedSince(sinceNanos) >= 10);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("precondition: 10 acknowledged writes; " + writer.outageSince(sinceNanos), e);
        }
    }

    /**
     * Whether {@code condition} holds at every poll (every 100 ms) for {@code window}: waits for the first poll where
     * it does not, and returns false at once then.
     */
    static boolean holdsFor(Duration window, Callable<Boolean> condition) {
        try {
            Awaitility.await("a poll where the condition fails")
                    .atMost(window)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(POLL)
                    .until(() -> !condition.call());
            return false;
        } catch (ConditionTimeoutException e) {
            return true;
        }
    }
}
