package dev.redisintegration.redis;

/**
 * The replication role a Redis server reports through {@code ROLE}.
 *
 * @since 0.1
 */
public enum ReplicationRole {
    /** The server accepts writes ({@code ROLE} answered {@code master}). */
    PRIMARY,
    /** The server replicates from a primary ({@code ROLE} answered {@code slave}). */
    REPLICA,
    /** The role is not known: Redis is unreachable, refused {@code ROLE}, or answered something else (e.g. {@code sentinel}). */
    UNKNOWN
}
