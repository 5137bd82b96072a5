package dev.redisintegration.service;

import dev.redisintegration.redis.RedisSettings;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.Map;

/**
 * Points the service at a test's own redis-server: builds {@link RedisSettings} from an env-like map instead of the
 * process environment, exactly as production does from {@code System.getenv()}.
 * Active when {@code test.redis.endpoint} is set.
 */
@Factory
@Requires(property = TestRedisSettingsFactory.ENDPOINT)
class TestRedisSettingsFactory {

    static final String ENDPOINT = "test.redis.endpoint";
    static final String PASSWORD = "test.redis.password";

    @Singleton
    @Replaces(RedisSettings.class)
    RedisSettings testRedisSettings(@Value("${" + ENDPOINT + "}") String endpoint,
                                    @Value("${" + PASSWORD + ":}") String password) {
        Map<String, String> env = new HashMap<>();
        env.put(RedisSettings.ENV_ENDPOINT, endpoint);
        if (!password.isEmpty()) {
            env.put(RedisSettings.ENV_PASSWORD, password);
        }
        return RedisSettings.fromEnvironment(env);
    }
}
