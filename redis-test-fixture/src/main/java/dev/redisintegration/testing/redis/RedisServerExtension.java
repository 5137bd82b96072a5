package dev.redisintegration.testing.redis;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * Gives a test class one real Redis ({@link RedisServer#start()}: plain, no password, a free port, never 6379).
 *
 * <pre>{@code
 * @ExtendWith(RedisServerExtension.class)
 * class PingIT {
 *   @Test
 *   void answersPing(RedisServer redis) {
 *     assertThat(redis.command("PING")).isEqualTo("PONG");
 *   }
 * }
 * }</pre>
 *
 * <p>Behaviour:
 * <ul>
 *   <li>One server per top-level test class (shared with its {@code @Nested} classes), started on first use and
 *       closed after the class.
 *   <li>Injected into parameters of type {@link RedisServer} of test methods, constructors, lifecycle methods
 *       ({@code @BeforeAll}, {@code @BeforeEach}, ...), and into every non-final field of type {@link RedisServer}
 *       that is still {@code null}: static fields before {@code @BeforeAll}, instance fields after construction.
 *   <li>After each test the server is brought back to a clean, answering state so one test's fault does not leak into
 *       the next: a paused server is resumed, a stopped one restarted (same port), one made a replica promoted back,
 *       then {@code FLUSHALL} and
 *       {@code CONFIG RESETSTAT} (so {@link RedisServer#commandCount} starts from 0 in every test).
 * </ul>
 * Servers with options (password, TLS, replicas) are built by the test itself with {@link RedisServer#builder()}.
 */
public final class RedisServerExtension
        implements BeforeAllCallback,
                TestInstancePostProcessor,
                ParameterResolver,
                AfterEachCallback,
                AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(RedisServerExtension.class);
    private static final String KEY = "server";
    private static final Object LOCK = new Object();

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        for (Field field : context.getRequiredTestClass().getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                inject(field, null, context);
            }
        }
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) throws IllegalAccessException {
        for (Field field : testInstance.getClass().getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                inject(field, testInstance, context);
            }
        }
    }

    private static void inject(Field field, Object target, ExtensionContext context) throws IllegalAccessException {
        if (field.getType() != RedisServer.class || Modifier.isFinal(field.getModifiers())) {
            return;
        }
        field.setAccessible(true);
        if (field.get(target) == null) {
            field.set(target, server(context));
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == RedisServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return server(extensionContext);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        RedisServer server = owner(context).getStore(NAMESPACE).get(KEY, RedisServer.class);
        if (server == null) {
            return;
        }
        if (!server.isRunning()) {
            server.restart();
        } else if (server.isPaused()) {
            server.resume();
        }
        if (!"master".equals(server.role())) {
            server.promote(); // a test made it a replica: FLUSHALL would fail with READONLY
        }
        server.command("FLUSHALL");
        server.resetStats();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (owner(context) != context) {
            return; // a @Nested class: the server belongs to the enclosing class
        }
        RedisServer server = context.getStore(NAMESPACE).remove(KEY, RedisServer.class);
        if (server != null) {
            server.close();
        }
    }

    private static RedisServer server(ExtensionContext context) {
        ExtensionContext.Store store = owner(context).getStore(NAMESPACE);
        synchronized (LOCK) {
            RedisServer server = store.get(KEY, RedisServer.class);
            if (server == null) {
                server = RedisServer.start();
                store.put(KEY, server);
            }
            return server;
        }
    }

    /** The context of the top-level test class: the child of the engine's root context. */
    private static ExtensionContext owner(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getParent().isPresent()
                && current.getParent().get().getParent().isPresent()) {
            current = current.getParent().get();
        }
        if (current.getTestClass().isEmpty()) {
            throw new ExtensionConfigurationException("RedisServerExtension works on test classes only");
        }
        return current;
    }
}
