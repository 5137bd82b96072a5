package dev.redisintegration.devenv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** What the service's own configuration (service/src/main/resources/application.yml) says about port and shutdown. */
final class ServiceFacts {

    static final int MICRONAUT_DEFAULT_PORT = 8080;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{[^:}]+:([^}]*)}");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private final Map<String, Object> config;

    private ServiceFacts(Map<String, Object> config) {
        this.config = config;
    }

    static ServiceFacts load() {
        Path yml = Kustomize.repoRoot().resolve("service/src/main/resources/application.yml");
        try {
            Map<String, Object> config = new Yaml(new LoaderOptions()).load(Files.readString(yml));
            return new ServiceFacts(config == null ? Map.of() : config);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + yml, e);
        }
    }

    /** micronaut.server.port, else Micronaut's default 8080. */
    int httpPort() {
        String port = value("micronaut", "server", "port");
        return port == null ? MICRONAUT_DEFAULT_PORT : Integer.parseInt(port);
    }

    /** How long the service may take from SIGTERM to exit: readiness drain delay + graceful-shutdown grace period. */
    Duration shutdownBudget() {
        return duration(value("health", "shutdown", "drain-delay"))
                .plus(duration(value("micronaut", "lifecycle", "graceful-shutdown", "grace-period")));
    }

    /** The deadline of each health check (health.check.timeout), 500 ms by the API's default. */
    Duration checkTimeout() {
        String v = value("health", "check", "timeout");
        return v == null ? Duration.ofMillis(500) : duration(v);
    }

    /** A Micronaut-style value at the given path, with a "${ENV:default}" placeholder reduced to its default. */
    private String value(String... path) {
        Object v = K8sObject.get(config, path);
        if (v == null) {
            return null;
        }
        Matcher m = PLACEHOLDER.matcher(v.toString().trim());
        return m.matches() ? m.group(1) : v.toString().trim();
    }

    static Duration duration(String text) {
        if (text == null) {
            return Duration.ZERO;
        }
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("unsupported duration '" + text + "' (expected e.g. 500ms, 15s, 1m)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
