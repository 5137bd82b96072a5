package dev.redisintegration.bench.quarkus;

import io.quarkus.arc.Unremovable;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The one use of Redis in this peer: Quarkus creates a Redis client (and with it the Redis readiness check) only for
 * an injection point, as any application that uses Redis has.
 */
@ApplicationScoped
@Unremovable
public class RedisUser {

    @Inject
    RedisDataSource redis;
}
