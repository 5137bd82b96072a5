package dev.redisintegration.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * The figures a run measured, as a Markdown table in {@code target/reliability-report.md}: one row per scenario,
 * written before the scenario's assertions so a failing row still shows what was measured.
 */
final class ReliabilityReport {

    private static final Path FILE = Path.of(System.getProperty("reliability.report", "target/reliability-report.md"));
    private static boolean started;

    private ReliabilityReport() {}

    /** Adds one row; {@code met} is the same condition the test then asserts. */
    static synchronized void record(String scenario, String expected, String measured, boolean met) {
        try {
            if (!started) {
                Files.createDirectories(FILE.toAbsolutePath().getParent());
                Files.writeString(
                        FILE,
                        "# Reliability report\n\n"
                                + "Run " + Instant.now() + " on "
                                + Runtime.getRuntime().availableProcessors()
                                + " cores (load average " + loadAverage() + " at start), Java "
                                + System.getProperty("java.version")
                                + ", service jar " + ServiceProcess.serviceJar() + " built "
                                + Files.getLastModifiedTime(ServiceProcess.serviceJar()) + ".\n\n"
                                + "| scenario | expected | measured | met |\n|---|---|---|---|\n",
                        StandardCharsets.UTF_8);
                started = true;
            }
            Files.writeString(
                    FILE,
                    "| " + cell(scenario) + " | " + cell(expected) + " | " + cell(measured) + " | "
                            + (met ? "yes" : "**NO**") + " |\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String ms(Duration duration) {
        return duration.toMillis() + " ms";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
