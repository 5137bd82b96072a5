package dev.redisintegration.testing.redis;

import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis Sentinel setup for tests: one primary, one replica and three Sentinels ({@code redis-server <conf>
 * --sentinel}, quorum 2), each a process on a free port of 127.0.0.1 with its own temporary directory. Always the
 * binary, also where Docker exists. Short timings for tests: {@code down-after-milliseconds} 1000,
 * {@code failover-timeout} 3000.
 *
 * <p>{@link #start()} returns once every Sentinel knows the primary, the replica (with its link up) and the two other
 * Sentinels (about 2 s).
 *
 * <pre>{@code
 * try (RedisSentinelGroup group = RedisSentinelGroup.start()) {
 *   String endpoint = group.sentinelEndpoint();  // redis-sentinel://127.0.0.1:s1,127.0.0.1:s2,127.0.0.1:s3#mymaster
 *   RedisServer before = group.primary();
 *   RedisServer after = group.failover();        // SENTINEL FAILOVER; returns once the roles have switched
 *   before.stop();                               // data nodes and Sentinels are RedisServer handles:
 *   group.sentinels().get(0).pause();            // stop(), pause(), resume(), restart(), command(..)
 * }
 * }</pre>
 *
 * <p>The data nodes and Sentinels are {@link RedisServer} handles owned by the group (do not close them): kill one with
 * {@link RedisServer#stop()} (SIGKILL), hang it with {@link RedisServer#pause()} (SIGSTOP). A restarted node starts from
 * its initial configuration: a restarted former primary comes back as a primary and Sentinel turns it into a replica
 * again within about 20 s (its own pace); a restarted Sentinel learns the current primary from the other two.
 * {@link #close()} kills every process by pid and deletes the directories, also after a failed start.
 *
 * <p>Thread-safe. Every wait is bounded; messages never contain a password.
 */
public final class RedisSentinelGroup implements AutoCloseable {

    /** Default name under which the Sentinels monitor the primary. */
    public static final String DEFAULT_MASTER_NAME = "mymaster";
    /** Default {@code sentinel down-after-milliseconds}: how long a silent node takes to be seen as down. */
    public static final Duration DEFAULT_DOWN_AFTER = Duration.ofMillis(1000);
    /** Default {@code sentinel failover-timeout}. */
    public static final Duration DEFAULT_FAILOVER_TIMEOUT = Duration.ofMillis(3000);
    /** Default bound of {@link Builder#build()}. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(30);
    /** How many Sentinels must agree that the primary is down before a failover. */
    public static final int QUORUM = 2;

    private static final Logger LOG = LoggerFactory.getLogger(RedisSentinelGroup.class);
    private static final int SENTINEL_COUNT = 3;
    private static final Pattern MASTER_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private final String masterName;
    private final String password;
    private final String sentinelPassword;
    private final Duration downAfter;
    private final Duration failoverTimeout;
    private final List<RedisServer> dataNodes = new CopyOnWriteArrayList<>();
    private final List<RedisServer> sentinels = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private RedisSentinelGroup(Builder builder) {
        this.masterName = builder.masterName;
        this.password = builder.password;
        this.sentinelPassword = builder.sentinelPassword;
        this.downAfter = builder.downAfter;
        this.failoverTimeout = builder.failoverTimeout;
    }

    /** Starts the default group: master name {@code mymaster}, no passwords. */
    public static RedisSentinelGroup start() {
        return builder().build();
    }

    /** A builder for a group with options. */
    public static Builder builder() {
        return new Builder();
    }

    /** The name the Sentinels monitor the primary under, e.g. {@code mymaster}. */
    public String masterName() {
        return masterName;
    }

    /**
     * The Lettuce URI of the group: {@code redis-sentinel://127.0.0.1:s1,127.0.0.1:s2,127.0.0.1:s3#mymaster}, with
     * {@code :password@} after the scheme when the data nodes have a password (then do not log it). The Sentinels' own
     * password, if any, is not in it (Lettuce takes that per Sentinel URI): see {@link #sentinels()}.
     */
    public String sentinelEndpoint() {
        String credentials = password == null ? "" : ":" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@";
        return sentinelEndpoint(credentials);
    }

    /** {@link #sentinelEndpoint()} with the password shown as {@code ****}: safe to log. */
    public String maskedSentinelEndpoint() {
        return sentinelEndpoint(password == null ? "" : ":****@");
    }

    private String sentinelEndpoint(String credentials) {
        return "redis-sentinel://" + credentials
                + sentinels.stream().map(RedisServer::endpoint).collect(Collectors.joining(",")) + "#" + masterName;
    }

    /** The three Sentinels, in start order; {@link RedisServer#url()} includes the Sentinel password if one is set. */
    public List<RedisServer> sentinels() {
        return List.copyOf(sentinels);
    }

    /** Both data nodes, in start order (the initial primary first). */
    public List<RedisServer> dataNodes() {
        return List.copyOf(dataNodes);
    }

    /**
     * The data node the Sentinels name as primary now ({@code SENTINEL GET-MASTER-ADDR-BY-NAME} on the first running
     * Sentinel that answers).
     *
     * @throws IllegalStateException when no Sentinel answers
     */
    public RedisServer primary() {
        RuntimeException last = null;
        for (RedisServer sentinel : liveSentinels()) {
            try {
                return dataNode(announcedPrimaryPort(sentinel));
            } catch (UncheckedIOException | IllegalStateException e) {
                last = e;
            }
        }
        throw new IllegalStateException("No Sentinel of the group answers: " + describe(), last);
    }

    /** The data node that is not {@link #primary()}. */
    public RedisServer replica() {
        RedisServer primary = primary();
        return dataNodes.stream().filter(node -> node != primary).findFirst().orElseThrow();
    }

    /**
     * A manual failover: {@code SENTINEL FAILOVER}, then waits until every running Sentinel names the replica as the new
     * primary and it answers {@code ROLE} as one, and then until the former primary (if running) is a connected replica
     * of it. Sentinel itself would demote a former primary only when it next looks at it (its INFO period plus four hello
     * periods, about 10-20 s); the fixture does at once what Sentinel will do ({@code REPLICAOF} the new primary and
     * {@code CLIENT KILL TYPE normal}), so that tests need not wait.
     *
     * @return the new primary
     * @throws IllegalStateException when a step does not complete within three failover timeouts plus 10 s
     */
    public RedisServer failover() {
        RedisServer former = primary();
        long started = System.nanoTime();
        requestFailover();
        RedisServer next = awaitNewPrimary(former, failoverBound());
        if (former.isRunning() && !former.isPaused()) {
            if (role(former).get(0).equals("master")) {
                former.command("REPLICAOF", next.host(), Integer.toString(next.port()));
                former.command("CLIENT", "KILL", "TYPE", "normal");
            }
            awaitReplicaOf(former, next, failoverBound());
        }
        LOG.info(
                "Failover of {} from {} to {} in {} ms",
                masterName,
                former.endpoint(),
                next.endpoint(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return next;
    }

    /**
     * {@code SENTINEL FAILOVER} on the first running Sentinel. {@code NOGOODSLAVE} (the Sentinel has not yet seen the
     * replica as healthy, e.g. just after a previous failover) is retried; {@code INPROG} means a failover is already
     * under way, whose outcome the caller awaits.
     */
    private void requestFailover() {
        long deadline = System.nanoTime() + failoverBound().toNanos();
        while (true) {
            RedisServer sentinel = liveSentinels().stream()
                    .findFirst()
                    .orElseThrow(() ->
                            new IllegalStateException("No running Sentinel to ask for a failover: " + describe()));
            try {
                sentinel.command("SENTINEL", "FAILOVER", masterName);
                return;
            } catch (IllegalStateException e) {
                if (e.getMessage().contains("INPROG")) {
                    return;
                }
                if (!e.getMessage().contains("NOGOODSLAVE") || System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
            RedisServer.sleep(TopologySupport.INTERVAL);
        }
    }

    /**
     * Waits until every running Sentinel names a primary other than {@code formerPrimary}, the same one, and that node
     * answers {@code ROLE} as a primary: after {@link RedisServer#stop()} or {@link RedisServer#pause()} of the primary,
     * Sentinel has failed over (about 2-3 s with the defaults).
     *
     * @return the new primary
     * @throws IllegalStateException when that does not happen within {@code timeout}
     */
    public RedisServer awaitNewPrimary(RedisServer formerPrimary, Duration timeout) {
        TopologySupport.positive(timeout, "timeout");
        return TopologySupport.until(
                timeout,
                "every running Sentinel names a primary other than " + formerPrimary.endpoint(),
                () -> {
                    Integer agreed = null;
                    for (RedisServer sentinel : liveSentinels()) {
                        int port = announcedPrimaryPort(sentinel);
                        if (port == formerPrimary.port() || (agreed != null && agreed != port)) {
                            return Optional.empty();
                        }
                        agreed = port;
                    }
                    if (agreed == null) {
                        return Optional.empty();
                    }
                    RedisServer next = dataNode(agreed);
                    return role(next).get(0).equals("master") ? Optional.of(next) : Optional.empty();
                },
                this::describe);
    }

    /**
     * Waits until {@code replica} answers {@code ROLE} as a replica of {@code primary} with its link up.
     *
     * @throws IllegalStateException when that does not happen within {@code timeout}
     */
    public void awaitReplicaOf(RedisServer replica, RedisServer primary, Duration timeout) {
        TopologySupport.positive(timeout, "timeout");
        TopologySupport.until(
                timeout,
                replica.endpoint() + " is a connected replica of " + primary.endpoint(),
                () -> {
                    List<String> role = role(replica);
                    boolean linked = role.size() >= 4
                            && role.get(0).equals("slave")
                            && role.get(2).equals(Integer.toString(primary.port()))
                            && role.get(3).equals("connected");
                    return linked ? Optional.of(Boolean.TRUE) : Optional.empty();
                },
                () -> replica.endpoint() + " ROLE " + safeRole(replica));
    }

    /** Kills every process by its pid (resuming paused ones first) and deletes their directories. Idempotent. */
    @Override
    public void close() {
        closed = true;
        // Sentinels first: they must not react to the data nodes going away.
        TopologySupport.closeAll(
                Stream.concat(sentinels.stream(), dataNodes.stream()).toList());
    }

    /** The masked endpoint. */
    @Override
    public String toString() {
        return "RedisSentinelGroup[" + maskedSentinelEndpoint() + "]";
    }

    // ---- start ----

    private void launch(Duration startupTimeout) {
        long started = System.nanoTime();
        long deadline = started + startupTimeout.toNanos();
        // Both data nodes may be primary or replica over time: both need masterauth.
        List<List<String>> dataDirectives = password == null ? List.of() : List.of(List.of("masterauth", password));
        RedisServer primary = RedisServer.startProcess(
                new RedisBackend.Spec(password, false, null, List.of(), startupTimeout),
                dataDirectives,
                BinaryRedis::freePort);
        dataNodes.add(primary);
        RedisServer replica = RedisServer.startProcess(
                new RedisBackend.Spec(password, false, primary, List.of(), startupTimeout),
                List.of(),
                BinaryRedis::freePort);
        dataNodes.add(replica);
        awaitReplicaOf(replica, primary, TopologySupport.remaining(deadline));

        List<List<String>> sentinelDirectives = new ArrayList<>(List.of(
                List.of(
                        "sentinel",
                        "monitor",
                        masterName,
                        primary.host(),
                        Integer.toString(primary.port()),
                        Integer.toString(QUORUM)),
                List.of("sentinel", "down-after-milliseconds", masterName, Long.toString(downAfter.toMillis())),
                List.of("sentinel", "failover-timeout", masterName, Long.toString(failoverTimeout.toMillis()))));
        if (password != null) {
            sentinelDirectives.add(List.of("sentinel", "auth-pass", masterName, password));
        }
        // requirepass (from the spec) also authenticates each Sentinel to the others.
        RedisBackend.Spec sentinelSpec =
                new RedisBackend.Spec(sentinelPassword, false, null, List.of("--sentinel"), startupTimeout);
        for (int i = 0; i < SENTINEL_COUNT; i++) {
            sentinels.add(RedisServer.startProcess(sentinelSpec, sentinelDirectives, BinaryRedis::freePort));
        }
        TopologySupport.until(
                TopologySupport.remaining(deadline),
                "every Sentinel knows the primary, the linked replica and the other Sentinels",
                () -> sentinelsReady(primary, replica) ? Optional.of(Boolean.TRUE) : Optional.empty(),
                this::describe);
        dataNodes.forEach(RedisServer::resetStats);
        LOG.info(
                "Started a Sentinel group {} in {} ms",
                maskedSentinelEndpoint(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private boolean sentinelsReady(RedisServer primary, RedisServer replica) {
        for (RedisServer sentinel : sentinels) {
            Map<String, String> master = pairs(sentinelCall(sentinel, "SENTINEL", "MASTER", masterName));
            if (!"master".equals(master.get("flags"))
                    || !Integer.toString(primary.port()).equals(master.get("port"))
                    || !"1".equals(master.get("num-slaves"))
                    || !Integer.toString(SENTINEL_COUNT - 1).equals(master.get("num-other-sentinels"))) {
                return false;
            }
            boolean replicaKnown = false;
            for (Object entry : (List<?>) sentinelCall(sentinel, "SENTINEL", "REPLICAS", masterName)) {
                Map<String, String> known = pairs(entry);
                replicaKnown |= Integer.toString(replica.port()).equals(known.get("port"))
                        && "slave".equals(known.get("flags"))
                        && "ok".equals(known.get("master-link-status"));
            }
            if (!replicaKnown) {
                return false;
            }
        }
        return true;
    }

    // ---- helpers ----

    private Duration failoverBound() {
        return failoverTimeout.multipliedBy(3).plusSeconds(10);
    }

    private List<RedisServer> liveSentinels() {
        if (closed) {
            throw new IllegalStateException("This RedisSentinelGroup is closed");
        }
        return sentinels.stream().filter(s -> s.isRunning() && !s.isPaused()).toList();
    }

    private int announcedPrimaryPort(RedisServer sentinel) {
        String[] address = sentinel.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName)
                .split("\n");
        if (address.length != 2) {
            throw new IllegalStateException(
                    "Sentinel " + sentinel.endpoint() + " knows no primary named " + masterName);
        }
        return Integer.parseInt(address[1]);
    }

    private RedisServer dataNode(int port) {
        return dataNodes.stream()
                .filter(node -> node.port() == port)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("The Sentinels name 127.0.0.1:" + port
                        + " as primary, which is not a data node of this group"));
    }

    /** {@code ROLE} as lines, e.g. {@code [slave, 127.0.0.1, 41234, connected, 1234]}. */
    private static List<String> role(RedisServer server) {
        return List.of(server.command("ROLE").split("\n"));
    }

    private static String safeRole(RedisServer server) {
        try {
            return String.join(" ", role(server));
        } catch (RuntimeException e) {
            return "(no answer: " + e.getMessage() + ")";
        }
    }

    /** A structured reply (nested arrays) from a Sentinel, which {@link RedisServer#command} would flatten. */
    private Object sentinelCall(RedisServer sentinel, String... args) {
        try (RespClient client = RespClient.connect(
                sentinel.host(), sentinel.port(), null, sentinelPassword, RedisServer.COMMAND_TIMEOUT)) {
            return client.call(args);
        }
    }

    /** A flat {@code [key, value, key, value...]} reply as a map. */
    private static Map<String, String> pairs(Object reply) {
        Map<String, String> map = new HashMap<>();
        if (reply instanceof List<?> list) {
            for (int i = 0; i + 1 < list.size(); i += 2) {
                map.put(String.valueOf(list.get(i)), String.valueOf(list.get(i + 1)));
            }
        }
        return map;
    }

    /** Each process's role and state, for failure messages. */
    private String describe() {
        List<String> parts = new ArrayList<>();
        for (RedisServer node : dataNodes) {
            parts.add("data " + node.port() + " " + state(node, () -> safeRole(node)));
        }
        for (RedisServer sentinel : sentinels) {
            parts.add("sentinel " + sentinel.port() + " "
                    + state(sentinel, () -> {
                        try {
                            return "names primary :" + announcedPrimaryPort(sentinel);
                        } catch (RuntimeException e) {
                            return "(no answer: " + e.getMessage() + ")";
                        }
                    }));
        }
        return String.join(", ", parts);
    }

    private static String state(RedisServer server, Supplier<String> whenRunning) {
        if (!server.isRunning()) {
            return "killed";
        }
        return server.isPaused() ? "paused" : whenRunning.get();
    }

    /** Options for one group. Nothing is started until {@link #build()}. */
    public static final class Builder {
        private String masterName = DEFAULT_MASTER_NAME;
        private String password;
        private String sentinelPassword;
        private Duration downAfter = DEFAULT_DOWN_AFTER;
        private Duration failoverTimeout = DEFAULT_FAILOVER_TIMEOUT;
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;

        private Builder() {}

        /** The monitored name: letters, digits, {@code .}, {@code -}, {@code _}. Defaults to {@link #DEFAULT_MASTER_NAME}. */
        public Builder masterName(String masterName) {
            if (masterName == null || !MASTER_NAME.matcher(masterName).matches()) {
                throw new IllegalArgumentException(
                        "masterName must be letters, digits, '.', '-' or '_', got '" + masterName + "'");
            }
            this.masterName = masterName;
            return this;
        }

        /**
         * {@code requirepass} and {@code masterauth} on both data nodes, {@code sentinel auth-pass} on the Sentinels;
         * {@code null} for none, the default.
         */
        public Builder password(String password) {
            this.password = TopologySupport.password(password, "password");
            return this;
        }

        /** {@code requirepass} on the Sentinels themselves; {@code null} for none, the default. */
        public Builder sentinelPassword(String password) {
            this.sentinelPassword = TopologySupport.password(password, "sentinelPassword");
            return this;
        }

        /** {@code sentinel down-after-milliseconds}. Defaults to {@link #DEFAULT_DOWN_AFTER}. */
        public Builder downAfter(Duration downAfter) {
            this.downAfter = TopologySupport.positive(downAfter, "downAfter");
            return this;
        }

        /** {@code sentinel failover-timeout}. Defaults to {@link #DEFAULT_FAILOVER_TIMEOUT}. */
        public Builder failoverTimeout(Duration failoverTimeout) {
            this.failoverTimeout = TopologySupport.positive(failoverTimeout, "failoverTimeout");
            return this;
        }

        /** Bound of the whole start. Defaults to {@link #DEFAULT_STARTUP_TIMEOUT}. */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = TopologySupport.positive(timeout, "startupTimeout");
            return this;
        }

        /**
         * Starts the data nodes and the Sentinels and waits until the Sentinels know all of them (see
         * {@link RedisSentinelGroup}).
         *
         * @throws IllegalStateException when {@code redis-server} is missing or the group is not ready within the startup
         *     timeout; every process started so far is killed first
         */
        public RedisSentinelGroup build() {
            RedisSentinelGroup group = new RedisSentinelGroup(this);
            return TopologySupport.startOrClose(group, () -> group.launch(startupTimeout));
        }
    }
}
