package dev.redisintegration.redis;

/**
 * How the manager reaches Redis ({@code REDIS_MODE}); the {@code getClient()} API is the same in every mode.
 *
 * @since 0.3
 */
public enum RedisMode {
    /**
     * One server (or one managed primary endpoint) at one host; the manager follows the primary behind it after a
     * failover (see the module README, "Failover").
     */
    STANDALONE,
    /**
     * Redis Sentinel: the endpoint lists the Sentinels and names the primary
     * ({@code redis-sentinel://host[:port][,host[:port]...]#master}); the Sentinels are asked for the primary at every
     * connect and reconnect.
     */
    SENTINEL,
    /**
     * Redis Cluster: the endpoint lists seed nodes (or one configuration endpoint); the cluster's own topology decides
     * which node serves which key.
     */
    CLUSTER,
    /**
     * Decided from the endpoint: a {@code redis-sentinel://} endpoint means {@link #SENTINEL}, several hosts mean
     * {@link #CLUSTER}, one host is asked at the first connect ({@code INFO cluster}) and used as a cluster if it is a
     * cluster node, else as {@link #STANDALONE}. The default.
     */
    AUTO
}
