package dev.redisintegration.service;

import dev.redisintegration.redis.RedisConnectionManager;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the Redis connection right after startup, in the background (with Sentinel, then one probe). The first
 * connect of a cold JVM loads Lettuce and Netty classes (around a second on a small machine), and a first Sentinel
 * probe opens a connection to every Sentinel; begun here, no probe request pays for them.
 * It deliberately does not run a health report: a cold-start timeout would then sit in the cache as DOWN.
 * It never fails startup: without Redis the connect fails, redis-client logs that once, and health reports DOWN.
 */
@Singleton
class StartupWarmup implements ApplicationEventListener<ServerStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(StartupWarmup.class);

    private final RedisConnectionManager redis;

    StartupWarmup(RedisConnectionManager redis) {
        this.redis = redis;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
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
