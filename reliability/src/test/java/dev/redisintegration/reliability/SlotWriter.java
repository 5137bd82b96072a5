package dev.redisintegration.reliability;

import dev.redisintegration.redis.RedisConnectionManager;
import dev.redisintegration.redis.RedisMode;
import dev.redisintegration.redis.RedisSettings;
import dev.redisintegration.testing.redis.RedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A client of a Redis Cluster in the test JVM, on the library the service runs ({@code REDIS_MODE=cluster}): round
 * after round (100 ms apart) it writes one key to every one of the 16384 hash slots at once and records when the round
 * started, when its last write was answered and how many writes failed. A killed primary shows as rounds with failed
 * writes (its slots) until its replica serves them.
 */
final class SlotWriter implements AutoCloseable {

    static final String CLIENT_NAME = "slot-writer";
    private static final List<String> KEY_PER_SLOT = RedisCluster.keyPerSlot();
    private static final Duration PAUSE = Duration.ofMillis(200);
    /** Longer than the client's command timeout (2 s): the library, not this bound, decides when a write fails. */
    private static final Duration ROUND_BOUND = Duration.ofSeconds(10);

    /** One round: start and end in {@link System#nanoTime()}, failed writes, and one error as a sample. */
    record Round(long startNanos, long endNanos, int failed, String sampleError) {
        boolean ok() {
            return failed == 0;
        }
    }

    private final RedisConnectionManager manager;
    private final ScheduledExecutorService executor;
    private final List<Round> rounds = new ArrayList<>();
    private long seq;

    private SlotWriter(String seeds) {
        manager = RedisConnectionManager.create(RedisSettings.builder()
                .endpoint(seeds)
                .mode(RedisMode.CLUSTER)
                .clientName(CLIENT_NAME)
                .build());
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "slot-writer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts writing rounds to the cluster behind {@code seeds} at once. */
    static SlotWriter start(String seeds) {
        SlotWriter writer = new SlotWriter(seeds);
        writer.executor.scheduleWithFixedDelay(writer::writeRound, 0, PAUSE.toMillis(), TimeUnit.MILLISECONDS);
        return writer;
    }

    private void writeRound() {
        String value = Long.toString(++seq);
        long start = System.nanoTime();
        AtomicReference<String> sample = new AtomicReference<>();
        int failed;
        try {
            var commands = manager.getClient().toCompletableFuture().get(ROUND_BOUND.toMillis(), TimeUnit.MILLISECONDS);
            List<CompletableFuture<Boolean>> writes = new ArrayList<>(KEY_PER_SLOT.size());
            for (String key : KEY_PER_SLOT) {
                writes.add(commands.set(key, value).toCompletableFuture().handle((ok, error) -> {
                    if (error != null) {
                        sample.compareAndSet(null, error.getClass().getSimpleName() + ": " + error.getMessage());
                    }
                    return error == null && "OK".equals(ok);
                }));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                    .get(ROUND_BOUND.toMillis(), TimeUnit.MILLISECONDS);
            failed = (int) writes.stream().filter(write -> !write.join()).count();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            failed = KEY_PER_SLOT.size();
            sample.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Round round = new Round(start, System.nanoTime(), failed, sample.get());
        synchronized (this) {
            rounds.add(round);
        }
    }

    synchronized List<Round> rounds() {
        return List.copyOf(rounds);
    }

    /** The first round that started after {@code sinceNanos} and had every write acknowledged. */
    Optional<Round> firstCompleteRoundSince(long sinceNanos) {
        return rounds().stream()
                .filter(r -> r.ok() && r.startNanos() > sinceNanos)
                .findFirst();
    }

    /** Rounds that started after {@code sinceNanos} and had a failed write. */
    List<Round> failedRoundsSince(long sinceNanos) {
        return rounds().stream()
                .filter(r -> !r.ok() && r.startNanos() >= sinceNanos)
                .toList();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(ROUND_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        manager.close();
    }
}
