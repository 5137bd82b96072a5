package dev.redisintegration.service;

import static org.awaitility.Awaitility.await;

import dev.redisintegration.testing.HttpProbe;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/** Requests the topology ITs share, and the Redis check read from a {@code /health} body. */
final class HealthCalls {

    /** A cold start (Lettuce's first connections in a JVM, a cluster's or the Sentinels' links) may take seconds. */
    static final Duration STARTUP = Duration.ofSeconds(20);

    private HealthCalls() {}

    /** Until {@code /health} answers 200 (the connection opens in the background at startup); that answer. */
    static HttpProbe.Response awaitHealthUp(URI base) {
        return await().atMost(STARTUP)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> HttpProbe.get(base, HealthPaths.HEALTH), response -> response.status() == 200);
    }

    /** {@code requests} GETs of {@code path} sent at once; their answers, once all have arrived. */
    static List<HttpProbe.Response> concurrently(URI base, String path, int requests) {
        List<CompletableFuture<HttpProbe.Response>> responses = IntStream.range(0, requests)
                .mapToObj(i -> HttpProbe.getAsync(base, path))
                .toList();
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).join();
        return responses.stream().map(CompletableFuture::join).toList();
    }

    /** The {@code redis} entry of {@code checks}: status, reason, latency, cache state, details. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> redisCheck(HttpProbe.Response health) {
        return ((Map<String, Map<String, Object>>) health.json().get("checks")).get(RedisHealthCheck.NAME);
    }

    /** The {@code details} of the Redis check. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> redisDetails(HttpProbe.Response health) {
        return (Map<String, Object>) redisCheck(health).get("details");
    }
}
