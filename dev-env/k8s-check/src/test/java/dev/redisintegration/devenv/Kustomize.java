package dev.redisintegration.devenv;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Renders kustomizations offline with {@code kubectl kustomize} and parses the objects. */
final class Kustomize {

    static final String INSTALL_HINT =
            "kubectl not found on PATH (or set KUBECTL=/path/to/kubectl). The manifest checks"
                    + " need it to render dev-env/k8s offline; install it, e.g. Debian/Ubuntu:"
                    + " `apt-get update && apt-get install -y kubernetes-client`, or https://kubernetes.io/docs/tasks/tools/";

    private static final Map<Path, List<K8sObject>> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {}

    /** The repository root: the first directory upwards from the working directory that holds dev-env/k8s. */
    static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("dev-env/k8s"))) {
                return dir;
            }
        }
        return fail("no dev-env/k8s above " + Path.of("").toAbsolutePath());
    }

    static Path k8sDir() {
        return repoRoot().resolve("dev-env/k8s");
    }

    /** Every directory under dev-env/k8s holding a kustomization.yaml (base, redis, overlays/*). */
    static List<Path> kustomizations() {
        try (Stream<Path> files = Files.walk(k8sDir())) {
            return files.filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
                    .map(Path::getParent)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + k8sDir(), e);
        }
    }

    static String relative(Path kustomization) {
        return k8sDir().relativize(kustomization).toString();
    }

    static Path kubectl() {
        String explicit = System.getenv("KUBECTL");
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            if (!Files.isExecutable(p)) {
                fail("KUBECTL=" + explicit + " is not an executable file. " + INSTALL_HINT);
            }
            return p;
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"))) {
                return Path.of(dir, "kubectl");
            }
        }
        return fail(INSTALL_HINT);
    }

    /** The objects {@code kubectl kustomize <dir>} prints, cached per directory. */
    static List<K8sObject> render(Path kustomization) {
        return RENDERED.computeIfAbsent(kustomization, Kustomize::run);
    }

    private static List<K8sObject> run(Path kustomization) {
        Path kubectl = kubectl();
        try {
            Path err = Files.createTempFile("kustomize", ".err");
            try {
                Process process = new ProcessBuilder(kubectl.toString(), "kustomize", kustomization.toString())
                        .redirectError(err.toFile())
                        .start();
                process.getOutputStream().close();
                byte[] out = process.getInputStream().readAllBytes();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    fail("kubectl kustomize " + relative(kustomization) + " did not finish within 60 s");
                }
                if (process.exitValue() != 0) {
                    fail("kubectl kustomize " + relative(kustomization) + " failed (exit " + process.exitValue() + "): "
                            + Files.readString(err));
                }
                return parse(new String(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + kubectl + " kustomize " + kustomization, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering " + kustomization, e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<K8sObject> parse(String yaml) {
        List<K8sObject> objects = new ArrayList<>();
        for (Object doc : new Yaml(new LoaderOptions()).loadAll(yaml)) {
            if (doc != null) {
                objects.add(new K8sObject((Map<String, Object>) doc));
            }
        }
        return objects;
    }
}
