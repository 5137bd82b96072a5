package dev.redisintegration.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** One timed HTTP GET at a time, for probing a scenario step by step. */
final class Http {

    /** The paths that must all answer within the bounded time, whatever Redis does. */
    static final List<String> HEALTH_PATHS =
            List.of("/health", "/health/ready", "/health/live", "/health/readiness", "/health/liveness");

    /**
     * Long enough that a response slower than the 1 s promise is measured rather than cut off, short enough
     * that a hung service fails the scenario instead of the build.
     */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private Http() {
    }

    record Reply(String path, int status, String body, Duration latency) {

        boolean bodyMentions(String text) {
            return body.toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return path + " -> " + status + " in " + latency.toMillis() + " ms: " + body;
        }
    }

    static Reply get(ServiceProcess service, String path) throws IOException {
        return get(service.uri(path), DEFAULT_TIMEOUT);
    }

    static Reply get(URI uri, Duration timeout) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(uri.getPath(), response.statusCode(), response.body(),
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** For use inside Awaitility conditions and assertions, where a failed request is a test failure. */
    static Reply getOrFail(ServiceProcess service, String path) {
        try {
            return get(service, path);
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " on " + service + " failed: " + e, e);
        }
    }
}
