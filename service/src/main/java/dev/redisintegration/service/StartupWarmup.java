package dev.redisintegration.service;

import dev.redisintegration.redis.RedisConnectionManager;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the Redis connection in the background (with Sentinel, then one probe): {@code Application.main} calls
 * {@link #begin()} once the context has started, just before the HTTP server binds its port, and the server's
 * start-up event calls it anyway (an embedded server started otherwise, as in tests). The first connect of a cold
 * JVM runs Lettuce's and Netty's setup for the first time, and a first Sentinel probe opens a connection to every
 * Sentinel; begun here, no probe request pays for them, and the connect runs beside the server's start and its first
 * request. Not earlier: a connect that raced all of Micronaut's start-up for the CPU overran its connect timeout on a
 * loaded machine and reported a healthy Redis as down (docs/startup.md). A context without a server (a unit test's)
 * never connects.
 * It deliberately does not run a health report: a cold-start timeout would then sit in the cache as DOWN.
 * It never fails startup: without Redis the connect fails, redis-client logs that once, and health reports DOWN.
 */
@Singleton
class StartupWarmup implements ApplicationEventListener<ServerStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(StartupWarmup.class);

    private final RedisConnectionManager redis;
    private final AtomicBoolean begun = new AtomicBoolean();

    StartupWarmup(RedisConnectionManager redis) {
        this.redis = redis;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        begin();
    }

    /** Starts the connect; only the first call does anything. */
    void begin() {
        if (!begun.compareAndSet(false, true)) {
            return;
        }
        redis.getClient().whenComplete((client, error) -> {
            if (error != null) {
                // Already logged by redis-client as a state change; repeating it here would log it twice.
                LOG.debug("Initial Redis connect failed", error);
            }
            // With Sentinel, one probe outside the health registry (nothing is cached) opens the probe's own
            // connections to every Sentinel, which no connection event follows: a first /health that had to open them
            // on a loaded machine could time out and keep that DOWN for the failure TTL. Also after a failed connect:
            // a cold JVM's connect may finish after its deadline (the client keeps it), and probe() never fails.
            // Other modes probe on what the connect opened already.
            if (redis.settings().sentinelMaster() != null) {
                redis.probe()
                        .thenAccept(probe -> LOG.debug("Initial Redis probe: up={} {}", probe.up(), probe.details()));
            }
        });
    }
}
