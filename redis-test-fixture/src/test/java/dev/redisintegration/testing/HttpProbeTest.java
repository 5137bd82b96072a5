package dev.redisintegration.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.redisintegration.testing.redis.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpProbeTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private URI base;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/health",
                exchange -> respond(
                        exchange,
                        503,
                        "{\"status\":\"DOWN\",\"checks\":{\"redis\":{\"critical\":true,\"ageMs\":7000,\"reason\":\"a \\\"quoted\\\" \\u00e9\","
                                + "\"ratio\":0.5,\"details\":{},\"tags\":[],\"none\":null}},\"failing\":[\"redis\"]}"));
        server.createContext("/text", exchange -> respond(exchange, 200, "plain OK"));
        server.createContext("/hang", exchange -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, "late");
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void getReturnsStatusBodyElapsedAndJsonAsPlainMapsAndLists() {
        HttpProbe.Response response = HttpProbe.get(base, "/health");

        assertThat(response.path()).isEqualTo("/health");
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.elapsed()).isPositive().isLessThan(HttpProbe.DEFAULT_TIMEOUT);
        Map<String, Object> json = response.json();
        assertThat(json)
                .containsOnlyKeys("status", "checks", "failing")
                .containsEntry("status", "DOWN")
                .containsEntry("failing", List.of("redis"));
        assertThat(json.keySet()).containsExactly("status", "checks", "failing");
        Map<String, Object> redis = (Map<String, Object>) ((Map<String, Object>) json.get("checks")).get("redis");
        assertThat(redis)
                .containsEntry("critical", true)
                .containsEntry("ageMs", 7000L)
                .containsEntry("reason", "a \"quoted\" é")
                .containsEntry("ratio", 0.5)
                .containsEntry("details", Map.of())
                .containsEntry("tags", List.of())
                .containsEntry("none", null);
        assertThat(response.bodyMentions("down")).isTrue();
        assertThat(response.toString()).startsWith("/health -> 503 in ");
    }

    @Test
    void bodyThatIsNotAJsonObjectIsReportedWithTheBody() {
        HttpProbe.Response response = HttpProbe.get(base, "/text");

        assertThatThrownBy(response::json)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("plain OK");
        assertThatThrownBy(() -> new HttpProbe.Response("/", 200, "[1,2]", Duration.ZERO).json())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("not a JSON object: [1,2]");
        assertThatThrownBy(() -> new HttpProbe.Response("/", 200, "{\"a\":1} x", Duration.ZERO).json())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("not JSON (expected end of input at offset 8)");
    }

    @Test
    void requestIsBoundedByItsTimeout() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> HttpProbe.get(base.resolve("/hang"), Duration.ofMillis(200)))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("/hang got no answer");
        // Generous: the point is that it did not wait for the 10 s the handler would take.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void refusedConnectionIsAnUncheckedIoExceptionSyncAndAsync() {
        URI nobody = URI.create("http://127.0.0.1:" + FreePorts.pick());

        assertThatThrownBy(() -> HttpProbe.get(nobody, "/health"))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("GET " + nobody + "/health got no answer");
        CompletableFuture<HttpProbe.Response> async = HttpProbe.getAsync(nobody, "/health");
        assertThatThrownBy(async::join).hasCauseInstanceOf(UncheckedIOException.class);
    }

    @Test
    void asyncRequestsAnswerLikeSyncOnes() {
        List<CompletableFuture<HttpProbe.Response>> responses =
                List.of(HttpProbe.getAsync(base, "/health"), HttpProbe.getAsync(base, "/text"));

        assertThat(responses.get(0).join().status()).isEqualTo(503);
        assertThat(responses.get(1).join().body()).isEqualTo("plain OK");
    }
}
