package dev.redisintegration.redis;

import dev.redisintegration.redis.internal.Durations;
import dev.redisintegration.redis.internal.Endpoint;
import dev.redisintegration.redis.internal.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads {@link RedisSettings} from {@code REDIS_*} variables. It only turns text into values: every rule is the
 * builder's (the settings record validates), applied one variable at a time so that a failure names the variable that
 * broke it, with its value masked, and lists the accepted forms.
 */
final class EnvironmentReader {

    private static final String MODE_FORMS = "standalone (one host), sentinel (a redis-sentinel://…#master endpoint), "
            + "cluster (seeds host:port,host:port,… or one redis:// or rediss:// URL; database 0) or auto (the default: "
            + "decided by the endpoint, one host at the first connect)";

    private static final String EXPECTED_ROLE_FORMS = "primary or any";

    private final Map<String, String> env;
    private final String password;
    private final String sentinelPassword;
    private final RedisSettings.Builder builder = RedisSettings.builder();

    private EnvironmentReader(Map<String, String> env) {
        this.env = env;
        this.password = value(RedisSettings.ENV_PASSWORD);
        this.sentinelPassword = value(RedisSettings.ENV_SENTINEL_PASSWORD);
    }

    static RedisSettings read(Map<String, String> env) {
        EnvironmentReader reader = new EnvironmentReader(env);
        try {
            return reader.read();
        } catch (IllegalArgumentException e) {
            // A password pasted into the wrong variable must not leak through that variable's message either.
            String message = Secrets.redact(Secrets.redact(e.getMessage(), reader.password), reader.sentinelPassword);
            throw message != null && !message.equals(e.getMessage()) ? new IllegalArgumentException(message) : e;
        }
    }

    private RedisSettings read() {
        String endpoint = value(RedisSettings.ENV_ENDPOINT);
        String shownEndpoint = endpoint == null ? null : Secrets.maskEndpointValue(endpoint.strip());
        if (endpoint != null) {
            Endpoint parsed;
            try {
                parsed = Endpoint.parse(endpoint);
            } catch (IllegalArgumentException e) {
                throw invalid(RedisSettings.ENV_ENDPOINT, shownEndpoint, e.getMessage(), Endpoint.FORMS);
            }
            apply(RedisSettings.ENV_ENDPOINT, shownEndpoint, Endpoint.FORMS, b -> b.endpoint(parsed));
        }
        String mode = value(RedisSettings.ENV_MODE);
        if (mode != null) {
            RedisMode parsed = switch (mode.strip().toLowerCase(Locale.ROOT)) {
                case "standalone" -> RedisMode.STANDALONE;
                case "sentinel" -> RedisMode.SENTINEL;
                case "cluster" -> RedisMode.CLUSTER;
                case "auto" -> RedisMode.AUTO;
                default -> throw invalid(RedisSettings.ENV_MODE, mode, "unknown mode", MODE_FORMS);
            };
            builder.mode(parsed);
            try {
                builder.build();
            } catch (IllegalArgumentException e) {
                // A combination: name both variables, so that whoever reads it knows which two to look at.
                throw new IllegalArgumentException(RedisSettings.ENV_MODE + "='" + mode + "' does not fit "
                        + RedisSettings.ENV_ENDPOINT + "='" + (shownEndpoint == null ? "" : shownEndpoint)
                        + "' (unset means "
                        + RedisSettings.DEFAULT_HOST + ":" + RedisSettings.DEFAULT_PORT + "): " + e.getMessage()
                        + ". Accepted forms: " + MODE_FORMS);
            }
        }
        String username = value(RedisSettings.ENV_USERNAME);
        if (username != null) {
            builder.username(username);
        }
        if (password != null) {
            builder.password(password);
        }
        if (sentinelPassword != null) {
            // Shown masked whatever it holds: it is a password.
            apply(
                    RedisSettings.ENV_SENTINEL_PASSWORD,
                    Secrets.MASK,
                    "the Sentinels' password, with a redis-sentinel://" + "…#master " + RedisSettings.ENV_ENDPOINT,
                    b -> b.sentinelPassword(sentinelPassword));
        }
        if (builder.username() != null && builder.password() == null) {
            throw new IllegalArgumentException(RedisSettings.ENV_USERNAME + "='" + builder.username()
                    + "' is set but no password is: set " + RedisSettings.ENV_PASSWORD + " or put it in "
                    + RedisSettings.ENV_ENDPOINT + " (redis://user:password@host)");
        }
        duration(RedisSettings.ENV_CONNECT_TIMEOUT, builder::connectTimeout);
        duration(RedisSettings.ENV_COMMAND_TIMEOUT, builder::commandTimeout);
        duration(RedisSettings.ENV_PING_TIMEOUT, builder::pingTimeout);
        duration(RedisSettings.ENV_VERIFY_INTERVAL, builder::verifyInterval);
        String dnsMaxTtl = value(RedisSettings.ENV_DNS_MAX_TTL);
        if (dnsMaxTtl != null) {
            Duration ttl = dnsMaxTtl.strip().matches("0+(s|ms)?")
                    ? Duration.ZERO
                    : parse(
                            RedisSettings.ENV_DNS_MAX_TTL,
                            dnsMaxTtl,
                            Durations.ACCEPTED_FORMS + " (whole seconds), or 0");
            apply(
                    RedisSettings.ENV_DNS_MAX_TTL,
                    dnsMaxTtl,
                    "whole seconds such as 5s or 30s, or 0 to resolve on every " + "connect",
                    b -> b.dnsMaxTtl(ttl));
        }
        String clientName = value(RedisSettings.ENV_CLIENT_NAME);
        if (clientName != null) {
            apply(
                    RedisSettings.ENV_CLIENT_NAME,
                    clientName,
                    "printable ASCII without spaces, e.g. orders-service",
                    b -> b.clientName(clientName));
        }
        String poolMaxTotal = value(RedisSettings.ENV_POOL_MAX_TOTAL);
        if (poolMaxTotal != null) {
            String forms = "a whole number from 1 to 999999, e.g. 8";
            String trimmed = poolMaxTotal.strip();
            if (!trimmed.matches("\\d{1,6}")) {
                throw invalid(RedisSettings.ENV_POOL_MAX_TOTAL, poolMaxTotal, "not a positive whole number", forms);
            }
            apply(
                    RedisSettings.ENV_POOL_MAX_TOTAL,
                    poolMaxTotal,
                    forms,
                    b -> b.poolMaxTotal(Integer.parseInt(trimmed)));
        }
        String caCertificate = value(RedisSettings.ENV_TLS_CA_CERT);
        if (caCertificate != null) {
            Path path = Path.of(caCertificate.strip());
            if (!builder.ssl()) {
                throw invalid(
                        RedisSettings.ENV_TLS_CA_CERT,
                        caCertificate,
                        "TLS is off: the endpoint is not rediss://",
                        "a readable PEM file, together with a rediss:// " + RedisSettings.ENV_ENDPOINT);
            }
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw invalid(
                        RedisSettings.ENV_TLS_CA_CERT,
                        caCertificate,
                        "no readable file there",
                        "a readable PEM file with CA certificates");
            }
            builder.tlsCaCertificate(path);
        }
        String role = value(RedisSettings.ENV_EXPECTED_ROLE);
        if (role != null) {
            ExpectedRole expected = switch (role.strip().toLowerCase(Locale.ROOT)) {
                case "primary", "master" -> ExpectedRole.PRIMARY;
                case "any" -> ExpectedRole.ANY;
                default -> throw invalid(RedisSettings.ENV_EXPECTED_ROLE, role, "unknown role", EXPECTED_ROLE_FORMS);
            };
            apply(RedisSettings.ENV_EXPECTED_ROLE, role, EXPECTED_ROLE_FORMS, b -> b.expectedRole(expected));
        }
        return builder.build();
    }

    private void duration(String name, Consumer<Duration> setter) {
        String raw = value(name);
        if (raw != null) {
            Duration duration = parse(name, raw, Durations.ACCEPTED_FORMS);
            apply(name, raw, Durations.ACCEPTED_FORMS, b -> setter.accept(duration));
        }
    }

    private static Duration parse(String name, String raw, String forms) {
        try {
            return Durations.parse(raw);
        } catch (IllegalArgumentException e) {
            throw invalid(name, raw, e.getMessage(), forms);
        }
    }

    /** Sets one value and validates at once with the builder's own rules, so the error can name this variable. */
    private void apply(String name, String shownValue, String forms, Consumer<RedisSettings.Builder> setter) {
        setter.accept(builder);
        try {
            builder.build();
        } catch (IllegalArgumentException e) {
            throw invalid(name, shownValue, e.getMessage(), forms);
        }
    }

    private String value(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    private static IllegalArgumentException invalid(String variable, String shownValue, String problem, String forms) {
        return new IllegalArgumentException(
                variable + "='" + shownValue + "' is invalid: " + problem + ". Accepted forms: " + forms);
    }
}
