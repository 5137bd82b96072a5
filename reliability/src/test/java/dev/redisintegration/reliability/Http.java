package dev.redisintegration.reliability;

import dev.redisintegration.testing.HttpProbe;
import dev.redisintegration.testing.HttpProbe.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** GETs against the service under test, through the fixture's {@link HttpProbe}, with the suite's bounds. */
final class Http {

    /** The paths that must all answer within the bounded time, whatever Redis does. */
    static final List<String> HEALTH_PATHS =
            List.of("/health", "/health/ready", "/health/live", "/health/readiness", "/health/liveness");

    /**
     * Long enough that a response slower than the 1 s promise is measured rather than cut off, short enough
     * that a hung service fails the scenario instead of the build.
     */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private Http() {}

    static Response get(ServiceProcess service, String path) throws IOException {
        return get(service.uri(path), DEFAULT_TIMEOUT);
    }

    static Response get(URI uri, Duration timeout) throws IOException {
        try {
            return HttpProbe.get(uri, timeout);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** For use inside Awaitility conditions and assertions, where a failed request is a test failure. */
    static Response getOrFail(ServiceProcess service, String path) {
        try {
            return get(service, path);
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " on " + service + " failed: " + e, e);
        }
    }
}
