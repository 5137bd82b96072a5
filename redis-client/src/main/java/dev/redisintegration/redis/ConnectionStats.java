package dev.redisintegration.redis;

/**
 * Counters of what the manager saw on its connections since it was created, for metrics. Each value only grows.
 *
 * @param readOnlyReplies {@code READONLY} error replies on any connection of the manager: writes sent to a replica.
 * @param replicaVerdicts times a verification found the shared connection on a replica while
 *     {@link ExpectedRole#PRIMARY} was expected.
 * @param hangVerdicts times the shared connection was declared hung: two verifications in a row went unanswered.
 * @param moves forced reconnects: times the manager dropped its connections to a node it had found demoted or hung,
 *     so that the endpoint is resolved and reached again.
 * @param reconnects times the shared connection came back after it was lost (forced or not).
 * @param verifications verifications sent on the shared connection (one {@code ROLE} each, at most about one per
 *     {@link RedisSettings#verifyInterval()} plus one per signal).
 * @param movedReplies {@code MOVED} error replies on a connection used as a standalone server: the endpoint is a
 *     Redis Cluster node, and {@code REDIS_MODE} should say {@code cluster}. Redirects that the cluster client follows
 *     itself are not counted.
 * @since 0.2
 */
public record ConnectionStats(
        long readOnlyReplies,
        long replicaVerdicts,
        long hangVerdicts,
        long moves,
        long reconnects,
        long verifications,
        long movedReplies) {}
