package dev.redisintegration.testing;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Timed HTTP GETs against a service under test: status, body, how long the answer took, and the body as JSON.
 *
 * <pre>{@code
 * HttpProbe.Response ready = HttpProbe.get(server.getURI(), "/health/ready");
 * assertThat(ready.status()).isEqualTo(200);
 * assertThat(ready.elapsed()).isLessThan(Duration.ofSeconds(1));
 * assertThat(ready.json()).containsEntry("status", "UP");
 * }</pre>
 *
 * <p>On the JDK's {@link HttpClient} (HTTP/1.1, {@link #CONNECT_TIMEOUT}), so it needs no library. Every request is
 * bounded: {@link #DEFAULT_TIMEOUT} unless the caller gives another, long enough that a response slower than a
 * service's promise is measured rather than cut off, short enough that a hung service fails the test instead of the
 * build. A request that gets no answer (connection refused, timeout) throws {@link UncheckedIOException}, so it can
 * be used inside Awaitility conditions ({@code ignoreExceptions()} to wait for a server to come up).
 *
 * <p>Thread-safe: one shared client.
 */
public final class HttpProbe {

    /** Bound of one request, from sending it to the end of the body, unless the caller gives another. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Bound of establishing the TCP connection. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();

    private HttpProbe() {}

    /**
     * One answer.
     *
     * @param path the path that was asked for, e.g. {@code /health/ready}.
     * @param status the HTTP status code.
     * @param body the body as text.
     * @param elapsed from sending the request to the end of the body.
     */
    public record Response(String path, int status, String body, Duration elapsed) {

        /**
         * The body parsed as a JSON object: objects are {@code Map}s (keys in document order), arrays {@code List}s,
         * numbers {@code Long} (integers) or {@code Double}, plus {@code String}, {@code Boolean} and {@code null}.
         *
         * @return the object, mutable (a fresh parse each call).
         * @throws IllegalStateException if the body is not one JSON object; the message includes the body.
         */
        @SuppressWarnings("unchecked")
        public Map<String, Object> json() {
            Object value;
            try {
                value = Json.parse(body);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("not JSON (" + e.getMessage() + "): " + body, e);
            }
            if (!(value instanceof Map)) {
                throw new IllegalStateException("not a JSON object: " + body);
            }
            return (Map<String, Object>) value;
        }

        /**
         * Whether the body contains {@code text}, ignoring case.
         *
         * @param text what to look for.
         * @return {@code true} if found.
         */
        public boolean bodyMentions(String text) {
            return body.toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return path + " -> " + status + " in " + elapsed.toMillis() + " ms: " + body;
        }
    }

    /**
     * GET {@code path} relative to {@code base}, bounded by {@link #DEFAULT_TIMEOUT}.
     *
     * @param base e.g. {@code http://127.0.0.1:8080} or Micronaut's {@code server.getURI()}.
     * @param path e.g. {@code /health}.
     * @return the answer, whatever its status.
     * @throws UncheckedIOException if no answer came (refused, reset, timed out, interrupted).
     */
    public static Response get(URI base, String path) {
        return get(base.resolve(path), DEFAULT_TIMEOUT);
    }

    /**
     * GET {@code uri}, bounded by {@code timeout}.
     *
     * @param uri the full address.
     * @param timeout bound of the request (connecting is bounded by {@link #CONNECT_TIMEOUT} as well).
     * @return the answer, whatever its status.
     * @throws UncheckedIOException if no answer came (refused, reset, timed out, interrupted).
     */
    public static Response get(URI uri, Duration timeout) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = CLIENT.send(request(uri, timeout), HttpResponse.BodyHandlers.ofString());
            return new Response(uri.getPath(), response.statusCode(), response.body(), since(start));
        } catch (IOException e) {
            throw failed(uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(uri, new InterruptedIOException("interrupted"));
        }
    }

    /**
     * GET {@code path} relative to {@code base} without blocking, bounded by {@link #DEFAULT_TIMEOUT}: for many
     * concurrent requests.
     *
     * @param base e.g. {@code http://127.0.0.1:8080}.
     * @param path e.g. {@code /health}.
     * @return the answer; completes exceptionally with {@link UncheckedIOException} if no answer came.
     */
    public static CompletableFuture<Response> getAsync(URI base, String path) {
        URI uri = base.resolve(path);
        long start = System.nanoTime();
        return CLIENT.sendAsync(request(uri, DEFAULT_TIMEOUT), HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause()
                                : error;
                        throw failed(uri, cause instanceof IOException io ? io : new IOException(cause));
                    }
                    return new Response(uri.getPath(), response.statusCode(), response.body(), since(start));
                });
    }

    private static HttpRequest request(URI uri, Duration timeout) {
        return HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static UncheckedIOException failed(URI uri, IOException cause) {
        return new UncheckedIOException("GET " + uri + " got no answer: " + cause, cause);
    }
}
