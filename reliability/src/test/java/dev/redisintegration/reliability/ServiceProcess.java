package dev.redisintegration.reliability;

import dev.redisintegration.testing.redis.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The packaged service jar running as a separate process, as a user runs it: {@code service/target/java
 * @service/launch-flags -jar service/target/<jar>} (the launch form of service/README.md) with configuration passed
 * only through environment variables.
 *
 * <p>stdout and stderr go to one log file per process under {@code target/service-logs}, so a failing scenario
 * leaves the service's own account of what happened beside the test report.
 */
final class ServiceProcess implements AutoCloseable {

    static final String JAR_PROPERTY = "service.jar";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Variables this suite sets itself; any inherited value is removed first so that a developer's shell
     * (for example REDIS_PRIMARY_ENDPOINT=localhost:6379) never leaks into a scenario.
     */
    private static final List<String> OWNED_PREFIXES = List.of(
            "REDIS_", "HEALTH_", "MICRONAUT_", "ENDPOINTS_", "LOGGER_", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");

    private final String name;
    private final Process process;
    private final Path logFile;
    private final int port;

    private ServiceProcess(String name, Process process, Path logFile, int port) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.port = port;
    }

    /** Starts the service and waits (bounded) until {@code /health/live} answers 200. */
    static ServiceProcess start(String name, Map<String, String> env) {
        ServiceProcess service = launch(name, env);
        try {
            service.awaitLive();
            return service;
        } catch (RuntimeException | Error e) {
            service.close();
            throw e;
        }
    }

    /** Starts the service without waiting for it to serve (for scenarios where it must refuse to start). */
    static ServiceProcess launch(String name, Map<String, String> env) {
        Path root = rootUnderTest();
        int port = FreePorts.pick();
        Path logFile = logDirectory().resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(javaUnderTest(root).toString());
        // The launch form of service/README.md: its java, flags and archive, as every launcher runs the service.
        command.add("@" + LAUNCH_FLAGS);
        // A modest heap keeps five concurrent builds on a 2-core machine alive; nothing else is tuned.
        command.add("-Xmx384m");
        command.add("-jar");
        command.add(TARGET + "/" + serviceJar().getFileName());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(key -> OWNED_PREFIXES.stream().anyMatch(key::startsWith));
        environment.put("MICRONAUT_SERVER_PORT", Integer.toString(port));
        environment.putAll(env);
        try {
            return new ServiceProcess(name, builder.start(), logFile, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    static Path serviceJar() {
        String configured = System.getProperty(JAR_PROPERTY);
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException("System property '" + JAR_PROPERTY + "' is not set: run the suite through"
                    + " Maven (./mvnw -B -pl reliability verify), which points it at service/target.");
        }
        Path jar = Path.of(configured).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The packaged service jar " + jar + " does not exist: build it first with"
                    + " ./mvnw -B -pl service package (the full reactor build does this before this module).");
        }
        return jar;
    }

    private static final String LAUNCH_FLAGS = "service/launch-flags";
    private static final String TARGET = "service/target";
    private static final String ARCHIVE = "service.jsa";
    /** The link service/train-cds makes to the java the archive was made with. */
    private static final String JAVA_LINK = "java";

    private static Path snapshot;

    /** The java the build trained with (the launch form's), or this JVM's when the build made no archive. */
    private static Path javaUnderTest(Path root) {
        Path link = root.resolve(TARGET).resolve(JAVA_LINK);
        return Files.isExecutable(link)
                ? link.toAbsolutePath()
                : Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /**
     * A private copy of the repository's launch layout ({@code service/launch-flags}, the jar, its archive and the
     * link to the java that made it in {@code service/target}), taken once per run, from which every service process
     * starts: a rebuild of {@code service/target} while the suite runs must not swap classes under a starting
     * process. Time stamps are
     * kept, since the archive only fits the jar by relative path, size and time; without an archive the service
     * starts as without one.
     */
    static synchronized Path rootUnderTest() {
        if (snapshot == null) {
            Path jar = serviceJar();
            Path root = logDirectory().resolveSibling("service-under-test");
            try {
                Files.createDirectories(root.resolve(TARGET));
                Files.copy(
                        jar.getParent().resolveSibling("launch-flags"),
                        root.resolve(LAUNCH_FLAGS),
                        StandardCopyOption.REPLACE_EXISTING);
                Files.copy(
                        jar,
                        root.resolve(TARGET).resolve(jar.getFileName()),
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.COPY_ATTRIBUTES);
                Path archive = jar.resolveSibling(ARCHIVE);
                Files.deleteIfExists(root.resolve(TARGET).resolve(ARCHIVE));
                if (Files.isRegularFile(archive)) {
                    Files.copy(archive, root.resolve(TARGET).resolve(ARCHIVE), StandardCopyOption.COPY_ATTRIBUTES);
                }
                Path java = jar.resolveSibling(JAVA_LINK);
                Files.deleteIfExists(root.resolve(TARGET).resolve(JAVA_LINK));
                if (Files.isSymbolicLink(java)) {
                    Files.createSymbolicLink(root.resolve(TARGET).resolve(JAVA_LINK), Files.readSymbolicLink(java));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy the service's launch layout to " + root, e);
            }
            snapshot = root;
        }
        return snapshot;
    }

    /** The service's own JDK's jcmd when it has one (a JRE has none), else this JVM's, else the one on PATH. */
    private static String jcmdExecutable() {
        Path own;
        try {
            own = javaUnderTest(rootUnderTest()).toRealPath().resolveSibling("jcmd");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path mine = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        return Files.isExecutable(own) ? own.toString() : Files.isExecutable(mine) ? mine.toString() : "jcmd";
    }

    private static Path logDirectory() {
        Path dir = Path.of(System.getProperty("reliability.logs", "target/service-logs"));
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitLive() {
        try {
            Awaitility.await("service '" + name + "' answering /health/live with 200")
                    .atMost(STARTUP_TIMEOUT)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("service '" + name + "' exited with code " + process.exitValue()
                                    + " before /health/live answered; log:\n" + logTail(40));
                        }
                        try {
                            return Http.get(uri("/health/live"), Duration.ofSeconds(1))
                                            .status()
                                    == 200;
                        } catch (IOException notListeningYet) {
                            return false;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; log:\n" + logTail(40), e);
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    URI baseUri() {
        return uri("");
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits up to {@code timeout} for the process to exit by itself; empty if it is still running. */
    OptionalInt awaitExit(Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return OptionalInt.of(process.exitValue());
            }
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    /** Everything the process wrote to stdout and stderr so far. */
    String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String logTail(int lines) {
        List<String> all = log().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    Path logFile() {
        return logFile;
    }

    /** Number of OS threads of the process ({@code /proc/<pid>/task}), JVM-internal threads included. */
    int osThreadCount() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
            return (int) tasks.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Pattern JAVA_THREAD = Pattern.compile("^\"(.*)\" #\\d+ ");

    /**
     * Java threads of the process by name with digits folded ({@code "lettuce-nioEventLoop-#-#" -> 2}), from
     * {@code jcmd <pid> Thread.print}. JIT compiler threads are left out: the JVM adds and retires them on its own.
     */
    Map<String, Integer> javaThreadsByName() {
        String dump = jcmd("Thread.print");
        Map<String, Integer> byName = new TreeMap<>();
        for (String line : dump.split("\n")) {
            Matcher m = JAVA_THREAD.matcher(line);
            if (m.find() && !m.group(1).contains("CompilerThread")) {
                byName.merge(m.group(1).replaceAll("\\d+", "#"), 1, Integer::sum);
            }
        }
        return byName;
    }

    int javaThreadCount() {
        return javaThreadsByName().values().stream().mapToInt(Integer::intValue).sum();
    }

    private String jcmd(String command) {
        ProcessBuilder builder =
                new ProcessBuilder(jcmdExecutable(), Long.toString(pid()), command).redirectErrorStream(true);
        try {
            Process p = builder.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(
                        "jcmd " + pid() + " " + command + " failed: " + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Difference between two {@link #javaThreadsByName()} snapshots, for failure messages. */
    static Map<String, Integer> threadDelta(Map<String, Integer> before, Map<String, Integer> after) {
        Map<String, Integer> delta = new LinkedHashMap<>();
        Set<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            int d = after.getOrDefault(name, 0) - before.getOrDefault(name, 0);
            if (d != 0) {
                delta.put(name, d);
            }
        }
        return delta;
    }

    /** SIGTERM, a bounded wait for a graceful exit, then SIGKILL. Idempotent. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "service '" + name + "' (pid " + pid() + ", port " + port + ", log " + logFile + ")";
    }
}
