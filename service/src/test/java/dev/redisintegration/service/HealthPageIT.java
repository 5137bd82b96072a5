package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.redisintegration.testing.HttpProbe;
import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.RedisServerExtension;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page a browser gets at {@code /health}, and the JSON every other client keeps getting; the page is checked in
 * a real headless Chromium, whose screenshot is kept in {@code target/chromium/}.
 */
@ExtendWith(RedisServerExtension.class)
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HealthPageIT implements TestPropertyProvider {

    private static final String BROWSER_ACCEPT =
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
    private static final Path ARTEFACTS = Path.of("target", "chromium");
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    RedisServer redis;

    @Inject
    EmbeddedServer server;

    @TempDir
    Path tmp;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("redis.primary.endpoint", redis.endpoint());
    }

    private URI base() {
        return server.getURI();
    }

    @Test
    void everyClientButABrowserGetsJsonAsBefore() {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> HttpProbe.get(base(), HealthPaths.READY).status() == 200);

        for (String accept : new String[] {null, "*/*", "application/json", "application/json, text/html"}) {
            HttpResponse<String> response = get(HealthPaths.HEALTH, accept);
            assertThat(response.statusCode()).as(accept).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type"))
                    .as(accept)
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
            assertThat(response.body()).as(accept).startsWith("{\"status\":\"UP\",\"checks\":{");
            assertThat(response.headers().allValues("vary")).as(accept).contains("Accept");
        }
        // The probes never answer HTML, whoever asks.
        HttpResponse<String> ready = get(HealthPaths.READY, BROWSER_ACCEPT);
        assertThat(ready.body()).isEqualTo("{\"status\":\"UP\",\"failing\":[]}");
    }

    @Test
    void aBrowserGetsThePageWithTheSameStatusCode() {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> HttpProbe.get(base(), HealthPaths.READY).status() == 200);

        HttpResponse<String> page = get(HealthPaths.HEALTH, BROWSER_ACCEPT);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValue(HealthPage.CONTENT_TYPE);
        assertThat(page.body())
                .startsWith("<!DOCTYPE html>")
                .contains("<title>UP · redis-health-service</title>")
                .contains("redis://" + redis.endpoint());
    }

    @Test
    void headlessChromiumShowsDownAndTheReasonOnceRedisStops() throws Exception {
        Path chromium = chromium();
        assumeTrue(
                chromium != null,
                "chromium is not installed (Debian: apt-get install -y chromium; .ci/run installs "
                        + "it): the page is checked in a real browser only where one exists");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> HttpProbe.get(base(), HealthPaths.READY).status() == 200);
        redis.stop();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> HttpProbe.get(base(), HealthPaths.READY).status() == 503);
        // The reason settles once the client has tried to reconnect ("..., last attempt: connection refused"); from
        // then on every answer, the browser's included, carries the same text.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> RedisOutageIT.redisReason(HttpProbe.get(base(), HealthPaths.HEALTH))
                        .contains("last attempt:"));
        String reason = RedisOutageIT.redisReason(HttpProbe.get(base(), HealthPaths.HEALTH));

        String dom = runChromium(
                chromium, "--dump-dom", base().resolve(HealthPaths.HEALTH).toString());
        Files.createDirectories(ARTEFACTS);
        Path screenshot = ARTEFACTS.resolve("health-down.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        runChromium(
                chromium,
                "--screenshot=" + screenshot,
                base().resolve(HealthPaths.HEALTH).toString());

        assertThat(dom)
                .contains("<title>DOWN · redis-health-service</title>")
                .contains("<span class=\"badge DOWN\">DOWN</span>")
                .contains("<p class=\"reason\">" + HealthPage.escape(reason) + "</p>")
                .contains("failing: redis");
        assertThat(screenshot).exists();
        byte[] png = Files.readAllBytes(screenshot);
        assertThat(png).as("a PNG image").startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        assertThat(png.length).as("a rendered page, not a blank image").isGreaterThan(10_000);
    }

    /** GET with the given Accept header ({@code null}: none at all, as Java's client sends by default). */
    private HttpResponse<String> get(String path, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base().resolve(path))
                .timeout(Duration.ofSeconds(10))
                .GET();
        if (accept != null) {
            request.header("Accept", accept);
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The Debian chromium binary, or {@code null} where none is installed. */
    private static Path chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(dir, name);
                if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** Runs headless Chromium once, offline and without a profile of its own; returns what it printed. */
    private String runChromium(Path chromium, String action, String url) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
                "--disable-sync",
                "--disable-extensions",
                "--hide-scrollbars",
                "--user-data-dir=" + tmp.resolve("profile"),
                // A phone's width: the page must read there.
                "--window-size=412,1000",
                action,
                url));
        Path out = tmp.resolve("chromium.out");
        Path err = tmp.resolve("chromium.err");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish within 90 s: " + Files.readString(err));
        }
        assertThat(process.exitValue())
                .as("chromium exit status; stderr: %s", Files.readString(err))
                .isZero();
        return Files.readString(out);
    }
}
