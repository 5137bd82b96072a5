package dev.redisintegration.redis.internal;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Opens one new connection, bounded by the connect timeout even if TCP connects but the handshake hangs (or, for
 * Sentinel and Cluster, the lookup of the primary or the topology does).
 *
 * @param <C> the connection type: a standalone connection, or a cluster connection.
 */
public final class Connector<C extends StatefulConnection<String, String>> {

    private final Supplier<? extends CompletionStage<? extends C>> opener;
    private final ClientResources resources;
    private final ScheduledExecutorService timer;
    private final Duration connectTimeout;
    private final Consumer<Throwable> onFailure;

    /**
     * @param opener starts one connect (Lettuce's {@code connectAsync}); called on a Lettuce computation thread.
     * @param onFailure told about every failed connect (not about one that finished after its deadline).
     */
    public Connector(
            Supplier<? extends CompletionStage<? extends C>> opener,
            ClientResources resources,
            ScheduledExecutorService timer,
            Duration connectTimeout,
            Consumer<Throwable> onFailure) {
        this.opener = opener;
        this.resources = resources;
        this.timer = timer;
        this.connectTimeout = connectTimeout;
        this.onFailure = onFailure;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Lettuce's connectAsync does some work on the calling thread (the first call in a JVM loads and initializes a
     * lot), so it runs on a Lettuce computation thread: callers return at once and their deadlines hold.
     *
     * @param lateConnection receives a connection that completed after the deadline.
     */
    public CompletableFuture<C> connect(Consumer<C> lateConnection) {
        CompletableFuture<C> connecting = new CompletableFuture<>();
        CompletableFuture<C> bounded =
                Deadlines.failAfter(connecting, connectTimeout, "connect", timer, lateConnection);
        try {
            resources.eventExecutorGroup().execute(() -> {
                try {
                    opener.get().whenComplete((connection, error) -> {
                        if (error != null) {
                            connecting.completeExceptionally(error);
                        } else {
                            connecting.complete(connection);
                        }
                    });
                } catch (RuntimeException e) {
                    connecting.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            connecting.completeExceptionally(new IllegalStateException("RedisConnectionManager is closed", e));
        }
        return bounded.whenComplete((connection, error) -> {
            if (error != null) {
                onFailure.accept(error);
            }
        });
    }
}
