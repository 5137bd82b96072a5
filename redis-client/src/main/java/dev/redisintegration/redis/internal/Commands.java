package dev.redisintegration.redis.internal;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/** The async command set a standalone and a cluster connection share, from either. */
public final class Commands {

    private Commands() {}

    @SuppressWarnings("unchecked")
    public static RedisClusterAsyncCommands<String, String> of(StatefulConnection<String, String> connection) {
        if (connection instanceof StatefulRedisClusterConnection<?, ?> cluster) {
            return ((StatefulRedisClusterConnection<String, String>) cluster).async();
        }
        if (connection instanceof StatefulRedisConnection<?, ?> standalone) {
            return ((StatefulRedisConnection<String, String>) standalone).async();
        }
        throw new IllegalArgumentException(
                "not a command connection: " + connection.getClass().getName());
    }
}
