package dev.redisintegration.redis;

/**
 * Which replication role the manager accepts for the node behind the endpoint ({@code REDIS_EXPECTED_ROLE}).
 *
 * @since 0.2
 */
public enum ExpectedRole {
    /**
     * Only a primary: a node that reports itself a replica (a demoted primary after a failover) fails the probe and
     * makes the manager leave it and reconnect through the endpoint. The default.
     */
    PRIMARY,
    /**
     * Any node, for a deliberate reader endpoint: the manager never leaves a node for being a replica, and a probe of a
     * replica is up. {@code READONLY} replies are still counted.
     */
    ANY
}
