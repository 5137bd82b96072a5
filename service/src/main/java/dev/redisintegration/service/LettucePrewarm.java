package dev.redisintegration.service;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.micronaut.context.annotation.Context;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates, on a background thread while Micronaut is still starting, the dynamic proxy class that Lettuce builds
 * for every new connection's synchronous API ({@code StatefulRedisConnectionImpl} creates it eagerly, though this
 * service only uses the asynchronous one). The JDK caches a proxy class per class loader and interface list, so the
 * first connect, which {@link StartupWarmup} begins once the server is up, finds it ready: generating it (a class
 * with a method for each of several hundred Redis commands) was the largest part of the first connect's CPU time
 * (docs/startup.md). The AppCDS archive cannot hold it: JDK 17 does not archive dynamic proxies.
 *
 * <p>It touches no network and no Redis: should a Lettuce upgrade change that interface list, the class made here
 * simply goes unused. It never fails startup.
 */
@Context
class LettucePrewarm {

    private static final Logger LOG = LoggerFactory.getLogger(LettucePrewarm.class);

    LettucePrewarm() {
        Thread thread = new Thread(LettucePrewarm::generateSyncProxyClass, "lettuce-prewarm");
        thread.setDaemon(true);
        thread.start();
    }

    /** The class loader and interfaces, in order, of Lettuce 7's {@code RedisChannelHandler.syncHandler}. */
    private static void generateSyncProxyClass() {
        try {
            Proxy.newProxyInstance(
                    AbstractRedisClient.class.getClassLoader(),
                    new Class<?>[] {RedisCommands.class, RedisClusterCommands.class},
                    (proxy, method, args) -> null);
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("Lettuce pre-warm failed; the first connect generates the proxy itself", e);
        }
    }
}
