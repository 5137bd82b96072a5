package dev.redisintegration.service;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisAsyncCommandsImpl;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.internal.AbstractInvocationHandler;
import io.micronaut.context.annotation.Context;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares, on a background thread while Micronaut is still starting, what Lettuce builds for every new connection's
 * synchronous API ({@code StatefulRedisConnectionImpl} creates it eagerly, though this service only uses the
 * asynchronous one), so the first connect, which {@link StartupWarmup} begins once the server is up, finds both
 * ready (docs/startup.md):
 *
 * <ul>
 *   <li>the dynamic proxy class: the JDK caches one per class loader and interface list; generating it (a class with
 *       a method for each of several hundred Redis commands) was the largest part of the first connect's CPU time.
 *       The AppCDS archive cannot hold it: JDK 17 does not archive dynamic proxies;
 *   <li>Lettuce's method translator from those interfaces to {@code RedisAsyncCommandsImpl}, which Lettuce caches
 *       per implementation class ({@code AbstractInvocationHandler.MethodTranslator.of}): building it (reflection
 *       over the same several hundred methods) was most of what remained of the first connect's CPU time.
 * </ul>
 *
 * <p>It touches no network and no Redis, and never fails startup. Both use the interface list of Lettuce's
 * {@code StatefulRedisConnectionImpl}; {@code LettucePrewarmIT} fails should a Lettuce upgrade change it (the
 * translator, cached under the implementation class alone, would then miss the new interface's methods).
 */
@Context
class LettucePrewarm {

    private static final Logger LOG = LoggerFactory.getLogger(LettucePrewarm.class);

    LettucePrewarm() {
        Thread thread = new Thread(LettucePrewarm::generateSyncProxyClass, "lettuce-prewarm");
        thread.setDaemon(true);
        thread.start();
    }

    /** The interfaces, in order, of Lettuce 7's {@code StatefulRedisConnectionImpl} synchronous API. */
    static final Class<?>[] SYNC_INTERFACES = {RedisCommands.class, RedisClusterCommands.class};

    /** The class loader and interfaces of Lettuce 7's {@code RedisChannelHandler.syncHandler}, and its translator. */
    static void generateSyncProxyClass() {
        try {
            Proxy.newProxyInstance(
                    AbstractRedisClient.class.getClassLoader(), SYNC_INTERFACES.clone(), (proxy, method, args) -> null);
            TranslatorAccess.prepare();
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("Lettuce pre-warm failed; the first connect prepares its synchronous API itself", e);
        }
    }

    /** A subclass only to reach Lettuce's protected {@code MethodTranslator}; never instantiated. */
    private abstract static class TranslatorAccess extends AbstractInvocationHandler {
        static void prepare() {
            MethodTranslator.of(RedisAsyncCommandsImpl.class, SYNC_INTERFACES.clone());
        }
    }
}
