package dev.redisintegration.devenv;

import static dev.redisintegration.devenv.K8sObject.list;
import static dev.redisintegration.devenv.K8sObject.map;
import static dev.redisintegration.devenv.K8sObject.resolvePort;
import static dev.redisintegration.devenv.K8sObject.str;
import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.redis.RedisSettings;
import dev.redisintegration.service.HealthPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders every kustomization under dev-env/k8s and checks the objects against the code they deploy:
 * probe paths against {@link HealthPaths}, the port against the service's application.yml, env var names
 * against {@link RedisSettings}'s {@code ENV_*} constants.
 */
class KustomizeManifestsTest {

    private static final String SERVICE = "redis-health-service";
    private static final String REDIS = "redis";
    private static final String REDIS_IMAGE = "redis:7-alpine";
    private static final int REDIS_PORT = 6379;

    private static final Set<String> SERVED_PATHS = Set.of(
            HealthPaths.HEALTH, HealthPaths.READY, HealthPaths.LIVE, HealthPaths.READINESS, HealthPaths.LIVENESS);
    /** Paths whose answer depends on Redis: a liveness or startup probe there restarts every pod in an outage. */
    private static final Set<String> REDIS_DEPENDENT_PATHS =
            Set.of(HealthPaths.HEALTH, HealthPaths.READY, HealthPaths.READINESS);

    private static final Set<String> READINESS_PATHS = Set.of(HealthPaths.READY, HealthPaths.READINESS);

    private static final ServiceFacts FACTS = ServiceFacts.load();

    static Stream<Path> kustomizations() {
        return Kustomize.kustomizations().stream();
    }

    /** Kustomizations that deploy the service: the base and every overlay. */
    static Stream<Path> serviceKustomizations() {
        return kustomizations()
                .filter(k -> Kustomize.render(k).stream()
                        .anyMatch(o -> "Deployment".equals(o.kind()) && SERVICE.equals(o.name())));
    }

    /** Kustomizations that deploy the local Redis: redis/ and the dev overlay. */
    static Stream<Path> redisKustomizations() {
        return kustomizations()
                .filter(k ->
                        K8sObject.find(Kustomize.render(k), "Deployment", REDIS).isPresent());
    }

    @Test
    void kubectlIsAvailableToRenderTheManifests() {
        // Fails (never skips) without kubectl, with the install command in the message.
        assertThat(Kustomize.kubectl()).isExecutable();
    }

    @Test
    void theExpectedKustomizationsExist() {
        assertThat(kustomizations().map(Kustomize::relative))
                .contains(
                        "base",
                        "redis",
                        "overlays/dev",
                        "overlays/cluster-mode",
                        "overlays/sentinel-mode",
                        "monitoring",
                        "overlays/prometheus-operator");
        assertThat(serviceKustomizations().map(Kustomize::relative))
                .as("the base and every overlay deploy the service")
                .contains("base", "overlays/dev")
                .containsAll(kustomizations()
                        .map(Kustomize::relative)
                        .filter(k -> k.startsWith("overlays/"))
                        .toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kustomizations")
    void everyKustomizationRendersNamedObjects(Path kustomization) {
        List<K8sObject> objects = Kustomize.render(kustomization);

        assertThat(objects)
                .as("objects rendered from %s", Kustomize.relative(kustomization))
                .isNotEmpty();
        assertThat(objects).allSatisfy(o -> {
            assertThat(o.raw()).containsKey("apiVersion");
            assertThat(o.kind()).isNotBlank();
            assertThat(o.name()).isNotBlank();
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serviceKustomizations")
    void serviceProbesAskForPathsTheServiceServesOnItsPort(Path kustomization) {
        Map<String, Object> container = serviceContainer(kustomization);
        int port = FACTS.httpPort();

        assertThat(list(container, "ports"))
                .as("container ports")
                .anySatisfy(p -> assertThat(p.get("containerPort")).isEqualTo(port));
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            Map<String, Object> httpGet = map(container, probe, "httpGet");
            assertThat(httpGet)
                    .as("%s.httpGet in %s", probe, Kustomize.relative(kustomization))
                    .isNotEmpty();
            assertThat(str(httpGet, "path")).as("%s path", probe).isIn(SERVED_PATHS);
            assertThat(resolvePort(httpGet.get("port"), container))
                    .as("%s port (micronaut.server.port of the service)", probe)
                    .isEqualTo(port);
        }
        assertThat(str(container, "readinessProbe", "httpGet", "path")).isIn(READINESS_PATHS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serviceKustomizations")
    void livenessAndStartupNeverDependOnRedis(Path kustomization) {
        Map<String, Object> container = serviceContainer(kustomization);

        assertThat(str(container, "livenessProbe", "httpGet", "path"))
                .as("liveness must not point at readiness: a Redis outage would restart every pod")
                .isNotIn(REDIS_DEPENDENT_PATHS)
                .isIn(HealthPaths.LIVE, HealthPaths.LIVENESS);
        assertThat(str(container, "startupProbe", "httpGet", "path"))
                .as("a startup probe on readiness kills pods that start while Redis is down")
                .isNotIn(REDIS_DEPENDENT_PATHS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serviceKustomizations")
    void probeTimeoutsLeaveRoomForTheBoundedHealthAnswer(Path kustomization) {
        Map<String, Object> container = serviceContainer(kustomization);
        // Every check runs under health.check.timeout and the whole answer is bounded at about twice that
        // (~1 s); a probe timeout at or below that would fail a healthy but briefly busy pod.
        Duration bound = envDuration(container, "HEALTH_CHECK_TIMEOUT", ServiceFacts.defaultCheckTimeout())
                .multipliedBy(2);

        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            Object timeout = K8sObject.get(container, probe, "timeoutSeconds");
            assertThat(timeout).as("%s.timeoutSeconds is set", probe).isInstanceOf(Integer.class);
            assertThat(Duration.ofSeconds((Integer) timeout))
                    .as("%s.timeoutSeconds", probe)
                    .isGreaterThan(bound);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serviceKustomizations")
    void theServiceDrainsItselfOnSigtermWithinTheTerminationGracePeriod(Path kustomization) {
        K8sObject deployment = serviceDeployment(kustomization);
        Map<String, Object> container = serviceContainer(kustomization);

        // One drain mechanism: the service keeps serving with readiness DOWN for its drain delay after SIGTERM.
        // A preStop sleep as well would add its pause to the shutdown and hide which of the two does the work.
        assertThat(K8sObject.get(container, "lifecycle", "preStop"))
                .as("no preStop hook: the service's drain delay is the one drain (service/README.md)")
                .isNull();
        Duration drain = envDuration(container, "HEALTH_SHUTDOWN_DRAIN_DELAY", ServiceFacts.defaultDrainDelay());
        assertThat(drain)
                .as("drain delay lets endpoint removal reach every proxy before the server stops accepting")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(5));

        Object grace = deployment.podSpec().get("terminationGracePeriodSeconds");
        assertThat(grace).as("terminationGracePeriodSeconds").isInstanceOf(Integer.class);
        assertThat(Duration.ofSeconds((Integer) grace))
                .as("grace period >= service drain delay %s + graceful shutdown %s", drain, FACTS.gracePeriod())
                .isGreaterThanOrEqualTo(drain.plus(FACTS.gracePeriod()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serviceKustomizations")
    void serviceRunsNonRootOnAReadOnlyRootWithAWritableTmp(Path kustomization) {
        K8sObject deployment = serviceDeployment(kustomization);
        Map<String, Object> container = serviceContainer(kustomization);
        Map<String, Object> pod = deployment.podSpec();

        assertThat(K8sObject.get(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
        assertThat((Integer) K8sObject.get(pod, "securityContext", "runAsUser"))
                .as("numeric non-root uid")
                .isPositive();
        assertThat(str(pod, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
        assertThat(K8sObject.get(container, "securityContext", "readOnlyRootFilesystem"))
                .isEqualTo(true);
        assertThat(K8sObject.get(container, "securityContext", "allowPrivilegeEscalation"))
                .isEqualTo(false);
        assertThat(K8sObject.get(container, "securityContext", "capabilities", "drop"))
                .isEqualTo(List.of("ALL"));

        // the JVM (hsperfdata, Netty's native library) needs a writable java.io.tmpdir
        Map<String, Object> tmpMount = list(container, "volumeMounts").stream()
                .filter(m -> "/tmp".equals(m.get("mountPath")))
                .findFirst()
                .orElse(Map.of());
        assertThat(tmpMount).as("a volume mounted at /tmp").isNotEmpty();
        assertThat(list(pod, "volumes")).anySatisfy(v -> {
            assertThat(v.get("name")).isEqualTo(tmpMount.get("name"));
            assertThat(v).containsKey("emptyDir");
        });

        for (String kind : List.of("requests", "limits")) {
            assertThat(map(container, "resources", kind))
                    .as("resources.%s", kind)
                    .containsKeys("cpu", "memory");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serviceKustomizations")
    void envVarsAreTheOnesTheRedisClientReads(Path kustomization) {
        List<K8sObject> objects = Kustomize.render(kustomization);
        Map<String, Object> container = serviceContainer(kustomization);
        Set<String> clientVars = new HashSet<>(RedisSettings.environmentVariables());
        List<Map<String, Object>> env = list(container, "env");

        assertThat(env)
                .extracting(e -> (String) e.get("name"))
                .filteredOn(n -> n.startsWith("REDIS_"))
                .as("every REDIS_* variable is one RedisSettings reads %s", clientVars)
                .isNotEmpty()
                .allSatisfy(n -> assertThat(clientVars).contains(n))
                .contains(RedisSettings.ENV_ENDPOINT, RedisSettings.ENV_PASSWORD);

        Map<String, Object> endpoint = envVar(env, RedisSettings.ENV_ENDPOINT);
        Map<String, Object> ref = map(endpoint, "valueFrom", "configMapKeyRef");
        assertThat(ref)
                .as("%s comes from a ConfigMap", RedisSettings.ENV_ENDPOINT)
                .isNotEmpty();
        K8sObject configMap = K8sObject.find(objects, "ConfigMap", str(ref, "name"))
                .orElseThrow(() -> new AssertionError("ConfigMap " + ref.get("name") + " is not in the render"));
        String endpointValue = str(configMap.raw(), "data", str(ref, "key"));
        assertThat(endpointValue)
                .as("ConfigMap %s key %s", configMap.name(), ref.get("key"))
                .isNotBlank();
        RedisModes.accepted(configMapEnvironment(objects, env), Kustomize.relative(kustomization));

        Map<String, Object> password = map(envVar(env, RedisSettings.ENV_PASSWORD), "valueFrom", "secretKeyRef");
        assertThat(password)
                .as("%s comes from a Secret, never a literal", RedisSettings.ENV_PASSWORD)
                .isNotEmpty();
        assertThat(password.get("optional"))
                .as("a Redis without AUTH needs no Secret: optional")
                .isEqualTo(true);
        assertThat(envVar(env, RedisSettings.ENV_PASSWORD))
                .as("no literal password in the manifest")
                .doesNotContainKey("value");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serviceKustomizations")
    void kubernetesServiceSelectsThePodsAndTargetsTheHttpPort(Path kustomization) {
        List<K8sObject> objects = Kustomize.render(kustomization);
        K8sObject deployment = serviceDeployment(kustomization);
        K8sObject service = K8sObject.find(objects, "Service", SERVICE)
                .orElseThrow(() -> new AssertionError("Service " + SERVICE + " missing"));

        Map<String, Object> podLabels = deployment.map("spec", "template", "metadata", "labels");
        assertThat(podLabels).containsAllEntriesOf(service.map("spec", "selector"));
        assertThat(list(service.raw(), "spec", "ports"))
                .singleElement()
                .satisfies(p -> assertThat(resolvePort(p.get("targetPort"), serviceContainer(kustomization)))
                        .isEqualTo(FACTS.httpPort()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("redisKustomizations")
    void localRedisIsRedis7AlpineWithPingReadinessAndTcpLiveness(Path kustomization) {
        List<K8sObject> objects = Kustomize.render(kustomization);
        K8sObject deployment = K8sObject.find(objects, "Deployment", REDIS).orElseThrow();
        Map<String, Object> redis = deployment.containers().get(0);

        assertThat(deployment.containers()).hasSize(1);
        assertThat(redis.get("image")).isEqualTo(REDIS_IMAGE);
        List<?> readiness = (List<?>) K8sObject.get(redis, "readinessProbe", "exec", "command");
        assertThat(readiness).as("redis readinessProbe.exec.command").isNotNull();
        assertThat(readiness.stream().map(Object::toString).collect(Collectors.joining(" ")))
                .contains("redis-cli ping");
        assertThat(resolvePort(K8sObject.get(redis, "livenessProbe", "tcpSocket", "port"), redis))
                .isEqualTo(REDIS_PORT);

        K8sObject service = K8sObject.find(objects, "Service", REDIS)
                .orElseThrow(() -> new AssertionError("Service redis missing"));
        assertThat(list(service.raw(), "spec", "ports")).singleElement().satisfies(p -> {
            assertThat(p.get("port")).isEqualTo(REDIS_PORT);
            assertThat(resolvePort(p.get("targetPort"), redis)).isEqualTo(REDIS_PORT);
        });
        assertThat(deployment.map("spec", "template", "metadata", "labels"))
                .containsAllEntriesOf(service.map("spec", "selector"));
    }

    @Test
    void redisKustomizationForTiltLocalModeHoldsOnlyRedis() {
        List<K8sObject> objects = Kustomize.render(Kustomize.k8sDir().resolve("redis"));

        assertThat(objects).extracting(K8sObject::name).containsOnly(REDIS);
    }

    @Test
    void devOverlayPointsTheServiceAtTheRedisItDeploys() {
        Path dev = Kustomize.k8sDir().resolve("overlays/dev");
        List<K8sObject> objects = Kustomize.render(dev);
        Map<String, Object> ref = map(
                envVar(list(serviceContainer(dev), "env"), RedisSettings.ENV_ENDPOINT), "valueFrom", "configMapKeyRef");
        K8sObject configMap =
                K8sObject.find(objects, "ConfigMap", str(ref, "name")).orElseThrow();

        assertThat(str(configMap.raw(), "data", str(ref, "key"))).isEqualTo(REDIS + ":" + REDIS_PORT);
        assertThat(K8sObject.find(objects, "Service", REDIS)).isPresent();
    }

    @Test
    void tiltfileBuildsTheImageTheDevOverlayDeploysAndProbesTheReadinessPath() throws IOException {
        String tiltfile = Files.readString(Kustomize.repoRoot().resolve("Tiltfile"));
        String image = (String)
                serviceContainer(Kustomize.k8sDir().resolve("overlays/dev")).get("image");
        String repo = image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;

        assertThat(tiltfile).contains("docker_build('" + repo + "'");
        assertThat(tiltfile).contains("kustomize('dev-env/k8s/overlays/dev')", "kustomize('dev-env/k8s/redis')");
        assertThat(tiltfile).contains("path='" + HealthPaths.READY + "'");
        assertThat(tiltfile).contains("'" + RedisSettings.ENV_ENDPOINT + "': 'localhost:" + REDIS_PORT + "'");
    }

    // ---- helpers ----

    private static K8sObject serviceDeployment(Path kustomization) {
        return K8sObject.find(Kustomize.render(kustomization), "Deployment", SERVICE)
                .orElseThrow(() -> new AssertionError(
                        "Deployment " + SERVICE + " missing in " + Kustomize.relative(kustomization)));
    }

    private static Map<String, Object> serviceContainer(Path kustomization) {
        List<Map<String, Object>> containers = serviceDeployment(kustomization).containers();
        assertThat(containers).as("containers of %s", SERVICE).hasSize(1);
        return containers.get(0);
    }

    /** The REDIS_* variables the container takes from ConfigMaps, with their values (absent optional keys left out). */
    static Map<String, String> configMapEnvironment(List<K8sObject> objects, List<Map<String, Object>> env) {
        Map<String, String> values = new HashMap<>();
        for (Map<String, Object> var : env) {
            Map<String, Object> ref = map(var, "valueFrom", "configMapKeyRef");
            String name = (String) var.get("name");
            if (ref.isEmpty() || !name.startsWith("REDIS_")) {
                continue;
            }
            K8sObject.find(objects, "ConfigMap", str(ref, "name"))
                    .map(c -> str(c.raw(), "data", str(ref, "key")))
                    .ifPresent(value -> values.put(name, value));
        }
        return values;
    }

    /** A duration-valued env var of the container (a literal value, e.g. "5s"), else the service's default. */
    private static Duration envDuration(Map<String, Object> container, String name, Duration serviceDefault) {
        return list(container, "env").stream()
                .filter(e -> name.equals(e.get("name")))
                .findFirst()
                .map(e -> ServiceFacts.duration(str(e, "value")))
                .orElse(serviceDefault);
    }

    static Map<String, Object> envVar(List<Map<String, Object>> env, String name) {
        return env.stream()
                .filter(e -> name.equals(e.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("env var " + name + " missing"));
    }
}
