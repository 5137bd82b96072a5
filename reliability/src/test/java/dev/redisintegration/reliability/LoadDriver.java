package dev.redisintegration.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * An HTTP load generator on the JDK {@link HttpClient}: at most {@code concurrency} requests in flight
 * (a {@link Semaphore}), paths taken round-robin, every outcome recorded. A latency is measured from the moment
 * a request gets its permit until its whole response body has arrived, so it includes connection setup and any
 * queueing inside the service.
 *
 * <p>One driver keeps one client (and so one connection pool) across runs: a warm-up run opens the
 * connections, the measured run then sees the service rather than the TCP handshake of 200 new sockets.
 */
final class LoadDriver implements AutoCloseable {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final ExecutorService executor;
    private final HttpClient client;

    LoadDriver() {
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "load-driver-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .executor(executor)
                .build();
    }

    /** Sends {@code total} requests, or as many as fit before {@code maxDuration} ends, whichever comes first. */
    Result run(URI base, List<String> paths, int total, int concurrency, Duration maxDuration) {
        Semaphore permits = new Semaphore(concurrency);
        Map<String, Map<Integer, LongAdder>> statuses = new ConcurrentHashMap<>();
        Map<String, ConcurrentLinkedQueue<Long>> latenciesByPath = new ConcurrentHashMap<>();
        LongAdder connectionErrors = new LongAdder();
        LongAdder timeouts = new LongAdder();
        List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());
        List<HttpRequest> requests = paths.stream()
                .map(path -> HttpRequest.newBuilder(base.resolve(path))
                        .timeout(REQUEST_TIMEOUT)
                        .GET()
                        .build())
                .toList();

        long start = System.nanoTime();
        long deadline = start + maxDuration.toNanos();
        int sent = 0;
        try {
            while (sent < total && System.nanoTime() < deadline) {
                permits.acquire();
                HttpRequest request = requests.get(sent % requests.size());
                String path = request.uri().getPath();
                long requestStart = System.nanoTime();
                client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                    try {
                        long latency = System.nanoTime() - requestStart;
                        latenciesByPath
                                .computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>())
                                .add(latency);
                        if (error == null) {
                            statuses.computeIfAbsent(path, p -> new ConcurrentHashMap<>())
                                    .computeIfAbsent(response.statusCode(), s -> new LongAdder())
                                    .increment();
                        } else {
                            Throwable cause = error instanceof CompletionException && error.getCause() != null
                                    ? error.getCause()
                                    : error;
                            (cause instanceof HttpTimeoutException ? timeouts : connectionErrors).increment();
                            if (errorSamples.size() < 10) {
                                errorSamples.add(path + ": " + cause);
                            }
                        }
                    } finally {
                        permits.release();
                    }
                });
                sent++;
            }
            // Wait for the stragglers; each is bounded by the request timeout.
            if (!permits.tryAcquire(concurrency, REQUEST_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("requests still in flight after their timeout");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        long[] sorted = latenciesByPath.values().stream()
                .flatMap(ConcurrentLinkedQueue::stream)
                .mapToLong(Long::longValue)
                .sorted()
                .toArray();
        Map<String, Map<Integer, Long>> statusByPath = new TreeMap<>();
        statuses.forEach((path, counts) -> {
            Map<Integer, Long> byStatus = new TreeMap<>();
            counts.forEach((status, n) -> byStatus.put(status, n.sum()));
            statusByPath.put(path, byStatus);
        });
        Map<String, Latencies> latencyByPath = new TreeMap<>();
        latenciesByPath.forEach((path, latencies) -> latencyByPath.put(
                path,
                Latencies.of(
                        latencies.stream().mapToLong(Long::longValue).sorted().toArray())));
        return new Result(
                sent,
                statusByPath,
                connectionErrors.sum(),
                timeouts.sum(),
                List.copyOf(errorSamples),
                percentile(sorted, 100),
                percentile(sorted, 99),
                percentile(sorted, 50),
                latencyByPath,
                elapsed);
    }

    private static Duration percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return Duration.ZERO;
        }
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return Duration.ofNanos(sorted[Math.max(0, Math.min(sorted.length - 1, index))]);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** Latency figures of one path (or of all), from the sorted nanosecond latencies. */
    record Latencies(Duration median, Duration p99, Duration max) {

        static Latencies of(long[] sorted) {
            return new Latencies(percentile(sorted, 50), percentile(sorted, 99), percentile(sorted, 100));
        }

        @Override
        public String toString() {
            return "median " + median.toMillis() + " ms / p99 " + p99.toMillis() + " ms / max " + max.toMillis()
                    + " ms";
        }
    }

    record Result(
            int requests,
            Map<String, Map<Integer, Long>> statusByPath,
            long connectionErrors,
            long timeouts,
            List<String> errorSamples,
            Duration maxLatency,
            Duration p99Latency,
            Duration medianLatency,
            Map<String, Latencies> latencyByPath,
            Duration elapsed) {

        /** Answers per HTTP status over all paths. */
        Map<Integer, Long> statusCounts() {
            Map<Integer, Long> all = new TreeMap<>();
            statusByPath.values().forEach(byStatus -> byStatus.forEach((s, n) -> all.merge(s, n, Long::sum)));
            return all;
        }

        double requestsPerSecond() {
            return requests / Math.max(0.001, elapsed.toNanos() / 1e9);
        }

        String summary() {
            return String.format(
                    "%d requests in %.1f s (%.0f/s), statuses %s, connection errors %d, timeouts %d,"
                            + " latency median %d ms / p99 %d ms / max %d ms",
                    requests,
                    elapsed.toMillis() / 1000.0,
                    requestsPerSecond(),
                    statusCounts(),
                    connectionErrors,
                    timeouts,
                    medianLatency.toMillis(),
                    p99Latency.toMillis(),
                    maxLatency.toMillis());
        }
    }
}
