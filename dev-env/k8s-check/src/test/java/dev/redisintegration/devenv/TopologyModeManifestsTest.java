package dev.redisintegration.devenv;

import static dev.redisintegration.devenv.K8sObject.list;
import static dev.redisintegration.devenv.K8sObject.map;
import static dev.redisintegration.devenv.K8sObject.str;
import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.redis.RedisMode;
import dev.redisintegration.redis.RedisSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How a deployment selects Redis Cluster or Sentinel: REDIS_MODE next to REDIS_PRIMARY_ENDPOINT in the ConfigMap,
 * set by overlays/cluster-mode and overlays/sentinel-mode; and the Tiltfile's local topologies match what
 * dev-env/topology starts.
 */
class TopologyModeManifestsTest {

    private static final String SERVICE = "redis-health-service";

    static Stream<Path> serviceKustomizations() {
        return Kustomize.kustomizations().stream()
                .filter(k -> K8sObject.find(Kustomize.render(k), "Deployment", SERVICE)
                        .isPresent());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serviceKustomizations")
    void redisModeComesOptionallyFromTheEndpointsConfigMap(Path kustomization) {
        List<Map<String, Object>> env = list(container(kustomization), "env");
        Map<String, Object> mode =
                map(KustomizeManifestsTest.envVar(env, RedisSettings.ENV_MODE), "valueFrom", "configMapKeyRef");
        Map<String, Object> endpoint =
                map(KustomizeManifestsTest.envVar(env, RedisSettings.ENV_ENDPOINT), "valueFrom", "configMapKeyRef");

        assertThat(str(mode, "name")).as("%s ConfigMap", RedisSettings.ENV_MODE).isEqualTo(str(endpoint, "name"));
        assertThat(str(mode, "key")).isEqualTo(RedisSettings.ENV_MODE);
        assertThat(mode.get("optional"))
                .as("absent key = the client's default (auto), so the base needs no REDIS_MODE")
                .isEqualTo(true);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "base, ",
        "overlays/dev, ",
        "overlays/prod, ",
        "overlays/cluster-mode, cluster",
        "overlays/sentinel-mode, sentinel",
    })
    void eachOverlaySetsItsModeWithAnEndpointOfThatForm(String kustomization, String expectedMode) {
        Path dir = Kustomize.k8sDir().resolve(kustomization);
        List<K8sObject> objects = Kustomize.render(dir);
        Map<String, String> env = KustomizeManifestsTest.configMapEnvironment(objects, list(container(dir), "env"));

        assertThat(env.get(RedisSettings.ENV_MODE))
                .as("REDIS_MODE of %s", kustomization)
                .isEqualTo(expectedMode);
        RedisSettings settings = RedisModes.accepted(env, kustomization);
        assertThat(settings.password())
                .as("no password in the ConfigMap's endpoint of %s", kustomization)
                .isNull();
        if ("cluster".equals(expectedMode)) {
            assertThat(settings.mode()).isEqualTo(RedisMode.CLUSTER);
            assertThat(settings.nodes())
                    .as("more than one seed, so a pod starts while a node is down")
                    .hasSizeGreaterThan(1);
        } else if ("sentinel".equals(expectedMode)) {
            assertThat(settings.mode()).isEqualTo(RedisMode.SENTINEL);
            assertThat(settings.sentinelMaster()).isEqualTo("mymaster");
            assertThat(settings.nodes())
                    .as("a majority of Sentinels survives one lost")
                    .hasSizeGreaterThanOrEqualTo(3);
        } else {
            assertThat(settings.mode())
                    .as("no REDIS_MODE: the client's default")
                    .isEqualTo(RedisSettings.DEFAULT_MODE);
            assertThat(settings.nodes())
                    .as("one host: standalone, or a cluster seed if it says so")
                    .hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"cluster", "sentinel"})
    void tiltfileTopologyGivesTheServiceWhatDevEnvTopologyPrints(String topology) throws IOException {
        String tiltfile = Files.readString(Kustomize.repoRoot().resolve("Tiltfile"));
        Map<String, String> printed = topologyEnv(topology);

        assertThat(printed).containsEntry(RedisSettings.ENV_MODE, topology);
        assertThat(tiltfile)
                .contains("'" + RedisSettings.ENV_MODE + "': '" + topology + "'")
                .contains("'" + RedisSettings.ENV_ENDPOINT + "': '" + printed.get(RedisSettings.ENV_ENDPOINT) + "'")
                .contains("serve_cmd='dev-env/topology start %s' % topology")
                .contains("exec_action(['dev-env/topology', 'check', topology])");
        RedisSettings settings = RedisModes.accepted(printed, "dev-env/topology env " + topology);
        assertThat(settings.mode()).isEqualTo(RedisMode.valueOf(topology.toUpperCase(Locale.ROOT)));
    }

    @Test
    void theTopologyScriptsAreExecutable() {
        for (String script : List.of("dev-env/topology", "dev-env/topology-smoke.sh", "dev-env/up")) {
            assertThat(Kustomize.repoRoot().resolve(script)).as(script).isExecutable();
        }
    }

    /** `dev-env/topology env <topology>`: the service's variables for the default ports (starts nothing). */
    private static Map<String, String> topologyEnv(String topology) {
        Path script = Kustomize.repoRoot().resolve("dev-env/topology");
        try {
            Process process = new ProcessBuilder("bash", script.toString(), "env", topology)
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(30, TimeUnit.SECONDS))
                    .as("dev-env/topology env finished")
                    .isTrue();
            assertThat(process.exitValue())
                    .as("exit code of dev-env/topology env %s: %s", topology, out)
                    .isZero();
            Map<String, String> env = new HashMap<>();
            for (String line : out.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    env.put(line.substring(0, eq), line.substring(eq + 1).trim());
                }
            }
            return env;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + script, e);
        }
    }

    private static Map<String, Object> container(Path kustomization) {
        K8sObject deployment = K8sObject.find(Kustomize.render(kustomization), "Deployment", SERVICE)
                .orElseThrow(() -> new AssertionError(
                        "Deployment " + SERVICE + " missing in " + Kustomize.relative(kustomization)));
        assertThat(deployment.containers()).hasSize(1);
        return deployment.containers().get(0);
    }
}
