package dev.redisintegration.devenv;

import dev.redisintegration.service.HealthSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * What the service's own configuration says about port, check deadline and shutdown: its application.yml
 * (service/src/main/resources) for Micronaut's settings, its {@code HealthSettings} defaults for {@code health.*}.
 */
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

    /** How long in-flight requests may take at shutdown (micronaut.lifecycle.graceful-shutdown.grace-period). */
    Duration gracePeriod() {
        return duration(value("micronaut", "lifecycle", "graceful-shutdown", "grace-period"));
    }

    /** health.shutdown.drain-delay when the pod does not set HEALTH_SHUTDOWN_DRAIN_DELAY. */
    static Duration defaultDrainDelay() {
        return duration(HealthSettings.Shutdown.DEFAULT_DRAIN_DELAY);
    }

    /** health.check.timeout when the pod does not set HEALTH_CHECK_TIMEOUT. */
    static Duration defaultCheckTimeout() {
        return duration(HealthSettings.Check.DEFAULT_TIMEOUT);
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
