package dev.redisintegration.devenv;

import dev.redisintegration.redis.RedisSettings;
import java.util.Map;

/**
 * The Redis variables a manifest or a dev-env script hands the service, read by the client itself: what
 * {@link RedisSettings#fromEnvironment} accepts is what the service starts with, and the settings it returns say which
 * topology ({@code REDIS_MODE}) and which nodes the variables select.
 */
final class RedisModes {

    private RedisModes() {}

    /**
     * The settings the service would start with.
     *
     * @param env the {@code REDIS_*} variables (no password: those come from a Secret).
     * @param where what the variables come from, for the failure message.
     * @return the client's reading of them.
     * @throws AssertionError with the client's own message (which names the variable) when it refuses them.
     */
    static RedisSettings accepted(Map<String, String> env, String where) {
        try {
            return RedisSettings.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            throw new AssertionError(
                    "the service would refuse to start with the variables of " + where + " " + env + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
