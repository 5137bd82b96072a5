package dev.redisintegration.redis;

import dev.redisintegration.redis.internal.Endpoint;
import dev.redisintegration.redis.internal.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
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
 * <p>Topologies ({@link #mode()}): one server, Redis Sentinel ({@code redis-sentinel://…#master}: {@link #nodes()} are
 * the Sentinels, {@link #sentinelMaster()} the name of the primary they watch) or Redis Cluster ({@link #nodes()} are
 * seeds). {@link RedisMode#AUTO} is resolved where the endpoint decides it: a Sentinel endpoint becomes
 * {@link RedisMode#SENTINEL} and several hosts {@link RedisMode#CLUSTER}, so {@link #mode()} is {@code AUTO} only for
 * one host, which the manager asks at its first connect.
 *
 * @param nodes the server, the cluster seeds, or the Sentinels, in the given order; never empty, no host:port twice.
 * @param ssl {@code true} to connect with TLS ({@code rediss://}).
 * @param database the database index selected after connecting, {@code >= 0}; {@code 0} in a cluster.
 * @param username the ACL user name on the data nodes, or {@code null} for the default user; needs a password.
 * @param password the password or AUTH token of the data nodes, or {@code null} when Redis needs none. Never logged.
 * @param mode the topology; see {@link RedisMode}.
 * @param sentinelMaster the name under which the Sentinels watch the primary (after {@code #} in
 *     {@code redis-sentinel://}), or {@code null} when not {@link RedisMode#SENTINEL}.
 * @param sentinelPassword the password of the Sentinels themselves, or {@code null} to use {@link #password()} for
 *     them too; only with {@link RedisMode#SENTINEL}. Never logged.
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
 * @param expectedRole the role a node must have to be used; see {@link ExpectedRole}. {@link ExpectedRole#ANY} only
 *     for a standalone endpoint.
 * @since 0.1
 */
public record RedisSettings(
        List<RedisNode> nodes,
        boolean ssl,
        int database,
        @Nullable String username,
        @Nullable String password,
        RedisMode mode,
        @Nullable String sentinelMaster,
        @Nullable String sentinelPassword,
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

    /**
     * The endpoint: {@code host}, {@code host:port}, {@code [ipv6]:port}, {@code redis://…}, {@code rediss://…}, cluster
     * seeds {@code host:port,host:port,…}, or {@code redis-sentinel://host[:port][,host[:port]…][/db]#master}.
     */
    public static final String ENV_ENDPOINT = "REDIS_PRIMARY_ENDPOINT";
    /** See {@link #mode()}: {@code standalone}, {@code sentinel}, {@code cluster} or {@code auto} (default). */
    public static final String ENV_MODE = "REDIS_MODE";
    /** See {@link #sentinelPassword()}. */
    public static final String ENV_SENTINEL_PASSWORD = "REDIS_SENTINEL_PASSWORD";
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
    public static List<String> environmentVariables() {
        return List.of(
                ENV_ENDPOINT,
                ENV_MODE,
                ENV_USERNAME,
                ENV_PASSWORD,
                ENV_SENTINEL_PASSWORD,
                ENV_CONNECT_TIMEOUT,
                ENV_COMMAND_TIMEOUT,
                ENV_PING_TIMEOUT,
                ENV_CLIENT_NAME,
                ENV_POOL_MAX_TOTAL,
                ENV_TLS_CA_CERT,
                ENV_VERIFY_INTERVAL,
                ENV_DNS_MAX_TTL,
                ENV_EXPECTED_ROLE);
    }

    /** Defaults to {@code localhost}. */
    public static final String DEFAULT_HOST = "localhost";
    /** Defaults to {@code 6379}. */
    public static final int DEFAULT_PORT = Endpoint.DEFAULT_PORT;
    /** The port of a Sentinel given without one: {@code 26379}. */
    public static final int DEFAULT_SENTINEL_PORT = Endpoint.DEFAULT_SENTINEL_PORT;
    /** Defaults to {@link RedisMode#AUTO}. */
    public static final RedisMode DEFAULT_MODE = RedisMode.AUTO;
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
     * Validates every component and resolves {@link RedisMode#AUTO} where the endpoint decides it; messages name the
     * component and never contain a password.
     *
     * @param nodes see {@link #nodes()}.
     * @param ssl see {@link #ssl()}.
     * @param database see {@link #database()}.
     * @param username see {@link #username()}.
     * @param password see {@link #password()}.
     * @param mode see {@link #mode()}.
     * @param sentinelMaster see {@link #sentinelMaster()}.
     * @param sentinelPassword see {@link #sentinelPassword()}.
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
     * @throws IllegalArgumentException if a value is invalid, or two do not fit together.
     * @throws NullPointerException if a required value is {@code null}.
     */
    public RedisSettings {
        Objects.requireNonNull(nodes, "nodes must not be null");
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("nodes must not be empty");
        }
        if (new HashSet<>(nodes).size() != nodes.size()) {
            throw new IllegalArgumentException("nodes lists a host:port twice: " + nodes);
        }
        if (database < 0) {
            throw new IllegalArgumentException("database must not be negative: " + database);
        }
        username = blankToNull(username);
        password = password == null || password.isEmpty() ? null : password;
        if (username != null && password == null) {
            throw new IllegalArgumentException("a user name (" + username + ") needs a password");
        }
        Objects.requireNonNull(mode, "mode must not be null");
        sentinelMaster = blankToNull(sentinelMaster);
        sentinelPassword = sentinelPassword == null || sentinelPassword.isEmpty() ? null : sentinelPassword;
        mode = checkTopology(nodes, ssl, database, mode, sentinelMaster, sentinelPassword);
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
        if (expectedRole == ExpectedRole.ANY && (mode == RedisMode.SENTINEL || mode == RedisMode.CLUSTER)) {
            throw new IllegalArgumentException("expectedRole any is for a standalone reader endpoint; in mode "
                    + lower(mode) + " the topology names the primary");
        }
        clientName = blankToNull(clientName);
        if (clientName != null && clientName.chars().anyMatch(c -> Character.isWhitespace(c) || c < 0x21 || c > 0x7e)) {
            throw new IllegalArgumentException(
                    "clientName must be printable ASCII without spaces: '" + clientName + "'");
        }
        if (poolMaxTotal < 1) {
            throw new IllegalArgumentException("poolMaxTotal must be at least 1: " + poolMaxTotal);
        }
        if (tlsCaCertificate != null && !ssl) {
            throw new IllegalArgumentException("tlsCaCertificate is set but ssl is off (use rediss://)");
        }
    }

    /** The combinations of endpoint and mode that make sense; returns the mode with AUTO resolved where it can be. */
    private static RedisMode checkTopology(
            List<RedisNode> nodes,
            boolean ssl,
            int database,
            RedisMode mode,
            @Nullable String sentinelMaster,
            @Nullable String sentinelPassword) {
        RedisMode resolved = mode;
        if (mode == RedisMode.AUTO) {
            resolved =
                    sentinelMaster != null ? RedisMode.SENTINEL : nodes.size() > 1 ? RedisMode.CLUSTER : RedisMode.AUTO;
        }
        if (sentinelMaster != null && resolved != RedisMode.SENTINEL) {
            throw new IllegalArgumentException("a Sentinel endpoint (redis-sentinel://…#" + sentinelMaster
                    + ") needs mode sentinel or auto, not " + lower(mode));
        }
        if (resolved == RedisMode.SENTINEL) {
            if (sentinelMaster == null) {
                throw new IllegalArgumentException("mode sentinel needs a Sentinel endpoint naming the primary: "
                        + "redis-sentinel://host[:port][,host[:port]...]#master");
            }
            if (ssl) {
                throw new IllegalArgumentException("TLS with Sentinel is not supported");
            }
        } else if (sentinelPassword != null) {
            throw new IllegalArgumentException("a Sentinel password is set but the endpoint is not a Sentinel endpoint "
                    + "(redis-sentinel://…#master)");
        }
        if (resolved == RedisMode.STANDALONE && nodes.size() > 1) {
            throw new IllegalArgumentException("mode standalone takes one host, not " + nodes.size()
                    + ": several hosts are cluster seeds (mode cluster) or Sentinels (redis-sentinel://…#master)");
        }
        if (resolved == RedisMode.CLUSTER && database != 0) {
            throw new IllegalArgumentException("Redis Cluster has only database 0, not " + database
                    + (mode == RedisMode.AUTO ? " (several hosts are cluster seeds)" : ""));
        }
        return resolved;
    }

    /**
     * The host of the first of {@link #nodes()}: the server, the first cluster seed, or the first Sentinel.
     *
     * @return the host name or IP address.
     */
    public String host() {
        return nodes.get(0).host();
    }

    /**
     * The port of the first of {@link #nodes()}.
     *
     * @return the port.
     */
    public int port() {
        return nodes.get(0).port();
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
        builder.nodes(nodes);
        builder.ssl = ssl;
        builder.database = database;
        builder.username = username;
        builder.password = password;
        builder.mode = mode;
        builder.sentinelMaster = sentinelMaster;
        builder.sentinelPassword = sentinelPassword;
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
     * The endpoint as a URL with every password masked and every node listed, e.g.
     * {@code redis://app:****@cache.internal:6379/2}, {@code redis://:****@10.0.0.1:7000,10.0.0.2:7000} (cluster seeds)
     * or {@code redis-sentinel://:****@s1:26379,s2:26379#mymaster}.
     *
     * @return the masked URL; safe to log.
     */
    public String maskedUrl() {
        StringBuilder url =
                new StringBuilder(sentinelMaster != null ? "redis-sentinel://" : ssl ? "rediss://" : "redis://");
        if (password != null) {
            url.append(username == null ? "" : username)
                    .append(':')
                    .append(Secrets.MASK)
                    .append('@');
        }
        url.append(nodes.stream().map(RedisNode::toString).collect(Collectors.joining(",")));
        if (database != DEFAULT_DATABASE) {
            url.append('/').append(database);
        }
        if (sentinelMaster != null) {
            url.append('#').append(sentinelMaster);
        }
        return url.toString();
    }

    /** Every setting except the passwords, which show as {@code ****}. */
    @Override
    public String toString() {
        return "RedisSettings[url=" + maskedUrl()
                + ", mode=" + mode
                + (sentinelPassword == null ? "" : ", sentinelPassword=" + Secrets.MASK)
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

    private static String lower(RedisMode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
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
        private @Nullable String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        /** Several nodes, set by {@link #nodes(List)} or an endpoint with several hosts; else host and port. */
        private @Nullable List<RedisNode> nodes;

        private boolean ssl;
        private int database = DEFAULT_DATABASE;
        private @Nullable String username;
        private @Nullable String password;
        private RedisMode mode = DEFAULT_MODE;
        private @Nullable String sentinelMaster;
        private @Nullable String sentinelPassword;
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
         * Sets the nodes, TLS, database, the Sentinel primary's name and (if present) credentials from an endpoint in any
         * accepted form (see {@link RedisSettings#ENV_ENDPOINT}).
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
                throw new IllegalArgumentException("endpoint='" + Secrets.maskEndpointValue(endpoint.strip())
                        + "' is invalid: " + e.getMessage() + ". Accepted forms: " + Endpoint.FORMS);
            }
        }

        Builder endpoint(Endpoint endpoint) {
            nodes(endpoint.nodes());
            ssl = endpoint.ssl();
            sentinelMaster = endpoint.sentinelMaster();
            database = endpoint.database();
            if (endpoint.username() != null || endpoint.password() != null) {
                username = endpoint.username();
                password = endpoint.password();
            }
            return this;
        }

        /**
         * Sets the host of a single node, replacing any list set with {@link #nodes(List)}.
         *
         * @param host defaults to {@link #DEFAULT_HOST}.
         * @return this builder.
         */
        public Builder host(String host) {
            singleNode();
            this.host = host;
            return this;
        }

        /**
         * Sets the port of a single node, replacing any list set with {@link #nodes(List)}.
         *
         * @param port defaults to {@link #DEFAULT_PORT}.
         * @return this builder.
         */
        public Builder port(int port) {
            singleNode();
            this.port = port;
            return this;
        }

        /**
         * Sets {@link RedisSettings#nodes()}: the server, cluster seeds or Sentinels.
         *
         * @param nodes at least one; defaults to one node at {@link #DEFAULT_HOST}:{@link #DEFAULT_PORT}.
         * @return this builder.
         */
        public Builder nodes(List<RedisNode> nodes) {
            this.nodes = List.copyOf(Objects.requireNonNull(nodes, "nodes must not be null"));
            return this;
        }

        /**
         * Sets {@link RedisSettings#mode()}.
         *
         * @param mode defaults to {@link #DEFAULT_MODE}.
         * @return this builder.
         */
        public Builder mode(RedisMode mode) {
            this.mode = mode;
            return this;
        }

        /**
         * Sets {@link RedisSettings#sentinelMaster()}; {@link #endpoint(String)} sets it from a {@code redis-sentinel://}
         * endpoint.
         *
         * @param sentinelMaster the primary's name at the Sentinels, {@code null} when not using Sentinel (the default).
         * @return this builder.
         */
        public Builder sentinelMaster(@Nullable String sentinelMaster) {
            this.sentinelMaster = sentinelMaster;
            return this;
        }

        /**
         * Sets {@link RedisSettings#sentinelPassword()}.
         *
         * @param sentinelPassword the Sentinels' password, {@code null} (the default) to use the data nodes' password.
         * @return this builder.
         */
        public Builder sentinelPassword(@Nullable String sentinelPassword) {
            this.sentinelPassword = sentinelPassword;
            return this;
        }

        /** host() and port() describe one node: start from the first of a list set before. */
        private void singleNode() {
            List<RedisNode> list = nodes;
            if (list != null) {
                nodes = null;
                host = list.isEmpty() ? null : list.get(0).host();
                port = list.isEmpty() ? DEFAULT_PORT : list.get(0).port();
            }
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

        RedisMode mode() {
            return mode;
        }

        @Nullable
        String username() {
            return username;
        }

        @Nullable
        String password() {
            return password;
        }

        /**
         * Validates and builds.
         *
         * @return the settings.
         * @throws IllegalArgumentException if a value is invalid.
         */
        public RedisSettings build() {
            List<RedisNode> list = nodes;
            if (list == null) {
                Objects.requireNonNull(host, "host must not be null");
                list = List.of(new RedisNode(host, port));
            }
            return new RedisSettings(
                    list,
                    ssl,
                    database,
                    username,
                    password,
                    mode,
                    sentinelMaster,
                    sentinelPassword,
                    connectTimeout,
                    commandTimeout,
                    pingTimeout,
                    clientName,
                    poolMaxTotal,
                    tlsCaCertificate,
                    reconnectMaxDelay,
                    verifyInterval,
                    dnsMaxTtl,
                    expectedRole);
        }
    }
}
