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
      RedisBackend.Spec spec = new RedisBackend.Spec(password, tls, primary, List.copyOf(extraArgs), startupTimeout);
      return launch(chooseBackend(spec), password, tls);
    }

    private RedisBackend chooseBackend(RedisBackend.Spec spec) {
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
            throw new IllegalStateException(DockerDetection.BACKEND_PROPERTY + "=docker, but no Docker engine is"
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
          throw new IllegalStateException("Tests need a real Redis, but there is no Docker engine and no `redis-server`"
              + " on PATH. Install one of: Docker (tests then use " + ContainerRedis.IMAGE + "), or Redis 7 so that"
              + " `redis-server` is on PATH (`apt-get install redis-server`, `brew install redis`), or point"
              + " REDIS_SERVER_BINARY at a redis-server executable.");
        default:
          throw new IllegalStateException("Unknown " + DockerDetection.BACKEND_PROPERTY + " '" + requested
              + "': use auto, docker or binary");
      }
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
    return BinaryRedis.findBinary().orElseThrow(() -> new IllegalStateException("No `redis-server` on PATH (or"
        + " REDIS_SERVER_BINARY): install Redis 7 (`apt-get install redis-server`, `brew install redis`)" + hint));
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
