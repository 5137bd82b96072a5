package dev.redisintegration.redis;

/**
 * What happened to the manager's shared connection.
 *
 * @since 0.1
 */
public enum ConnectionState {
    /** The shared connection is (again) connected and authenticated. */
    CONNECTED,
    /** The shared connection was lost; Lettuce reconnects in the background. */
    DISCONNECTED,
    /** One reconnect attempt failed; another follows after a jittered back-off of at most about 2 s. */
    RECONNECT_FAILED,
    /**
     * A connect of the shared connection failed before it ever connected (Redis absent, wrong password, ...); the
     * manager retries in the background with the same back-off. The detail is the secret-free reason. Sent per attempt,
     * so a cached health result made while the first connect was still under way does not outlive it.
     *
     * @since 0.2
     */
    CONNECT_FAILED,
    /**
     * The manager found the node behind its connections unusable (a {@code READONLY} reply or a verification showed a
     * replica, or the node stopped answering) and is dropping its connections to it so that they reconnect through the
     * endpoint. The detail names the node's address and why.
     *
     * @since 0.2
     */
    LEAVING_NODE,
    /**
     * After {@link #LEAVING_NODE}, the shared connection reached a node verified as usable (the primary, unless
     * {@link ExpectedRole#ANY}). The detail names the old and the new address.
     *
     * @since 0.2
     */
    MOVED
}
