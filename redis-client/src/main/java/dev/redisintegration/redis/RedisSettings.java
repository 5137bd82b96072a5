package dev.redisintegration.redis;

import dev.redisintegration.redis.internal.Endpoint;
import dev.redisintegration.redis.internal.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Immutable settings of a {@link RedisConnectionManager}: where Redis is, how to authenticate, and how long each
 * operation may take.
 *
 * <p>Build them from the environment with {@link #fromEnvironment(Map)} (production passes {@code System.getenv()},
 * tests a {@code Map.of(..)}), or with {@link #builder()}. Every bad value is rejected early with an
 * {@link IllegalArgumentException} that names the variable, shows the value with any password masked and lists the
 * accepted forms. The password never appears in any message or in {@link #toString()}.
 *
 * @param host the host name or IP address (IPv6 without brackets), never blank.
 * @param port the TCP port, 1-65535.
 * @param ssl {@code true} to connect with TLS ({@code rediss://}).
 * @param database the database index selected after connecting, {@code >= 0}.
 * @param username the ACL user name, or {@code null} for the default user; needs a password.
 * @param password the password or AUTH token, or {@code null} when Redis needs none. Never logged.
 * @param connectTimeout bound for establishing a connection (TCP, TLS, AUTH/HELLO), positive.
 * @param commandTimeout bound for every command on the shared connection, positive.
 * @param pingTimeout bound for {@link RedisConnectionManager#ping()} and {@link RedisConnectionManager#probe()},
 *     positive.
 * @param clientName the name set with {@code CLIENT SETNAME}, or {@code null} to set none; no whitespace.
 * @param poolMaxTotal the most exclusive connections {@link RedisConnectionManager#withExclusiveConnection} keeps
 *     open at once, {@code >= 1}.
 * @param tlsCaCertificate a PEM file with the CA certificate(s) to trust for {@code rediss://}, or {@code null} for
 *     the JVM's default trust store.
 * @param reconnectMaxDelay upper bound of the jittered exponential back-off between reconnect attempts, positive.
 * @param verifyInterval how often the manager verifies its shared connection while connected (one {@code ROLE}, or
 *     {@code PING} where {@code ROLE} is refused): a node that hangs with the socket open, or that was demoted to a
 *     replica, is noticed within about this time even without traffic. Positive.
 * @param dnsMaxTtl the longest time a resolved address of the endpoint's host name is reused, whatever the DNS
 *     record's TTL says, so that a reconnect after a failover sees a moved name within seconds. Whole seconds,
 *     {@code >= 0} ({@code 0}: resolve on every connect).
 * @param expectedRole the role a node must have to be used; see {@link ExpectedRole}.
 * @since 0.1
 */
public record RedisSettings(
    String host,
    int port,
    boolean ssl,
    int database,
    @Nullable String username,
    @Nullable String password,
    Duration connectTimeout,
    Duration commandTimeout,
    Duration pingTimeout,
    @Nullable String clientName,
    int poolMaxTotal,
    @Nullable Path tlsCaCertificate,
    Duration reconnectMaxDelay,
    Duration verifyInterval,
    Duration dnsMaxTtl,
    ExpectedRole expectedRole) {

  /** The endpoint: {@code host}, {@code host:port}, {@code [ipv6]:port}, {@code redis://…} or {@code rediss://…}. */
  public static final String ENV_ENDPOINT = "REDIS_PRIMARY_ENDPOINT";
  /** ACL user name; overrides one in the endpoint URL. */
  public static final String ENV_USERNAME = "REDIS_USERNAME";
  /** Password or AUTH token; overrides one in the endpoint URL. */
  public static final String ENV_PASSWORD = "REDIS_PASSWORD";
  /** See {@link #connectTimeout()}. */
  public static final String ENV_CONNECT_TIMEOUT = "REDIS_CONNECT_TIMEOUT";
  /** See {@link #commandTimeout()}. */
  public static final String ENV_COMMAND_TIMEOUT = "REDIS_COMMAND_TIMEOUT";
  /** See {@link #pingTimeout()}. */
  public static final String ENV_PING_TIMEOUT = "REDIS_PING_TIMEOUT";
  /** See {@link #clientName()}. */
  public static final String ENV_CLIENT_NAME = "REDIS_CLIENT_NAME";
  /** See {@link #poolMaxTotal()}. */
  public static final String ENV_POOL_MAX_TOTAL = "REDIS_POOL_MAX_TOTAL";
  /** See {@link #tlsCaCertificate()}. */
  public static final String ENV_TLS_CA_CERT = "REDIS_TLS_CA_CERT";
  /** See {@link #verifyInterval()}. */
  public static final String ENV_VERIFY_INTERVAL = "REDIS_VERIFY_INTERVAL";
  /** See {@link #dnsMaxTtl()}. */
  public static final String ENV_DNS_MAX_TTL = "REDIS_DNS_MAX_TTL";
  /** See {@link #expectedRole()}: {@code primary} (default) or {@code any}. */
  public static final String ENV_EXPECTED_ROLE = "REDIS_EXPECTED_ROLE";

  /**
   * Every variable {@link #fromEnvironment(Map)} reads, in documentation order; a framework that maps its own
   * configuration onto these names (e.g. Micronaut's {@code redis.primary.endpoint}) can copy exactly these.
   *
   * @return the variable names, unmodifiable.
   */
  public static java.util.List<String> environmentVariables() {
    return java.util.List.of(ENV_ENDPOINT, ENV_USERNAME, ENV_PASSWORD, ENV_CONNECT_TIMEOUT, ENV_COMMAND_TIMEOUT,
        ENV_PING_TIMEOUT, ENV_CLIENT_NAME, ENV_POOL_MAX_TOTAL, ENV_TLS_CA_CERT, ENV_VERIFY_INTERVAL, ENV_DNS_MAX_TTL,
        ENV_EXPECTED_ROLE);
  }

  /** Defaults to {@code localhost}. */
  public static final String DEFAULT_HOST = "localhost";
  /** Defaults to {@code 6379}. */
  public static final int DEFAULT_PORT = Endpoint.DEFAULT_PORT;
  /** Defaults to database {@code 0}. */
  public static final int DEFAULT_DATABASE = 0;
  /** Defaults to 2 s. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  /** Defaults to 2 s. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);
  /** Defaults to 500 ms. */
  public static final Duration DEFAULT_PING_TIMEOUT = Duration.ofMillis(500);
  /** Defaults to {@code redis-integration}. */
  public static final String DEFAULT_CLIENT_NAME = "redis-integration";
  /** Defaults to 8 exclusive connections. */
  public static final int DEFAULT_POOL_MAX_TOTAL = 8;
  /** Defaults to 2 s, so a recovered Redis is used again within seconds. */
  public static final Duration DEFAULT_RECONNECT_MAX_DELAY = Duration.ofSeconds(2);
  /** Defaults to 5 s: about one {@code ROLE} per 5 s per process, a hung or demoted node seen within seconds. */
  public static final Duration DEFAULT_VERIFY_INTERVAL = Duration.ofSeconds(5);
  /** Defaults to 5 s, so a reconnect sees a moved DNS name within seconds. */
  public static final Duration DEFAULT_DNS_MAX_TTL = Duration.ofSeconds(5);
  /** Defaults to {@link ExpectedRole#PRIMARY}. */
  public static final ExpectedRole DEFAULT_EXPECTED_ROLE = ExpectedRole.PRIMARY;

  /**
   * Validates every component; messages name the component and never contain the password.
   *
   * @param host see {@link #host()}.
   * @param port see {@link #port()}.
   * @param ssl see {@link #ssl()}.
   * @param database see {@link #database()}.
   * @param username see {@link #username()}.
   * @param password see {@link #password()}.
   * @param connectTimeout see {@link #connectTimeout()}.
   * @param commandTimeout see {@link #commandTimeout()}.
   * @param pingTimeout see {@link #pingTimeout()}.
   * @param clientName see {@link #clientName()}.
   * @param poolMaxTotal see {@link #poolMaxTotal()}.
   * @param tlsCaCertificate see {@link #tlsCaCertificate()}.
   * @param reconnectMaxDelay see {@link #reconnectMaxDelay()}.
   * @param verifyInterval see {@link #verifyInterval()}.
   * @param dnsMaxTtl see {@link #dnsMaxTtl()}.
   * @param expectedRole see {@link #expectedRole()}.
   * @throws IllegalArgumentException if a value is invalid.
   * @throws NullPointerException if a required value is {@code null}.
   */
  public RedisSettings {
    requireText(host, "host");
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port " + port + " is out of range 1-65535");
    }
    if (database < 0) {
      throw new IllegalArgumentException("database must not be negative: " + database);
    }
    username = blankToNull(username);
    password = password == null || password.isEmpty() ? null : password;
    if (username != null && password == null) {
      throw new IllegalArgumentException("a user name (" + username + ") needs a password");
    }
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(commandTimeout, "commandTimeout");
    requirePositive(pingTimeout, "pingTimeout");
    requirePositive(reconnectMaxDelay, "reconnectMaxDelay");
    requirePositive(verifyInterval, "verifyInterval");
    Objects.requireNonNull(dnsMaxTtl, "dnsMaxTtl must not be null");
    if (dnsMaxTtl.isNegative() || dnsMaxTtl.getNano() != 0) {
      throw new IllegalArgumentException("dnsMaxTtl must be whole seconds, 0 or more: " + dnsMaxTtl);
    }
    Objects.requireNonNull(expectedRole, "expectedRole must not be null");
    clientName = blankToNull(clientName);
    if (clientName != null && clientName.chars().anyMatch(c -> Character.isWhitespace(c) || c < 0x21 || c > 0x7e)) {
      throw new IllegalArgumentException("clientName must be printable ASCII without spaces: '" + clientName + "'");
    }
    if (poolMaxTotal < 1) {
      throw new IllegalArgumentException("poolMaxTotal must be at least 1: " + poolMaxTotal);
    }
    if (tlsCaCertificate != null && !ssl) {
      throw new IllegalArgumentException("tlsCaCertificate is set but ssl is off (use rediss://)");
    }
  }

  /**
   * Reads the settings from environment variables; unset or blank variables take their {@code DEFAULT_*} value.
   *
   * @param env the environment, e.g. {@code System.getenv()}, must not be {@code null}.
   * @return the settings.
   * @throws IllegalArgumentException naming the variable, its masked value and the accepted forms.
   */
  public static RedisSettings fromEnvironment(Map<String, String> env) {
    return EnvironmentReader.read(Objects.requireNonNull(env, "env must not be null"));
  }

  /**
   * A builder with every {@code DEFAULT_*} value.
   *
   * @return a new builder.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder initialized with these settings.
   *
   * @return a new builder.
   */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.host = host;
    builder.port = port;
    builder.ssl = ssl;
    builder.database = database;
    builder.username = username;
    builder.password = password;
    builder.connectTimeout = connectTimeout;
    builder.commandTimeout = commandTimeout;
    builder.pingTimeout = pingTimeout;
    builder.clientName = clientName;
    builder.poolMaxTotal = poolMaxTotal;
    builder.tlsCaCertificate = tlsCaCertificate;
    builder.reconnectMaxDelay = reconnectMaxDelay;
    builder.verifyInterval = verifyInterval;
    builder.dnsMaxTtl = dnsMaxTtl;
    builder.expectedRole = expectedRole;
    return builder;
  }

  /**
   * The endpoint as a URL with the password masked, e.g. {@code redis://app:****@cache.internal:6379/2}.
   *
   * @return the masked URL; safe to log.
   */
  public String maskedUrl() {
    StringBuilder url = new StringBuilder(ssl ? "rediss://" : "redis://");
    if (password != null) {
      url.append(username == null ? "" : username).append(':').append(Secrets.MASK).append('@');
    }
    url.append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port);
    if (database != DEFAULT_DATABASE) {
      url.append('/').append(database);
    }
    return url.toString();
  }

  /** Every setting except the password, which shows as {@code ****} in the URL. */
  @Override
  public String toString() {
    return "RedisSettings[url=" + maskedUrl()
        + ", connectTimeout=" + connectTimeout
        + ", commandTimeout=" + commandTimeout
        + ", pingTimeout=" + pingTimeout
        + ", clientName=" + clientName
        + ", poolMaxTotal=" + poolMaxTotal
        + ", tlsCaCertificate=" + tlsCaCertificate
        + ", reconnectMaxDelay=" + reconnectMaxDelay
        + ", verifyInterval=" + verifyInterval
        + ", dnsMaxTtl=" + dnsMaxTtl
        + ", expectedRole=" + expectedRole + "]";
  }

  private static void requireText(@Nullable String value, String name) {
    Objects.requireNonNull(value, name + " must not be null");
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name + " must not be null");
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /**
   * Builds {@link RedisSettings}; every setter's default is the matching {@code DEFAULT_*} constant.
   *
   * @since 0.1
   */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private boolean ssl;
    private int database = DEFAULT_DATABASE;
    private @Nullable String username;
    private @Nullable String password;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private Duration pingTimeout = DEFAULT_PING_TIMEOUT;
    private String clientName = DEFAULT_CLIENT_NAME;
    private int poolMaxTotal = DEFAULT_POOL_MAX_TOTAL;
    private @Nullable Path tlsCaCertificate;
    private Duration reconnectMaxDelay = DEFAULT_RECONNECT_MAX_DELAY;
    private Duration verifyInterval = DEFAULT_VERIFY_INTERVAL;
    private Duration dnsMaxTtl = DEFAULT_DNS_MAX_TTL;
    private ExpectedRole expectedRole = DEFAULT_EXPECTED_ROLE;

    private Builder() {}

    /**
     * Sets host, port, TLS, database and (if present) credentials from an endpoint in any accepted form.
     *
     * @param endpoint e.g. {@code redis://:secret@cache:6380/1}, must not be {@code null}.
     * @return this builder.
     * @throws IllegalArgumentException with the masked value and the accepted forms.
     */
    public Builder endpoint(String endpoint) {
      Objects.requireNonNull(endpoint, "endpoint must not be null");
      try {
        return endpoint(Endpoint.parse(endpoint));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("endpoint='" + Secrets.maskEndpointValue(endpoint.strip()) + "' is invalid: "
            + e.getMessage() + ". Accepted forms: " + Endpoint.FORMS);
      }
    }

    Builder endpoint(Endpoint endpoint) {
      host = endpoint.host();
      port = endpoint.port();
      ssl = endpoint.ssl();
      database = endpoint.database();
      if (endpoint.username() != null || endpoint.password() != null) {
        username = endpoint.username();
        password = endpoint.password();
      }
      return this;
    }

    /**
     * Sets {@link RedisSettings#host()}.
     *
     * @param host defaults to {@link #DEFAULT_HOST}.
     * @return this builder.
     */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /**
     * Sets {@link RedisSettings#port()}.
     *
     * @param port defaults to {@link #DEFAULT_PORT}.
     * @return this builder.
     */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * Sets {@link RedisSettings#ssl()}.
     *
     * @param ssl {@code true} for TLS; defaults to {@code false}.
     * @return this builder.
     */
    public Builder ssl(boolean ssl) {
      this.ssl = ssl;
      return this;
    }

    /**
     * Sets {@link RedisSettings#database()}.
     *
     * @param database defaults to {@link #DEFAULT_DATABASE}.
     * @return this builder.
     */
    public Builder database(int database) {
      this.database = database;
      return this;
    }

    /**
     * Sets {@link RedisSettings#username()}.
     *
     * @param username ACL user, {@code null} for the default user.
     * @return this builder.
     */
    public Builder username(@Nullable String username) {
      this.username = username;
      return this;
    }

    /**
     * Sets {@link RedisSettings#password()}.
     *
     * @param password password or token, {@code null} for none.
     * @return this builder.
     */
    public Builder password(@Nullable String password) {
      this.password = password;
      return this;
    }

    /**
     * Sets {@link RedisSettings#connectTimeout()}.
     *
     * @param connectTimeout defaults to {@link #DEFAULT_CONNECT_TIMEOUT}.
     * @return this builder.
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /**
     * Sets {@link RedisSettings#commandTimeout()}.
     *
     * @param commandTimeout defaults to {@link #DEFAULT_COMMAND_TIMEOUT}.
     * @return this builder.
     */
    public Builder commandTimeout(Duration commandTimeout) {
      this.commandTimeout = commandTimeout;
      return this;
    }

    /**
     * Sets {@link RedisSettings#pingTimeout()}.
     *
     * @param pingTimeout defaults to {@link #DEFAULT_PING_TIMEOUT}.
     * @return this builder.
     */
    public Builder pingTimeout(Duration pingTimeout) {
      this.pingTimeout = pingTimeout;
      return this;
    }

    /**
     * Sets {@link RedisSettings#clientName()}.
     *
     * @param clientName defaults to {@link #DEFAULT_CLIENT_NAME}; {@code null} sets no name.
     * @return this builder.
     */
    public Builder clientName(@Nullable String clientName) {
      this.clientName = clientName;
      return this;
    }

    /**
     * Sets {@link RedisSettings#poolMaxTotal()}.
     *
     * @param poolMaxTotal defaults to {@link #DEFAULT_POOL_MAX_TOTAL}.
     * @return this builder.
     */
    public Builder poolMaxTotal(int poolMaxTotal) {
      this.poolMaxTotal = poolMaxTotal;
      return this;
    }

    /**
     * Sets {@link RedisSettings#tlsCaCertificate()}.
     *
     * @param tlsCaCertificate PEM file to trust; defaults to none (JVM trust store).
     * @return this builder.
     */
    public Builder tlsCaCertificate(@Nullable Path tlsCaCertificate) {
      this.tlsCaCertificate = tlsCaCertificate;
      return this;
    }

    /**
     * Sets {@link RedisSettings#reconnectMaxDelay()}.
     *
     * @param reconnectMaxDelay defaults to {@link #DEFAULT_RECONNECT_MAX_DELAY}.
     * @return this builder.
     */
    public Builder reconnectMaxDelay(Duration reconnectMaxDelay) {
      this.reconnectMaxDelay = reconnectMaxDelay;
      return this;
    }

    /**
     * Sets {@link RedisSettings#verifyInterval()}.
     *
     * @param verifyInterval defaults to {@link #DEFAULT_VERIFY_INTERVAL}.
     * @return this builder.
     */
    public Builder verifyInterval(Duration verifyInterval) {
      this.verifyInterval = verifyInterval;
      return this;
    }

    /**
     * Sets {@link RedisSettings#dnsMaxTtl()}.
     *
     * @param dnsMaxTtl whole seconds; defaults to {@link #DEFAULT_DNS_MAX_TTL}.
     * @return this builder.
     */
    public Builder dnsMaxTtl(Duration dnsMaxTtl) {
      this.dnsMaxTtl = dnsMaxTtl;
      return this;
    }

    /**
     * Sets {@link RedisSettings#expectedRole()}.
     *
     * @param expectedRole defaults to {@link #DEFAULT_EXPECTED_ROLE}.
     * @return this builder.
     */
    public Builder expectedRole(ExpectedRole expectedRole) {
      this.expectedRole = expectedRole;
      return this;
    }

    boolean ssl() {
      return ssl;
    }

    @Nullable String username() {
      return username;
    }

    @Nullable String password() {
      return password;
    }

    /**
     * Validates and builds.
     *
     * @return the settings.
     * @throws IllegalArgumentException if a value is invalid.
     */
    public RedisSettings build() {
      return new RedisSettings(host, port, ssl, database, username, password, connectTimeout, commandTimeout,
          pingTimeout, clientName, poolMaxTotal, tlsCaCertificate, reconnectMaxDelay, verifyInterval, dnsMaxTtl,
          expectedRole);
    }
  }
}
