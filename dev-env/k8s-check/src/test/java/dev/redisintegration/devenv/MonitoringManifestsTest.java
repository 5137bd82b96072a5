package dev.redisintegration.devenv;

import static dev.redisintegration.devenv.K8sObject.list;
import static dev.redisintegration.devenv.K8sObject.str;
import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.service.HealthPaths;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * How Prometheus finds the service and what it alerts on: the pod annotations of every deployment, the optional
 * ServiceMonitor and the alert rules (PrometheusRule) in dev-env/k8s/monitoring, checked against the service's own
 * path ({@link HealthPaths#PROMETHEUS}) and its documented metrics (service/README.md, "Metrics"); the rules also with
 * {@code promtool} (check and unit tests) where it is installed.
 */
class MonitoringManifestsTest {

    private static final String SERVICE = "redis-health-service";
    private static final Path MONITORING = Kustomize.k8sDir().resolve("monitoring");
    private static final Path OPERATOR_OVERLAY = Kustomize.k8sDir().resolve("overlays/prometheus-operator");
    private static final Set<String> SEVERITIES = Set.of("critical", "warning");
    /** Metric names of our own families in a PromQL expression. */
    private static final Pattern METRIC =
            Pattern.compile("\\b((?:health|redis|lettuce|http|jvm|process)_[a-z0-9_]+)\\b");

    private static final List<String> SERIES_SUFFIXES = List.of("", "_count", "_sum", "_max", "_bucket");
    private static final String PROMTOOL_HINT = "promtool is not installed: the rules were checked for structure and "
            + "metric names only. Debian: apt-get install -y prometheus (provides promtool); .ci/run installs it where "
            + "it can";

    private static final ServiceFacts FACTS = ServiceFacts.load();

    static Stream<Path> serviceKustomizations() {
        return KustomizeManifestsTest.serviceKustomizations();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serviceKustomizations")
    void podsAskToBeScrapedAtTheServicesPrometheusPathAndPort(Path kustomization) {
        K8sObject deployment = K8sObject.find(Kustomize.render(kustomization), "Deployment", SERVICE)
                .orElseThrow();
        Map<String, Object> annotations = deployment.map("spec", "template", "metadata", "annotations");

        assertThat(annotations)
                .as("pod annotations in %s", Kustomize.relative(kustomization))
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/path", HealthPaths.PROMETHEUS)
                .containsEntry("prometheus.io/port", String.valueOf(FACTS.httpPort()));
    }

    @Test
    void theServiceMonitorScrapesThePrometheusPathThroughTheServicesNamedPort() {
        List<K8sObject> objects = Kustomize.render(OPERATOR_OVERLAY);
        K8sObject monitor = K8sObject.find(objects, "ServiceMonitor", SERVICE)
                .orElseThrow(() -> new AssertionError("ServiceMonitor " + SERVICE + " missing"));
        K8sObject service = K8sObject.find(objects, "Service", SERVICE).orElseThrow();

        assertThat(str(monitor.raw(), "apiVersion")).isEqualTo("monitoring.coreos.com/v1");
        assertThat(service.map("metadata", "labels"))
                .as("the Service carries the labels the ServiceMonitor selects")
                .containsAllEntriesOf(monitor.map("spec", "selector", "matchLabels"));
        List<Map<String, Object>> endpoints = list(monitor.raw(), "spec", "endpoints");
        assertThat(endpoints).isNotEmpty().allSatisfy(endpoint -> {
            assertThat(endpoint.get("path")).isEqualTo(HealthPaths.PROMETHEUS);
            assertThat(list(service.raw(), "spec", "ports"))
                    .as("a Service port named %s", endpoint.get("port"))
                    .anySatisfy(port -> assertThat(port.get("name")).isEqualTo(endpoint.get("port")));
        });
        assertThat(Kustomize.render(MONITORING))
                .extracting(K8sObject::kind)
                .as("monitoring/ holds only the operator's objects, to apply next to any overlay")
                .containsExactlyInAnyOrder("ServiceMonitor", "PrometheusRule");
    }

    @Test
    void everyAlertIsCompleteAndUsesOnlyDocumentedMetrics() throws IOException {
        List<Map<String, Object>> rules = rules();
        Set<String> documented = documentedMetrics();

        assertThat(rules)
                .extracting(rule -> rule.get("alert"))
                .contains("RedisDown", "RedisFailoverRateHigh", "RedisProbeLatencyHigh");
        assertThat(rules)
                .filteredOn(rule -> "RedisDown".equals(rule.get("alert")))
                .singleElement()
                .satisfies(rule -> assertThat(rule.get("for"))
                        .as("Redis DOWN for 2 minutes")
                        .isEqualTo("2m"));
        assertThat(rules).allSatisfy(rule -> {
            String alert = (String) rule.get("alert");
            assertThat(alert).as("every rule is an alert").isNotBlank();
            assertThat(str(rule, "labels", "severity")).as("%s severity", alert).isIn(SEVERITIES);
            assertThat(str(rule, "annotations", "summary"))
                    .as("%s summary", alert)
                    .isNotBlank();
            assertThat(str(rule, "annotations", "description"))
                    .as("%s description", alert)
                    .isNotBlank();
            List<String> metrics = metricsIn((String) rule.get("expr"));
            assertThat(metrics).as("%s uses our metrics", alert).isNotEmpty();
            assertThat(metrics)
                    .as("%s: metrics documented in service/README.md", alert)
                    .allSatisfy(name -> assertThat(SERIES_SUFFIXES.stream()
                                    .anyMatch(suffix -> name.endsWith(suffix)
                                            && documented.contains(name.substring(0, name.length() - suffix.length()))))
                            .as(name)
                            .isTrue());
        });
    }

    @Test
    void promtoolAcceptsTheRulesAndTheirUnitTestsPass(@TempDir Path tmp) throws Exception {
        Path promtool = promtool();
        Assumptions.assumeTrue(promtool != null, PROMTOOL_HINT);
        Map<String, Object> spec = K8sObject.find(Kustomize.render(MONITORING), "PrometheusRule", SERVICE)
                .orElseThrow()
                .map("spec");
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Files.writeString(tmp.resolve("rules.yml"), new Yaml(options).dump(spec));
        Files.copy(MONITORING.resolve("prometheusrule-tests.yaml"), tmp.resolve("tests.yaml"));

        assertThat(run(tmp, promtool.toString(), "check", "rules", "rules.yml")).contains("SUCCESS");
        assertThat(run(tmp, promtool.toString(), "test", "rules", "tests.yaml")).contains("SUCCESS");
    }

    private static List<Map<String, Object>> rules() {
        K8sObject rule = K8sObject.find(Kustomize.render(MONITORING), "PrometheusRule", SERVICE)
                .orElseThrow(() -> new AssertionError("PrometheusRule " + SERVICE + " missing in monitoring/"));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : list(rule.raw(), "spec", "groups")) {
            assertThat(group.get("name")).as("group name").isNotNull();
            rules.addAll(list(group, "rules"));
        }
        return rules;
    }

    private static List<String> metricsIn(String expr) {
        List<String> names = new ArrayList<>();
        Matcher matcher = METRIC.matcher(expr);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** The first column of the metrics table of service/README.md: `name` per row under "## Metrics". */
    private static Set<String> documentedMetrics() throws IOException {
        Set<String> names = new HashSet<>();
        boolean inSection = false;
        Pattern row = Pattern.compile("^\\| `([a-z0-9_]+)` \\|");
        for (String line : Files.readAllLines(Kustomize.repoRoot().resolve("service/README.md"))) {
            if (line.startsWith("## ")) {
                inSection = line.equals("## Metrics");
            } else if (inSection) {
                Matcher matcher = row.matcher(line);
                if (matcher.find()) {
                    names.add(matcher.group(1));
                }
            }
        }
        assertThat(names).as("metrics table of service/README.md").isNotEmpty();
        return names;
    }

    private static Path promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "promtool"))) {
                return Path.of(dir, "promtool");
            }
        }
        return null;
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Path out = dir.resolve("promtool.out");
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
        }
        String output = Files.readString(out);
        assertThat(process.exitValue())
                .as("%s:%n%s", String.join(" ", command), output)
                .isZero();
        return output;
    }
}
