package dev.redisintegration.redis;

/**
 * A registration of a {@link ConnectionStateListener}; closing it unsubscribes the listener. Idempotent.
 *
 * @since 0.1
 */
public interface ConnectionStateSubscription extends AutoCloseable {

    /** Stops delivering events to the listener. Calling it again has no effect. */
    @Override
    void close();
}
