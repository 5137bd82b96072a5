package dev.redisintegration.testing.redis;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@code redis-server} binary from PATH (or {@code REDIS_SERVER_BINARY}) bound to 127.0.0.1 (or the loopback
 * address the test chose) on a free port (or the port the test chose).
 */
final class BinaryRedis extends RedisBackend {

    private static final Logger LOG = LoggerFactory.getLogger(BinaryRedis.class);
    private static final String DEFAULT_HOST = "127.0.0.1";
    private static final int DEVELOPER_REDIS_PORT = 6379;
    private static final int PORT_ATTEMPTS = 5;
    private static final Duration EXIT_WAIT = Duration.ofSeconds(5);
    private static final Duration RESTART_BIND_WINDOW = Duration.ofSeconds(10);

    private final Path binary;
    private final String host;
    private final Path directory;
    private final Path config;
    private final Path log;
    private final Path output;
    private final List<List<String>> extraDirectives;
    private final IntSupplier ports; // null: the spec's port, or a free one
    private int port;
    private Process process;
    private Process watchdog;
    private boolean paused;
    private boolean closed;

    BinaryRedis(Spec spec, Path binary) {
        this(spec, binary, List.of(), null);
    }

    /**
     * For the topology fixtures (cluster, Sentinel).
     *
     * @param extraDirectives written to the config file after the standard ones (a file, not the command line, so that a
     *     {@code masterauth} stays out of {@code ps})
     * @param ports picks the port of each start attempt (a cluster node also needs port + 10000 free)
     */
    BinaryRedis(Spec spec, Path binary, List<List<String>> extraDirectives, IntSupplier ports) {
        super(spec);
        this.binary = binary;
        this.host = spec.bindAddress() == null ? DEFAULT_HOST : spec.bindAddress();
        this.extraDirectives = List.copyOf(extraDirectives);
        this.ports = ports;
        try {
            this.directory = Files.createTempDirectory("redis-fixture-");
            RedisServer.deleteOnExit(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary directory for redis-server", e);
        }
        this.config = directory.resolve("redis.conf");
        this.log = directory.resolve("redis.log");
        this.output = directory.resolve("redis-server.out");
    }

    /** The {@code redis-server} binary: {@code REDIS_SERVER_BINARY} if set, else the first on PATH. */
    static Optional<Path> findBinary() {
        String explicit = System.getenv("REDIS_SERVER_BINARY");
        if (explicit != null && !explicit.isBlank()) {
            Path path = Path.of(explicit);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        return onPath("redis-server");
    }

    /** The first executable file called {@code name} in a directory of PATH. */
    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(entry, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @Override
    String kind() {
        return "redis-server";
    }

    @Override
    synchronized void start() {
        if (spec.port() != 0) {
            requireFree(host, spec.port());
        }
        for (int attempt = 1; ; attempt++) {
            port = ports != null ? ports.getAsInt() : spec.port() != 0 ? spec.port() : freePort(host);
            launch();
            try {
                awaitReady(() -> process.isAlive());
                LOG.info(
                        "Started redis-server (pid {}) on {}:{}{}{} in {}",
                        process.pid(),
                        host,
                        port,
                        spec.tls() ? " with TLS" : "",
                        spec.primary() != null
                                ? " as replica of " + spec.primary().endpoint()
                                : "",
                        directory);
                return;
            } catch (ExitedException e) {
                killProcess();
                if (spec.port() != 0 && bindFailed()) {
                    throw chosenAddressUnavailable(host, port, "\n--- redis log (tail) ---\n" + logTail(), e);
                }
                if (!bindFailed() || attempt >= PORT_ATTEMPTS) {
                    throw startFailure(e);
                }
                LOG.debug("Port {} was taken before redis-server could bind it; trying another", port);
            } catch (RuntimeException e) {
                killProcess();
                throw e;
            }
        }
    }

    @Override
    synchronized void restart() {
        ensureOpen();
        killProcess();
        long deadline = System.nanoTime() + RESTART_BIND_WINDOW.toNanos();
        while (true) {
            launch();
            try {
                awaitReady(() -> process.isAlive());
                LOG.info("Restarted redis-server (pid {}) on {}:{}", process.pid(), host, port);
                return;
            } catch (ExitedException e) {
                killProcess();
                // The port may still be held briefly (a client socket in the way, a slow kernel): retry the same port.
                if (!bindFailed() || System.nanoTime() > deadline) {
                    throw startFailure(e);
                }
                RedisServer.sleep(Duration.ofMillis(100));
            } catch (RuntimeException e) {
                killProcess();
                throw e;
            }
        }
    }

    private IllegalStateException startFailure(ExitedException e) {
        Integer exit = process == null || process.isAlive() ? null : process.exitValue();
        return new IllegalStateException(
                e.getMessage() + (exit == null ? "" : " (exit code " + exit + ")") + "\n--- redis log (tail) ---\n"
                        + logTail(),
                e);
    }

    private boolean bindFailed() {
        String tail = logTail();
        return tail.contains("Address already in use") || tail.contains("Could not create server TCP listening socket");
    }

    private void launch() {
        ensureOpen();
        try {
            writeConfig();
            List<String> command = new ArrayList<>();
            command.add(binary.toString());
            command.add(config.toString());
            command.addAll(spec.extraArgs());
            process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                    .start();
            paused = false;
            watchdog = startWatchdog(process.pid());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + binary + " in " + directory, e);
        }
    }

    private void writeConfig() throws IOException {
        List<List<String>> lines =
                new ArrayList<>(directives(port, host, needsTls() ? TlsMaterial.shared().directory : null));
        lines.addAll(extraDirectives);
        lines.add(List.of("dir", directory.toString()));
        lines.add(List.of("logfile", log.toString()));
        lines.add(List.of("daemonize", "no"));
        StringBuilder text = new StringBuilder("# written by the redis-test-fixture; regenerated on every start\n");
        for (List<String> line : lines) {
            text.append(line.get(0));
            for (String value : line.subList(1, line.size())) {
                text.append(' ').append(quote(value));
            }
            text.append('\n');
        }
        // The file holds the password: keep it out of `ps` output (that is why this is not a command line).
        Files.writeString(config, text, StandardCharsets.UTF_8);
    }

    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /**
     * A tiny shell loop that kills redis-server if this JVM dies without running its shutdown hooks (SIGKILL, a
     * failsafe timeout), so no orphan keeps a port and memory, nor its directory the disk, after a crashed test run.
     */
    private Process startWatchdog(long redisPid) {
        String script = "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; "
                + "kill -CONT \"$2\" 2>/dev/null; kill -KILL \"$2\" 2>/dev/null; sleep 1; rm -rf \"$3\"";
        try {
            return new ProcessBuilder(
                            "sh",
                            "-c",
                            script,
                            "redis-fixture-watchdog",
                            Long.toString(ProcessHandle.current().pid()),
                            Long.toString(redisPid),
                            directory.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            LOG.debug(
                    "No watchdog for redis-server pid {} ({}); the JVM shutdown hook still cleans up",
                    redisPid,
                    e.getMessage());
            return null;
        }
    }

    /**
     * Fails when something listens on the chosen address: the PING that waits for the new server could otherwise be
     * answered by that other server before the new one exits on its bind error.
     */
    private static void requireFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as redis-server does: a closed socket in TIME_WAIT does not count
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1);
        } catch (IOException e) {
            throw chosenAddressUnavailable(host, port, ": " + e.getMessage(), e);
        }
    }

    private static IllegalStateException chosenAddressUnavailable(String host, int port, String detail, Exception e) {
        return new IllegalStateException(
                "Cannot start redis-server on the chosen " + host + ":" + port
                        + ": the address is taken or not available (port(..) / bindAddress(..))" + detail,
                e);
    }

    /** A port the kernel just handed out on 127.0.0.1, never the developer's 6379. */
    static int freePort() {
        return freePort(DEFAULT_HOST);
    }

    /** A port the kernel just handed out on {@code host}, never the developer's 6379. */
    private static int freePort(String host) {
        for (int i = 0; i < 20; i++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
                int candidate = socket.getLocalPort();
                if (candidate != DEVELOPER_REDIS_PORT) {
                    return candidate;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot find a free port on " + host, e);
            }
        }
        throw new IllegalStateException("Cannot find a free port on " + host);
    }

    @Override
    String host() {
        return host;
    }

    @Override
    int port() {
        return port;
    }

    @Override
    String replicationHost() {
        return host;
    }

    @Override
    int replicationPort() {
        return port;
    }

    @Override
    synchronized void stop() {
        ensureOpen();
        killProcess();
        LOG.info("Stopped redis-server on {}:{}", host, port);
    }

    @Override
    synchronized void pause() {
        ensureRunning("pause");
        signal("STOP");
        paused = true;
        LOG.info("Paused (SIGSTOP) redis-server pid {} on {}:{}", process.pid(), host, port);
    }

    @Override
    synchronized void resume() {
        ensureRunning("resume");
        signal("CONT");
        paused = false;
        LOG.info("Resumed (SIGCONT) redis-server pid {} on {}:{}", process.pid(), host, port);
    }

    @Override
    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    synchronized boolean isPaused() {
        return isRunning() && paused;
    }

    @Override
    String logTail() {
        String redisLog = RedisServer.tail(log, 30);
        String processOutput = RedisServer.tail(output, 10);
        return processOutput.isBlank() ? redisLog : redisLog + "\n--- process output (tail) ---\n" + processOutput;
    }

    @Override
    synchronized void close() {
        if (closed) {
            return;
        }
        killProcess();
        closed = true;
        RedisServer.deleteRecursively(directory);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("This RedisServer (port " + port + ") is closed");
        }
    }

    private void ensureRunning(String operation) {
        ensureOpen();
        if (!isRunning()) {
            throw new IllegalStateException("Cannot " + operation + " redis-server on port " + port
                    + ": it is not running (call restart() first)");
        }
    }

    private void signal(String signal) {
        long pid = process.pid();
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                kill.destroyForcibly();
                throw new IllegalStateException(
                        "`kill -" + signal + " " + pid + "` failed for redis-server on port " + port);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run `kill -" + signal + "`: is `kill` on PATH?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending SIG" + signal + " to redis-server", e);
        }
    }

    /** SIGKILL (after SIGCONT when paused) and wait until the process is gone, so its port is closed. */
    private void killProcess() {
        if (watchdog != null) {
            watchdog.destroyForcibly();
            watchdog = null;
        }
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            if (paused) {
                try {
                    signal("CONT");
                } catch (RuntimeException e) {
                    LOG.debug("SIGCONT before SIGKILL failed: {}", e.getMessage());
                }
            }
            process.destroyForcibly();
            try {
                if (!process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("redis-server pid " + process.pid() + " survived SIGKILL for "
                            + EXIT_WAIT.toSeconds() + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for redis-server to exit", e);
            }
        }
        paused = false;
    }

    /** Kills without waiting or logging: for the JVM shutdown hook. */
    void killNow() {
        Process current = process;
        if (current != null && current.isAlive()) {
            current.destroyForcibly();
        }
        Process dog = watchdog;
        if (dog != null) {
            dog.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "redis-server " + host + ":" + port + " (" + directory + ")";
    }
}
