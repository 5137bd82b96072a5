package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launch form every launcher uses, {@code service/target/java @service/launch-flags -jar service/target/<jar>}
 * from the repository root, runs the java {@code package} trained with and finds the archive it made (an AOT cache
 * on JDK 25 and later, else an AppCDS archive): a stale or mismatched archive is ignored by the JVM without failing,
 * so only this test notices when start-up silently loses it (docs/startup.md). And the JVM warns about nothing.
 */
class LaunchFormIT {

    private static final Path JAR = Path.of(System.getProperty("service.jar", "target/service-0.1.0-SNAPSHOT.jar"))
            .toAbsolutePath()
            .normalize();
    /** The repository root: the jar is {@code <root>/service/target/<jar>}. */
    private static final Path ROOT = JAR.getParent().getParent().getParent();

    @Test
    void theLaunchFormLoadsTheApplicationFromTheArchiveMadeByTheBuild() throws Exception {
        assertThat(ROOT.resolve("service/target/service.jsa"))
                .as("archive written by service/train-cds")
                .isRegularFile();
        assertThat(ROOT.resolve("service/target/java"))
                .as("link to the java service/train-cds trained with")
                .isSymbolicLink()
                .isExecutable();
        // A malformed endpoint ends the process right after the main class is loaded: no port, no Redis needed.
        ProcessBuilder builder = new ProcessBuilder(
                        "service/target/java",
                        "@service/launch-flags",
                        "-Xlog:class+load=info",
                        "-jar",
                        ROOT.relativize(JAR).toString())
                .directory(ROOT.toFile())
                .redirectErrorStream(true);
        builder.environment()
                .keySet()
                .removeIf(key -> key.startsWith("JAVA_TOOL_OPTIONS") || key.startsWith("JDK_JAVA_OPTIONS"));
        builder.environment().put("REDIS_PRIMARY_ENDPOINT", "bad host");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        List<String> lines = new String(output, StandardCharsets.UTF_8).lines().toList();
        assertThat(process.exitValue()).as(String.join("\n", lines)).isEqualTo(Application.EXIT_BAD_CONFIGURATION);
        assertThat(lines)
                .as("no archive warning, no JVM warning (native access: the jar's manifest grants it)")
                .noneMatch(line -> line.contains("[cds") || line.contains("[aot") || line.startsWith("WARNING"));
        assertThat(lines)
                .as("the main class from the archive")
                .anyMatch(line -> line.contains(" " + Application.class.getName() + " source: shared objects file"));
    }
}
