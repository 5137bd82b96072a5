package dev.redisintegration.service;

import io.micronaut.core.type.Argument;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A tiny JDK HttpClient wrapper for the endpoint tests: status, body, parsed JSON and elapsed time. */
final class Http {

    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private Http() {
    }

    record Response(int status, String body, Duration elapsed) {

        Map<String, Object> json() {
            try {
                return ObjectMapper.getDefault().readValue(body, Argument.mapOf(String.class, Object.class));
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    static Response get(URI base, String path) {
        return getAsync(base, path).join();
    }

    static CompletableFuture<Response> getAsync(URI base, String path) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build();
        long start = System.nanoTime();
        return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new Response(response.statusCode(), response.body(),
                        Duration.ofNanos(System.nanoTime() - start)));
    }
}
