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
  RECONNECT_FAILED
}
