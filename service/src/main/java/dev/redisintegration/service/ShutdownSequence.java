package dev.redisintegration.service;

import io.micronaut.context.ApplicationContext;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order in which the service stops, run by the JVM shutdown hook (SIGTERM, Ctrl-C):
 * <ol>
 *   <li>readiness turns DOWN ({@link ServingState}); the server still serves, so load balancers and Kubernetes
 *       see the DOWN and stop sending traffic;</li>
 *   <li>after {@code health.shutdown.drain-delay}, the context closes: its ShutdownEvent starts Micronaut's
 *       graceful shutdown ({@code micronaut.lifecycle.graceful-shutdown}), which stops accepting connections
 *       and waits, up to the grace period, for in-flight requests to finish;</li>
 *   <li>then the beans are destroyed: the health registry, then the Redis connection manager.</li>
 * </ol>
 * The drain delay is the service's only drain: the Kubernetes manifests add no {@code preStop} sleep (why: README,
 * "Shutdown sequence").
 */
@Singleton
public class ShutdownSequence {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSequence.class);

    private final ApplicationContext context;
    private final ServingState servingState;
    private final Duration drainDelay;

    ShutdownSequence(ApplicationContext context, ServingState servingState, HealthSettings settings) {
        this.context = context;
        this.servingState = servingState;
        this.drainDelay = settings.shutdown().drainDelay();
    }

    /** Runs the sequence; blocks the calling (shutdown-hook) thread until the context is closed. */
    public void run() {
        if (servingState.markShuttingDown()) {
            LOG.info("Shutdown 1/3: readiness DOWN, still serving for {} ms", drainDelay.toMillis());
        }
        try {
            Thread.sleep(drainDelay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Shutdown 2/3: stopping the HTTP server gracefully (in-flight requests finish)");
        if (context.isRunning()) {
            context.close();
        }
        LOG.info("Shutdown 3/3: complete, Redis connection closed");
    }
}
