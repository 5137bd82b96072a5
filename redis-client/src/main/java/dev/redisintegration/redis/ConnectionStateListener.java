package dev.redisintegration.redis;

/**
 * Receives {@link ConnectionStateEvent}s from a {@link RedisConnectionManager}.
 *
 * <p>Called on a Lettuce thread: return quickly and do not block. An exception thrown by one listener is logged and
 * does not keep the event from other listeners.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ConnectionStateListener {

    /**
     * Called once per event.
     *
     * @param event the event, never {@code null}.
     */
    void onEvent(ConnectionStateEvent event);
}
