package dev.redisintegration.cache;

/**
 * Redis could not serve a {@link RedisSessionStore} call (down, hung, slower than the store's deadline, or an error
 * reply). Sessions do not fail open: a caller must treat the user as not authenticated (or answer 503), never as
 * having an empty session. The message names the cause, never a session id.
 *
 * @since 0.1
 */
public final class SessionStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception.
     *
     * @param message what failed, without a session id.
     * @param cause the Redis failure.
     */
    public SessionStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
