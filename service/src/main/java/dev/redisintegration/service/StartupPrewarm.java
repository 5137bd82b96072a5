package dev.redisintegration.service;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisAsyncCommandsImpl;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.internal.AbstractInvocationHandler;
import io.lettuce.core.resource.DefaultClientResources;
import java.lang.reflect.Proxy;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Does, on a background thread that {@code Application.main} starts before Micronaut, one-off work that would
 * otherwise sit on the path from launch to the first answer of {@code /health/ready} (docs/startup.md). Class
 * initialisation runs once per JVM, whoever triggers it: a thread that gets there while this one is at it waits for
 * it instead of doing it again.
 *
 * <ul>
 *   <li>the static initialisation of Lettuce's client resources and client, which the Redis connection manager's
 *       bean runs while Micronaut starts: Netty's platform probing (on JDK 24 and later its cleaner is linked
 *       through method handles), loading the native epoll transport, Lettuce's defaults; the largest single item
 *       of the main thread's start-up;
 *   <li>Micronaut's JFR event for HTTP/1 requests: Micronaut 4 loads it at the first request, and the first JFR
 *       event class a JVM loads sets up JFR's metadata (about a hundred JDK classes, over 100 ms on the event loop
 *       that serves the first request). JFR event classes are never in a class archive;
 *   <li>the dynamic proxy class of the synchronous API Lettuce builds for every new connection
 *       ({@code StatefulRedisConnectionImpl} creates it eagerly, though this service only uses the asynchronous
 *       one): the JDK caches one per class loader and interface list; generating it (a class with a method for each
 *       of several hundred Redis commands) was the largest part of the first connect's CPU time. No class archive
 *       holds dynamic proxies;
 *   <li>Lettuce's method translator from those interfaces to {@code RedisAsyncCommandsImpl}, which Lettuce caches
 *       per implementation class ({@code AbstractInvocationHandler.MethodTranslator.of}): building it (reflection
 *       over the same several hundred methods) was most of what remained of the first connect's CPU time.
 * </ul>
 *
 * <p>It touches no network and no Redis, and never fails startup: should an upgrade rename or change what it
 * prepares, the work simply happens where it did before. {@code StartupPrewarmIT} fails in that case: the event
 * class must exist, and the Lettuce interface list must be {@code StatefulRedisConnectionImpl}'s (the translator,
 * cached under the implementation class alone, would otherwise miss the new interface's methods).
 */
final class StartupPrewarm {

    private static final Logger LOG = LoggerFactory.getLogger(StartupPrewarm.class);

    /** Micronaut 4's JFR event for HTTP/1 requests ({@code io.micronaut.http.server.netty.handler}). */
    static final String REQUEST_EVENT_CLASS = "io.micronaut.http.server.netty.handler.Http1RequestEvent";

    /** The interfaces, in order, of Lettuce 7's {@code StatefulRedisConnectionImpl} synchronous API. */
    static final Class<?>[] SYNC_INTERFACES = {RedisCommands.class, RedisClusterCommands.class};

    private StartupPrewarm() {}

    /** Starts the background thread; it ends when its work is done. */
    static void start() {
        Thread thread = new Thread(
                () -> {
                    // In the order the service needs them: the manager's bean while the context starts, then the
                    // first request, then the first connect.
                    initialiseLettuceClasses();
                    initialiseRequestEvent();
                    generateSyncProxyClass();
                },
                "startup-prewarm");
        thread.setDaemon(true);
        thread.start();
    }

    /** Lettuce's classes whose static initialisation the connection manager's construction runs. */
    static final List<String> LETTUCE_CLASSES = List.of(
            DefaultClientResources.class.getName(),
            RedisClient.class.getName(),
            SocketOptions.TcpUserTimeoutOptions.class.getName());

    /** Initialises {@link #LETTUCE_CLASSES}; {@code false} when one fails (it is then left to the main thread). */
    static boolean initialiseLettuceClasses() {
        return initialise(
                LETTUCE_CLASSES,
                "Lettuce class pre-warm failed; the connection manager's construction initialises them");
    }

    /** Loads and initialises Micronaut's request event class; {@code false} when it is not there. */
    static boolean initialiseRequestEvent() {
        return initialise(
                List.of(REQUEST_EVENT_CLASS), "Request event pre-warm failed; the first request sets up JFR itself");
    }

    private static boolean initialise(List<String> classNames, String onFailure) {
        try {
            for (String name : classNames) {
                Class.forName(name, true, StartupPrewarm.class.getClassLoader());
            }
            return true;
        } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
            LOG.debug(onFailure, e);
            return false;
        }
    }

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
