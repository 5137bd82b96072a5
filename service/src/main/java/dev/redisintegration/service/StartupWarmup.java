package dev.redisintegration.service;

import dev.redisintegration.health.HealthRegistry;
import dev.redisintegration.health.HealthReport;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * Runs one health report right after startup, off the main and event-loop threads. The first Redis probe of a
 * cold JVM loads Lettuce and Netty classes and starts the connection (over a second); done here, no probe request
 * pays for it. It never fails startup: without Redis the report is simply DOWN, and logged.
 */
@Singleton
class StartupWarmup implements ApplicationEventListener<ServerStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(StartupWarmup.class);

    private final HealthRegistry registry;

    StartupWarmup(HealthRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        CompletableFuture.runAsync(() -> registry.report().whenComplete((report, error) -> log(report)));
    }

    private static void log(HealthReport report) {
        if (report == null) {
            return;
        }
        if (report.isUp()) {
            LOG.info("Initial health: UP");
        } else {
            LOG.warn("Initial health: {} (failing: {})", report.status(), report.failingChecks());
        }
    }
}
