package dev.redisintegration.redis.internal;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.support.AsyncConnectionPoolSupport;
import io.lettuce.core.support.BoundedAsyncPool;
import io.lettuce.core.support.BoundedPoolConfig;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The bounded pool of exclusive connections for transactions and blocking commands, created on first use. A
 * {@link #drain()} (after the node behind the endpoint changed) closes idle connections at once and connections in
 * use when their work completes, so nothing is handed out again on the old node and no transaction is cut in half.
 */
public final class ExclusivePool {

    private final Connector<StatefulRedisConnection<String, String>> connector;
    private final int maxTotal;
    private final String sizeVariable;
    private final AtomicLong generation = new AtomicLong();
    private BoundedAsyncPool<StatefulRedisConnection<String, String>> pool; // guarded by this

    /**
     * @param sizeVariable the setting that sizes the pool, named in the error when every connection is in use.
     */
    public ExclusivePool(
            Connector<StatefulRedisConnection<String, String>> connector, int maxTotal, String sizeVariable) {
        this.connector = connector;
        this.maxTotal = maxTotal;
        this.sizeVariable = sizeVariable;
    }

    public <T> CompletionStage<T> run(Function<StatefulRedisConnection<String, String>, CompletionStage<T>> work) {
        BoundedAsyncPool<StatefulRedisConnection<String, String>> connections = pool();
        long leasedIn = generation.get();
        CompletableFuture<StatefulRedisConnection<String, String>> acquired = connections
                .acquire()
                .exceptionallyCompose(error -> CompletableFuture.failedFuture(
                        unwrap(error) instanceof NoSuchElementException
                                ? new NoSuchElementException("all " + maxTotal
                                        + " exclusive Redis connections are in use (" + sizeVariable + ")")
                                : unwrap(error)));
        return acquired.thenCompose(connection -> {
            CompletionStage<T> stage;
            try {
                stage = Objects.requireNonNull(
                        work.apply(connection), "work returned null instead of a CompletionStage");
            } catch (RuntimeException | Error e) {
                stage = CompletableFuture.failedFuture(e);
            }
            return stage.whenComplete((value, error) -> release(connections, connection, leasedIn));
        });
    }

    /** Connections to the node that was left are not used again; see the class comment. */
    public void drain() {
        generation.incrementAndGet();
        BoundedAsyncPool<StatefulRedisConnection<String, String>> current;
        synchronized (this) {
            current = pool;
        }
        if (current != null) {
            current.clear(); // closes the idle ones
        }
    }

    public CompletableFuture<Void> closeAsync() {
        synchronized (this) {
            return pool == null ? CompletableFuture.completedFuture(null) : pool.closeAsync();
        }
    }

    private void release(
            BoundedAsyncPool<StatefulRedisConnection<String, String>> connections,
            StatefulRedisConnection<String, String> connection,
            long leasedIn) {
        if (leasedIn == generation.get()) {
            connections.release(connection);
        } else {
            // testOnRelease sees it closed and destroys it instead of pooling it again
            connection.closeAsync().whenComplete((ignored, error) -> connections.release(connection));
        }
    }

    private synchronized BoundedAsyncPool<StatefulRedisConnection<String, String>> pool() {
        if (pool == null) {
            BoundedPoolConfig config = BoundedPoolConfig.builder()
                    .maxTotal(maxTotal)
                    .maxIdle(maxTotal)
                    .minIdle(0)
                    .testOnRelease(true) // a connection the work closed or broke is dropped, not handed out again
                    .build();
            // Not wrapped: the pool hands out the real connection, and we release it ourselves.
            pool = AsyncConnectionPoolSupport.createBoundedObjectPool(
                    () -> connector.connect(StatefulRedisConnection::closeAsync), config, false);
        }
        return pool;
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
