package dev.redisintegration.testing.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real Redis server for a test, on a free port of its own (never the developer's 6379).
 *
 * <p>Where it comes from: when a Docker engine is reachable, a Testcontainers {@code redis:7-alpine} container;
 * otherwise the {@code redis-server} binary from PATH (or {@code REDIS_SERVER_BINARY}), bound to 127.0.0.1 with its
 * own temporary directory, no persistence, and its log in that directory (never on the test's stdout). Force one with
 * the system property {@code redis.fixture.backend} or env {@code REDIS_FIXTURE_BACKEND} ({@code docker} /
 * {@code binary}).
 *
 * <p>Faults for tests: {@link #stop()} (connections refused), {@link #pause()} (SIGSTOP: connections are accepted by
 * the kernel but nothing answers, so clients hit their timeouts), {@link #resume()}, and {@link #restart()} on the same
 * port. A restarted server starts empty.
 *
 * <p>{@link #close()} kills the server and deletes its files; a JVM shutdown hook (and, for the binary, a small
 * watchdog process) makes sure no server outlives a crashed test run.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.builder().password("s3cret").build()) {
 *   assertThat(redis.command("PING")).isEqualTo("PONG");
 *   redis.pause();   // now every client times out
 *   redis.resume();
 * }
 * }</pre>
 *
 * <p>Thread-safe. All network calls made by the fixture itself are bounded ({@link #COMMAND_TIMEOUT}).
 */
public final class RedisServer implements AutoCloseable {

    /** How long {@link Builder#build()} and {@link #restart()} wait for the first PONG. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(10);
    /** Connect and read timeout of {@link #command}, {@link #commandCount} and {@link #clientList}. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    /** How long {@link #replicaOf(RedisServer)} waits for {@code master_link_status:up}. */
    public static final Duration DEFAULT_REPLICATION_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(RedisServer.class);
    private static final Set<RedisServer> LIVE = ConcurrentHashMap.newKeySet();
    private static final Set<Path> DELETE_ON_EXIT = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(RedisServer::cleanUpAtExit, "redis-fixture-shutdown"));
    }

    private final RedisBackend backend;
    private final String password;
    private final boolean tls;

    private RedisServer(RedisBackend backend, String password, boolean tls) {
        this.backend = backend;
        this.password = password;
        this.tls = tls;
    }

    /** A builder for a server with options; {@link #start()} is the plain default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a plain server: no password, no TLS. Same as {@code builder().build()}. */
    public static RedisServer start() {
        return builder().build();
    }

    /** The host clients connect to, e.g. {@code 127.0.0.1}. */
    public String host() {
        return backend.host();
    }

    /** The port clients connect to (the TLS port for a TLS server). Stays the same across {@link #restart()}. */
    public int port() {
        return backend.port();
    }

    /** {@code host:port}. */
    public String endpoint() {
        return host() + ":" + port();
    }

    /**
     * A Redis URI, {@code redis://host:port} or {@code rediss://host:port}, including {@code :password@} when a password
     * is set. It contains the password: do not log it.
     */
    public String url() {
        String credentials = password == null ? "" : ":" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@";
        return (tls ? "rediss://" : "redis://") + credentials + host() + ":" + port();
    }

    /** Whether the server was built with {@code tls(true)}. */
    public boolean isTls() {
        return tls;
    }

    /**
     * The PEM file of the test CA that signed this TLS server's certificate (SAN {@code localhost}, {@code 127.0.0.1}).
     *
     * @throws IllegalStateException when the server does not use TLS
     */
    public Path tlsCaCertificate() {
        requireTls();
        return TlsMaterial.shared().caCertificate;
    }

    /**
     * A PKCS12 trust store holding the test CA, for Java clients that want a key store file rather than a PEM.
     *
     * @throws IllegalStateException when the server does not use TLS
     */
    public TrustStore tlsTrustStore() {
        requireTls();
        TlsMaterial material = TlsMaterial.shared();
        return new TrustStore(material.trustStore, "PKCS12", TlsMaterial.TRUST_STORE_PASSWORD);
    }

    /** Kills the server (SIGKILL): from now on connections to {@link #port()} are refused. */
    public void stop() {
        backend.stop();
    }

    /** Starts the server again on the same port (stopping it first if needed) and waits until it answers PING. */
    public void restart() {
        backend.restart();
        resetStats();
    }

    /** SIGSTOP (docker pause): the port still accepts connections but nothing is answered until {@link #resume()}. */
    public void pause() {
        backend.pause();
    }

    /** SIGCONT (docker unpause): undoes {@link #pause()}. */
    public void resume() {
        backend.resume();
    }

    /** Whether the server process / container exists (a paused server is running). */
    public boolean isRunning() {
        return backend.isRunning();
    }

    /** Whether the server is running but paused. */
    public boolean isPaused() {
        return backend.isPaused();
    }

    /**
     * Runs one command on a fresh connection (TLS and AUTH handled) and returns the reply as text: a simple or bulk string
     * as is, an integer in decimal, an array as its elements joined by newlines, {@code null} for a nil reply.
     * Bounded by {@link #COMMAND_TIMEOUT} for connect and read.
     *
     * @throws IllegalStateException when Redis replies with an error; the message contains the error text
     * @throws UncheckedIOException when the server cannot be reached or does not answer in time (cause: {@link
     *     java.net.ConnectException}, {@link java.net.SocketTimeoutException}, ...)
     */
    public String command(String... args) {
        if (args == null || args.length == 0) {
            throw new IllegalArgumentException("command needs at least a command name, e.g. command(\"PING\")");
        }
        try (RespClient client = connect()) {
            return client.callText(args);
        }
    }

    /**
     * How many times {@code command} (case-insensitive, e.g. {@code "ping"} or {@code "client|list"}) ran since the
     * server started or the statistics were last reset, from {@code INFO commandstats}; 0 if never. The fixture's own
     * readiness PINGs are not counted (statistics are reset once the server is ready).
     */
    public long commandCount(String command) {
        String prefix = "cmdstat_" + command.toLowerCase(Locale.ROOT) + ":";
        for (String line : command("INFO", "commandstats").split("\r?\n")) {
            if (line.startsWith(prefix)) {
                for (String field : line.substring(prefix.length()).split(",")) {
                    if (field.startsWith("calls=")) {
                        return Long.parseLong(field.substring("calls=".length()));
                    }
                }
            }
        }
        return 0;
    }

    /** The lines of {@code CLIENT LIST}, without the fixture's own connection that asked for them. */
    public List<String> clientList() {
        try (RespClient client = connect()) {
            String ownId = "id=" + client.callText("CLIENT", "ID") + " ";
            List<String> lines = new ArrayList<>();
            for (String line : client.callText("CLIENT", "LIST").split("\r?\n")) {
                if (!line.isBlank() && !line.startsWith(ownId)) {
                    lines.add(line.trim());
                }
            }
            return lines;
        }
    }

    /**
     * The first element of the {@code ROLE} reply: {@code "master"} or {@code "slave"} (Redis' own words; a sentinel
     * would say {@code "sentinel"}).
     *
     * @throws UncheckedIOException when the server cannot be reached or does not answer in time
     */
    public String role() {
        try (RespClient client = connect()) {
            Object reply = client.call("ROLE");
            if (reply instanceof List<?> elements && !elements.isEmpty()) {
                return String.valueOf(elements.get(0));
            }
            throw new IllegalStateException("Unexpected ROLE reply from " + endpoint() + ": " + reply);
        }
    }

    /**
     * Makes this server a primary at run time ({@code REPLICAOF NO ONE}), as a failover promotes a replica. It keeps its
     * data and accepts writes from now on; its former primary is left alone (demote it with {@link #replicaOf}).
     * Returns once {@link #role()} is {@code master}.
     *
     * <p>A run-time role lasts until the process ends: {@link #restart()} starts the server with the role it was
     * built with.
     */
    public void promote() {
        command("REPLICAOF", "NO", "ONE");
        String role = role();
        if (!"master".equals(role)) {
            throw new IllegalStateException("REPLICAOF NO ONE on " + endpoint() + " left its role at " + role);
        }
        LOG.info("Promoted {} to primary", endpoint());
    }

    /**
     * Makes this server a replica of {@code primary} at run time and waits up to {@link #DEFAULT_REPLICATION_TIMEOUT}
     * for the link; see {@link #replicaOf(RedisServer, Duration)}.
     */
    public void replicaOf(RedisServer primary) {
        replicaOf(primary, DEFAULT_REPLICATION_TIMEOUT);
    }

    /**
     * Makes this server a replica of {@code primary} at run time ({@code REPLICAOF host port}, after {@code CONFIG SET
     * masterauth} to the primary's password and {@code tls-replication} to its TLS setting), as a failover demotes the
     * old primary. From the moment {@code REPLICAOF} returns, writes on this server fail with {@code READONLY} while
     * connected clients stay connected and {@code PING} still answers {@code PONG}. Returns once {@code INFO
     * replication} shows {@code master_link_status:up} for {@code primary}: the full sync is done and this server holds
     * the primary's data (its own is gone).
     *
     * <p>Both servers must come from the same backend (the binary, or Docker on one network); a replica of a TLS
     * primary must itself be built with {@code tls(true)} or as a replica of a TLS primary (it needs the certificate
     * files). A run-time role lasts until the process ends: {@link #restart()} starts the server with the role it was
     * built with.
     *
     * @throws IllegalArgumentException when {@code primary} is this server
     * @throws IllegalStateException when the link is not up within {@code timeout} (the message has the replication
     *     state and this server's log tail), or the servers cannot replicate (see above)
     */
    public void replicaOf(RedisServer primary, Duration timeout) {
        Objects.requireNonNull(primary, "primary");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (primary == this) {
            throw new IllegalArgumentException(endpoint() + " cannot be a replica of itself");
        }
        if (primary.backend.getClass() != backend.getClass()) {
            throw new IllegalStateException("Cannot make " + this + " a replica of " + primary
                    + ": one runs as a binary, the other in Docker, and they cannot reach each other");
        }
        if (backend.needsTls()) {
            command("CONFIG", "SET", "tls-replication", primary.isTls() ? "yes" : "no");
        } else if (primary.isTls()) {
            throw new IllegalStateException("Cannot make " + this + " a replica of the TLS primary " + primary
                    + ": build it with tls(true) so that it has the certificate files");
        }
        // An empty masterauth clears a password a previous primary needed.
        command("CONFIG", "SET", "masterauth", primary.password() == null ? "" : primary.password());
        String host = primary.backend.replicationHost();
        String port = Integer.toString(primary.backend.replicationPort());
        command("REPLICAOF", host, port);
        long deadline = System.nanoTime() + timeout.toNanos();
        String state = "";
        while (true) {
            try {
                state = command("INFO", "replication");
                if (linkUp(state, host, port)) {
                    LOG.info("{} is now a replica of {}", endpoint(), primary.endpoint());
                    return;
                }
            } catch (UncheckedIOException e) {
                state = e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(endpoint() + " did not reach master_link_status:up as a replica of "
                        + primary.endpoint() + " within " + timeout.toMillis() + " ms; INFO replication:\n"
                        + state.strip()
                        + "\n--- redis log (tail) ---\n" + backend.logTail());
            }
            sleep(Duration.ofMillis(50));
        }
    }

    private static boolean linkUp(String infoReplication, String host, String port) {
        List<String> lines = Arrays.asList(infoReplication.split("\r?\n"));
        return lines.contains("role:slave")
                && lines.contains("master_host:" + host)
                && lines.contains("master_port:" + port)
                && lines.contains("master_link_status:up");
    }

    /** Kills the server (resuming it first if paused) and deletes its files. Idempotent. */
    @Override
    public void close() {
        try {
            backend.close();
        } finally {
            LIVE.remove(this);
        }
    }

    /** Masks the password. */
    @Override
    public String toString() {
        return "RedisServer[" + (tls ? "rediss://" : "redis://") + (password == null ? "" : ":****@") + host() + ":"
                + port() + ", " + backend.kind() + "]";
    }

    /** Resets {@code INFO commandstats} and friends, e.g. between tests. */
    void resetStats() {
        // A Sentinel (redis-server --sentinel) has no CONFIG command.
        if (!backend.spec.extraArgs().contains("--sentinel")) {
            command("CONFIG", "RESETSTAT");
        }
    }

    RedisBackend backend() {
        return backend;
    }

    String password() {
        return password;
    }

    private RespClient connect() {
        SSLContext context = tls ? TlsMaterial.shared().sslContext : null;
        return RespClient.connect(host(), port(), context, password, COMMAND_TIMEOUT);
    }

    private void requireTls() {
        if (!tls) {
            throw new IllegalStateException("This Redis server was not built with tls(true)");
        }
    }

    /**
     * A trust store file with the password to open it (a fixed, non-secret test value).
     *
     * @param path the key store file
     * @param type the key store type, {@code PKCS12}
     * @param password the key store password
     */
    public record TrustStore(Path path, String type, String password) {
        public TrustStore {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(password, "password");
        }

        /** The password as the {@code char[]} that {@link java.security.KeyStore#load} wants. */
        public char[] passwordChars() {
            return password.toCharArray();
        }
    }

    /** Options for one server. Nothing is started until {@link #build()}. */
    public static final class Builder {
        private String password;
        private boolean tls;
        private RedisServer primary;
        private final List<String> extraArgs = new ArrayList<>();
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
        private String bindAddress;
        private int port;

        private Builder() {}

        /** Require this password ({@code requirepass}); {@code null} for none, the default. */
        public Builder password(String password) {
            if (password != null && password.isEmpty()) {
                throw new IllegalArgumentException("password must not be empty; pass null for no password");
            }
            this.password = password;
            return this;
        }

        /**
         * Serve TLS only (the plain port is off) with a certificate from a test CA generated now, see {@link
         * RedisServer#tlsCaCertificate()}. Client certificates are not required. Defaults to {@code false}.
         */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /** Start as a replica of {@code primary} ({@code replicaof}, plus {@code masterauth} when it has a password). */
        public Builder replicaOf(RedisServer primary) {
            this.primary = Objects.requireNonNull(primary, "primary");
            return this;
        }

        /** More {@code redis-server} arguments, e.g. {@code extraArgs("--maxclients", "20")}; appended last. */
        public Builder extraArgs(String... args) {
            extraArgs.addAll(Arrays.asList(args));
            return this;
        }

        /**
         * Listen on this IPv4 loopback address instead of {@code 127.0.0.1}, e.g. {@code "127.0.0.2"}: with {@link
         * #port(int)}, two servers can listen on the same port at two addresses, so that a test can move a host name from
         * one to the other by its IP alone. Linux routes all of {@code 127.0.0.0/8} to the loopback interface; macOS has
         * only {@code 127.0.0.1} unless more are added ({@code ifconfig lo0 alias 127.0.0.2}). {@link RedisServer#host()}
         * returns this address. Needs the {@code redis-server} binary: with the Docker backend forced, {@link #build()}
         * fails; with {@code auto} the binary is used.
         *
         * @throws IllegalArgumentException when {@code address} is not an IPv4 literal in {@code 127.0.0.0/8}
         */
        public Builder bindAddress(String address) {
            if (address == null || !isLoopbackIpv4(address)) {
                throw new IllegalArgumentException("bindAddress must be an IPv4 loopback address such as 127.0.0.2"
                        + " (127.0.0.0/8): " + address);
            }
            this.bindAddress = address;
            return this;
        }

        /**
         * Listen on this port instead of a free one; it must be free at that address (the build fails otherwise, it does
         * not pick another). Same backend rule as {@link #bindAddress(String)}.
         *
         * @throws IllegalArgumentException when {@code port} is outside 1-65535 or is 6379 (the developer's Redis)
         */
        public Builder port(int port) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be in 1-65535: " + port);
            }
            if (port == 6379) {
                throw new IllegalArgumentException(
                        "port 6379 is the developer's Redis: tests must not use it; pick one with"
                                + " FreePorts.pick()");
            }
            this.port = port;
            return this;
        }

        private static boolean isLoopbackIpv4(String address) {
            String[] parts = address.split("\\.", -1);
            if (parts.length != 4 || !"127".equals(parts[0])) {
                return false;
            }
            for (String part : parts) {
                if (part.isEmpty()
                        || part.length() > 3
                        || !part.chars().allMatch(Character::isDigit)
                        || Integer.parseInt(part) > 255) {
                    return false;
                }
            }
            return true;
        }

        /** How long to wait for the first PONG. Defaults to {@link #DEFAULT_STARTUP_TIMEOUT}. */
        public Builder startupTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive: " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        /**
         * Starts the server and waits until it answers PING.
         *
         * @throws IllegalStateException when neither Docker nor {@code redis-server} is available, or the server does not
         *     come up in time (the message includes the tail of its log)
         */
        public RedisServer build() {
            RedisBackend.Spec spec = new RedisBackend.Spec(
                    password, tls, primary, List.copyOf(extraArgs), startupTimeout, bindAddress, port);
            return launch(chooseBackend(spec), password, tls);
        }

        private RedisBackend chooseBackend(RedisBackend.Spec spec) {
            if (spec.fixesAddress()) {
                return addressedBackend(spec);
            }
            if (primary != null) {
                // A replica must reach its primary's network: run it the same way.
                return primary.backend instanceof ContainerRedis ? new ContainerRedis(spec) : binaryBackend(spec);
            }
            String requested = DockerDetection.requestedBackend();
            switch (requested) {
                case "binary":
                    return binaryBackend(spec);
                case "docker":
                    if (!DockerDetection.dockerAvailable()) {
                        throw new IllegalStateException(
                                DockerDetection.BACKEND_PROPERTY + "=docker, but no Docker engine is"
                                        + " reachable: start Docker, or use the redis-server binary (unset it)");
                    }
                    return new ContainerRedis(spec);
                case "auto":
                    if (DockerDetection.dockerAvailable()) {
                        return new ContainerRedis(spec);
                    }
                    if (BinaryRedis.findBinary().isPresent()) {
                        return binaryBackend(spec);
                    }
                    throw new IllegalStateException(
                            "Tests need a real Redis, but there is no Docker engine and no `redis-server`"
                                    + " on PATH. Install one of: Docker (tests then use " + ContainerRedis.IMAGE
                                    + "), or Redis 7 so that"
                                    + " `redis-server` is on PATH (`apt-get install redis-server`, `brew install redis`), or point"
                                    + " REDIS_SERVER_BINARY at a redis-server executable.");
                default:
                    throw new IllegalStateException("Unknown " + DockerDetection.BACKEND_PROPERTY + " '" + requested
                            + "': use auto, docker or binary");
            }
        }

        /** bindAddress / port: a container's port lives on the Docker host, so only the binary can honour them. */
        private RedisBackend addressedBackend(RedisBackend.Spec spec) {
            String chosen = (bindAddress == null ? "" : "bindAddress(" + bindAddress + ") ")
                    + (port == 0 ? "" : "port(" + port + ") ");
            boolean dockerPrimary = primary != null && primary.backend instanceof ContainerRedis;
            if (dockerPrimary || "docker".equals(DockerDetection.requestedBackend())) {
                throw new IllegalStateException(chosen
                        + "needs the redis-server binary backend, but this server would run"
                        + " in Docker (Testcontainers maps a container's port on the Docker host and cannot bind a loopback"
                        + " address or a chosen port there): run with -D" + DockerDetection.BACKEND_PROPERTY + "=binary"
                        + (dockerPrimary ? " and build the primary with the binary too" : ""));
            }
            return binaryBackend(spec);
        }

        private static RedisBackend binaryBackend(RedisBackend.Spec spec) {
            return new BinaryRedis(spec, requireBinary(", or run Docker so tests use " + ContainerRedis.IMAGE));
        }
    }

    /** Starts {@code backend}, waits for PONG and resets the statistics; kills it again when that fails. */
    private static RedisServer launch(RedisBackend backend, String password, boolean tls) {
        RedisServer server = new RedisServer(backend, password, tls);
        LIVE.add(server);
        try {
            backend.start();
            server.resetStats();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        LOG.debug("Ready: {}", server);
        return server;
    }

    /**
     * A {@code redis-server} process whatever the backend choice, for the topology fixtures ({@link RedisCluster},
     * {@link RedisSentinelGroup}): their nodes must reach each other at the addresses they announce.
     *
     * @param directives more config-file directives, e.g. {@code cluster-enabled yes}
     * @param ports picks the port of each start attempt
     */
    static RedisServer startProcess(RedisBackend.Spec spec, List<List<String>> directives, IntSupplier ports) {
        Path binary = requireBinary(" (clusters and Sentinel groups always run the binary, also where Docker exists)");
        return launch(new BinaryRedis(spec, binary, directives, ports), spec.password(), false);
    }

    private static Path requireBinary(String hint) {
        return BinaryRedis.findBinary()
                .orElseThrow(() -> new IllegalStateException("No `redis-server` on PATH (or"
                        + " REDIS_SERVER_BINARY): install Redis 7 (`apt-get install redis-server`, `brew install redis`)"
                        + hint));
    }

    // ---- helpers shared by the package ----

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Redis", e);
        }
    }

    /** The last {@code lines} lines of a text file, or a note that it does not exist. */
    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (NoSuchFileException e) {
            return "(no " + file.getFileName() + " yet)";
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    static void deleteOnExit(Path directory) {
        DELETE_ON_EXIT.add(directory);
    }

    static void deleteRecursively(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.debug("Could not delete {}: {}", directory, e.getMessage());
        }
    }

    private static void cleanUpAtExit() {
        for (RedisServer server : LIVE) {
            try {
                if (server.backend instanceof BinaryRedis binary) {
                    // No locks, no waiting: a test thread may still hold the server's monitor while the JVM exits.
                    binary.killNow();
                } else {
                    server.backend.close();
                }
            } catch (RuntimeException e) {
                // best effort while the JVM exits
            }
        }
        DELETE_ON_EXIT.forEach(RedisServer::deleteRecursively);
    }
}
