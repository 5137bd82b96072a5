package dev.redisintegration.service;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.ShutdownEvent;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this instance still wants new traffic. Flipped once, at the start of shutdown, so that readiness reports
 * DOWN while in-flight requests are still being served.
 */
@Singleton
public class ServingState implements ApplicationEventListener<ShutdownEvent> {

    private final AtomicBoolean shuttingDown = new AtomicBoolean();

    /**
     * Marks the instance as shutting down; readiness reports DOWN from now on.
     *
     * @return {@code true} if this call made the change.
     */
    public boolean markShuttingDown() {
        return shuttingDown.compareAndSet(false, true);
    }

    public boolean isShuttingDown() {
        return shuttingDown.get();
    }

    // A context closed by other means than ShutdownSequence (tests, embedding) still turns readiness DOWN.
    @Override
    public void onApplicationEvent(ShutdownEvent event) {
        markShuttingDown();
    }
}
