package dev.redisintegration.service;

import dev.redisintegration.redis.RedisSettings;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.PrintStream;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of the health service. */
public final class Application {

    /** Exit status for a configuration error detected before startup. */
    static final int EXIT_BAD_CONFIGURATION = 2;

    private Application() {}

    public static void main(String[] args) {
        int status = checkEnvironment(System.getenv(), System.err);
        if (status != 0) {
            System.exit(status);
        }
        long start = System.nanoTime();
        Logger log = LoggerFactory.getLogger(Application.class);
        // One-off work off the main thread while Micronaut starts (docs/startup.md); after logging is configured,
        // since it initialises classes that take their loggers at once.
        StartupPrewarm.start();
        // The jar's service list, made by the build, instead of Micronaut's scan of the jar (docs/startup.md).
        ServiceIndex.install(Application.class.getClassLoader());
        ApplicationContext context =
                Micronaut.build(args).mainClass(Application.class).build().start();
        try {
            // The Redis connect runs beside the server's start instead of after it (docs/startup.md).
            context.getBean(StartupWarmup.class).begin();
            EmbeddedServer server = context.getBean(EmbeddedServer.class);
            server.start();
            // Our hook instead of Micronaut.run's: that one stops the HTTP server before anything else, so
            // readiness could never report DOWN while in-flight requests finish. See ShutdownSequence.
            ShutdownSequence shutdown = context.getBean(ShutdownSequence.class);
            Runtime.getRuntime().addShutdownHook(new Thread(shutdown::run, "service-shutdown"));
            log.info(
                    "Startup completed in {} ms. Server running: {}",
                    (System.nanoTime() - start) / 1_000_000,
                    server.getURL());
        } catch (RuntimeException e) {
            // e.g. port in use: one line, not a stack trace wall (DEBUG has the trace).
            log.error("Startup failed: {}", e.getMessage());
            log.debug("Startup failure", e);
            context.close();
            System.exit(1);
        }
    }

    /**
     * Validates the Redis environment before Micronaut starts, so a malformed {@code REDIS_PRIMARY_ENDPOINT} ends
     * the process with one clear line instead of a bean-creation stack trace at the first request.
     *
     * @param env the environment, e.g. {@code System.getenv()}.
     * @param err where to print the message.
     * @return 0 when valid, {@link #EXIT_BAD_CONFIGURATION} otherwise.
     */
    static int checkEnvironment(Map<String, String> env, PrintStream err) {
        try {
            RedisSettings.fromEnvironment(env);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("redis-health-service: invalid configuration: " + e.getMessage());
            return EXIT_BAD_CONFIGURATION;
        }
    }
}
