package dev.redisintegration.service;

import dev.redisintegration.redis.RedisSettings;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.value.PropertyResolver;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code REDIS_*} variables redis-client reads, as Micronaut resolves them: each name from
 * {@link RedisSettings#environmentVariables()} is looked up under its property name ({@code REDIS_PRIMARY_ENDPOINT} ->
 * {@code redis.primary.endpoint}), which Micronaut finds in any property source: the process environment (it maps
 * {@code REDIS_PRIMARY_ENDPOINT} to {@code redis.primary.endpoint}), system properties, application.yml, or a test's
 * {@code @Property}. The result is the map {@link RedisSettings#fromEnvironment(Map)} expects.
 */
final class RedisEnvironment {

    private RedisEnvironment() {}

    /**
     * The Micronaut property name of a {@code REDIS_*} variable.
     *
     * @param variable e.g. {@code REDIS_PRIMARY_ENDPOINT}.
     * @return e.g. {@code redis.primary.endpoint}.
     */
    static String propertyName(String variable) {
        return variable.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /**
     * Reads every variable redis-client knows; unset ones are left out, so redis-client applies its defaults.
     *
     * @param properties Micronaut's environment.
     * @return variable name to value, in redis-client's documentation order.
     * @throws IllegalArgumentException naming the variable, never its value, when Micronaut cannot resolve it.
     */
    static Map<String, String> read(PropertyResolver properties) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String variable : RedisSettings.environmentVariables()) {
            String property = propertyName(variable);
            try {
                properties.getProperty(property, String.class).ifPresent(value -> env.put(variable, value));
            } catch (ConfigurationException e) {
                // Micronaut reads "${" in a value as a placeholder and puts the whole value in its message: a
                // password must not reach the log that way, so neither the value nor that message is passed on.
                throw new IllegalArgumentException(variable + " (" + property + ") cannot be resolved by Micronaut: "
                        + "a value containing '${' is read as a placeholder");
            }
        }
        return env;
    }
}
