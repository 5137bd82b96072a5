package dev.redisintegration.redis.internal;

import dev.redisintegration.redis.RedisSettings;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections handed to one caller each, for state that must not be shared or silently lost: RESP3 push subscriptions
 * such as {@code CLIENT TRACKING}, {@code SUBSCRIBE}. They come from a client of their own whose connections do not
 * reconnect: Lettuce would reconnect quietly and the server-side state would be gone without the caller knowing, so
 * instead the caller is told once ({@code onDisconnected}) and opens a new one. Same resources, endpoint, TLS, timeouts
 * as the shared connection; the client is created on first use.
 */
final class DedicatedConnections implements RedisConnectionStateListener {

    private static final Logger log = LoggerFactory.getLogger(DedicatedConnections.class);

    private final RedisSettings settings;
    private final ClientResources resources;
    private final ScheduledExecutorService timer;
    private final RedisURI uri;
    private final Map<RedisChannelHandler<?, ?>, Runnable> onDisconnected = new ConcurrentHashMap<>();
    private RedisClient client; // guarded by this
    private boolean closed; // guarded by this

    DedicatedConnections(
            RedisSettings settings, ClientResources resources, ScheduledExecutorService timer, RedisURI uri) {
        this.settings = settings;
        this.resources = resources;
        this.timer = timer;
        this.uri = uri;
    }

    /** One new connection, bounded by the connect timeout; {@code disconnected} runs once when it drops or closes. */
    CompletableFuture<StatefulRedisConnection<String, String>> open(Runnable disconnected) {
        RedisClient opener;
        try {
            opener = client();
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
        Connector<StatefulRedisConnection<String, String>> connector = new Connector<>(
                () -> opener.connectAsync(StringCodec.UTF8, uri),
                resources,
                timer,
                settings.connectTimeout(),
                error -> log.debug("A dedicated Redis connection to {} failed: {}", settings.maskedUrl(), error));
        return connector.connect(StatefulRedisConnection::closeAsync).thenApply(connection -> {
            AtomicBoolean once = new AtomicBoolean();
            Runnable callback = () -> {
                if (once.compareAndSet(false, true)) {
                    onDisconnected.remove(connection);
                    disconnected.run();
                }
            };
            onDisconnected.put((RedisChannelHandler<?, ?>) connection, callback);
            if (!connection.isOpen()) { // it dropped before the callback was in place
                callback.run();
            }
            return connection;
        });
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {}

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        Runnable callback = onDisconnected.get(connection);
        if (callback != null) {
            try {
                callback.run();
            } catch (RuntimeException e) {
                log.warn("A dedicated connection's disconnect callback failed", e);
            }
        }
    }

    @Override
    public void onRedisExceptionCaught(RedisChannelHandler<?, ?> connection, Throwable cause) {}

    CompletableFuture<Void> closeAsync(Duration timeout) {
        RedisClient toClose;
        synchronized (this) {
            closed = true;
            toClose = client;
        }
        if (toClose == null) {
            return CompletableFuture.completedFuture(null);
        }
        return toClose.shutdownAsync(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized RedisClient client() {
        if (closed) {
            throw new IllegalStateException("RedisConnectionManager is closed");
        }
        if (client == null) {
            client = RedisClient.create(resources);
            ClientOptions options = LettuceConfig.clientOptions(settings)
                    .mutate()
                    .autoReconnect(false)
                    .build();
            client.setOptions(options);
            client.addListener(this);
        }
        return client;
    }
}
