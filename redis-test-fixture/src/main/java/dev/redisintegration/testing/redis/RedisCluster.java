package dev.redisintegration.testing.redis;

import dev.redisintegration.testing.redis.ClusterNode.SlotRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis Cluster for tests: {@code redis-server} processes on free ports of 127.0.0.1 with
 * {@code cluster-enabled yes}, joined by {@code redis-cli --cluster create}. By default 3 primaries with one replica
 * each, {@code cluster-node-timeout} 1000 ms, no persistence; every node's {@code nodes.conf} and log live in its own
 * temporary directory. Always the binary, also where Docker exists (the nodes must reach each other at the addresses
 * they announce).
 *
 * <p>{@link #start()} returns once every node reports {@code cluster_state:ok} with all 16384 slots served, every node
 * sees the same owner of every slot and primary of every replica, and every replica's link to its primary is up (a
 * few seconds).
 *
 * <pre>{@code
 * try (RedisCluster cluster = RedisCluster.start()) {
 *   String seeds = cluster.seeds();                          // "127.0.0.1:p1,127.0.0.1:p2,..." for REDIS_PRIMARY_ENDPOINT
 *   ClusterNode owner = cluster.primaryForKey("greeting");
 *   cluster.command(owner, "SET", "greeting", "hello");     // no redirections: ask the owner
 *   cluster.kill(owner);                                    // SIGKILL
 *   ClusterNode promoted = cluster.awaitPromotion(owner, Duration.ofSeconds(15));
 *   cluster.awaitClusterOk(Duration.ofSeconds(15));
 * }
 * }</pre>
 *
 * <p>Faults: {@link #kill} (SIGKILL), {@link #pause} / {@link #resume} (SIGSTOP / SIGCONT), {@link #restart} (same
 * port, same node id, empty data), {@link #uncoverSlots} / {@link #coverSlots} for {@code cluster_state:fail}.
 * {@link #close()} kills every process by its pid, also after a failed start, and deletes the directories; a JVM
 * shutdown hook and a watchdog per process do the same if the test JVM dies.
 *
 * <p>Thread-safe. Every wait is bounded; every network call of the fixture is bounded by
 * {@link RedisServer#COMMAND_TIMEOUT}. Messages never contain the password.
 */
public final class RedisCluster implements AutoCloseable {

    /** Default {@code cluster-node-timeout}: short, so that failover in a test takes about 2 s. */
    public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofMillis(1000);
    /** Default bound of {@link Builder#build()}: the whole start, typically 2-4 s. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(30);
    /** Default number of primaries; Redis Cluster needs at least 3. */
    public static final int DEFAULT_PRIMARIES = 3;
    /** Default number of replicas per primary. */
    public static final int DEFAULT_REPLICAS_PER_PRIMARY = 1;
    /** The cluster bus of a node listens on its client port plus this. */
    public static final int BUS_PORT_OFFSET = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(RedisCluster.class);
    private static final String HOST = "127.0.0.1";
    private static final int DEVELOPER_REDIS_PORT = 6379;
    private static final Duration REDIS_CLI_EXIT_WAIT = Duration.ofSeconds(5);

    private final List<RedisServer> servers = new CopyOnWriteArrayList<>();
    private final String password;
    private final Duration nodeTimeout;
    private volatile boolean closed;

    private RedisCluster(String password, Duration nodeTimeout) {
        this.password = password;
        this.nodeTimeout = nodeTimeout;
    }

    /** Starts the default cluster: 3 primaries, 1 replica each, node timeout 1000 ms, no password. */
    public static RedisCluster start() {
        return builder().build();
    }

    /** A builder for a cluster with options. */
    public static Builder builder() {
        return new Builder();
    }

    /** Every node as {@code 127.0.0.1:port}, comma-separated, in start order: the seed list for a cluster client. */
    public String seeds() {
        return servers.stream().map(RedisServer::endpoint).collect(Collectors.joining(","));
    }

    /**
     * {@code redis://127.0.0.1:port} of the first node, with {@code :password@} when a password is set (then do not log
     * it): a single seed in URL form.
     */
    public String url() {
        String credentials = password == null ? "" : ":" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@";
        return "redis://" + credentials + servers.get(0).endpoint();
    }

    /** The {@code cluster-node-timeout} every node runs with. */
    public Duration nodeTimeout() {
        return nodeTimeout;
    }

    /**
     * Every node, in start order, as the first running node that answers sees them now ({@code CLUSTER NODES}).
     *
     * @throws IllegalStateException when no node answers (all killed or paused)
     */
    public List<ClusterNode> nodes() {
        RuntimeException last = null;
        for (RedisServer server : liveServers()) {
            try {
                return view(server);
            } catch (UncheckedIOException | IllegalStateException e) {
                last = e;
            }
        }
        throw new IllegalStateException("No node of the cluster answers CLUSTER NODES: " + describe(), last);
    }

    /** The primaries among {@link #nodes()}, including ones seen as failing. */
    public List<ClusterNode> primaries() {
        return nodes().stream().filter(ClusterNode::isPrimary).toList();
    }

    /** The replicas of {@code primary} among {@link #nodes()}. */
    public List<ClusterNode> replicasOf(ClusterNode primary) {
        return nodes().stream().filter(n -> primary.id().equals(n.primaryId())).toList();
    }

    /**
     * The primary that serves {@code slot} and is not seen as failing, per {@link #nodes()}.
     *
     * @throws IllegalStateException when no such primary exists now (a failover in progress, uncovered slots)
     */
    public ClusterNode primaryForSlot(int slot) {
        if (slot < 0 || slot >= ClusterNode.SLOT_COUNT) {
            throw new IllegalArgumentException("A slot is 0.." + (ClusterNode.SLOT_COUNT - 1) + ", got " + slot);
        }
        List<ClusterNode> nodes = nodes();
        return nodes.stream()
                .filter(n -> n.isPrimary() && !n.isFailing() && n.servesSlot(slot))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No healthy primary serves slot " + slot + " now ("
                        + nodes.size() + " nodes known): wait with awaitPromotion or awaitClusterOk first"));
    }

    /** The primary of {@link #slotOf(String) key's slot}, see {@link #primaryForSlot(int)}. */
    public ClusterNode primaryForKey(String key) {
        return primaryForSlot(slotOf(key));
    }

    /**
     * One key for each hash slot, at the slot's index ({@code slotOf(keyPerSlot().get(n)) == n}): a write to each proves
     * every slot is served. The keys are {@code slot-key-<i>} for the smallest {@code i} that lands in each slot.
     */
    public static List<String> keyPerSlot() {
        return KEY_PER_SLOT;
    }

    private static final List<String> KEY_PER_SLOT = findKeyPerSlot();

    private static List<String> findKeyPerSlot() {
        String[] keys = new String[ClusterNode.SLOT_COUNT];
        int found = 0;
        for (int i = 0; found < keys.length; i++) {
            String key = "slot-key-" + i;
            int slot = slotOf(key);
            if (keys[slot] == null) {
                keys[slot] = key;
                found++;
            }
        }
        return List.of(keys);
    }

    /**
     * The hash slot of {@code key} as Redis Cluster computes it: CRC16 (XMODEM) of the key's UTF-8 bytes, or of the
     * part between the first <code>{</code> and the next <code>}</code> when that part is not empty (a hash tag), modulo
     * 16384.
     */
    public static int slotOf(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int start = 0;
        int end = bytes.length;
        for (int open = 0; open < bytes.length; open++) {
            if (bytes[open] == '{') {
                for (int close = open + 1; close < bytes.length; close++) {
                    if (bytes[close] == '}') {
                        if (close > open + 1) {
                            start = open + 1;
                            end = close;
                        }
                        break;
                    }
                }
                break;
            }
        }
        int crc = 0;
        for (int i = start; i < end; i++) {
            crc ^= (bytes[i] & 0xff) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }
        return (crc & 0xffff) % ClusterNode.SLOT_COUNT;
    }

    /**
     * The process behind {@code node} (found by port), e.g. for {@link RedisServer#commandCount} or
     * {@link RedisServer#isRunning()}. It belongs to the cluster: do not close it.
     *
     * @throws IllegalArgumentException when no node of this cluster has that port
     */
    public RedisServer server(ClusterNode node) {
        return server(node.port());
    }

    /** The process listening on {@code port}, see {@link #server(ClusterNode)}. */
    public RedisServer server(int port) {
        return servers.stream()
                .filter(s -> s.port() == port)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "No node of this cluster listens on port " + port + " (ports: " + seeds() + ")"));
    }

    /**
     * One command on {@code node}, see {@link RedisServer#command}. No redirection is followed: a key of another node
     * gives an {@link IllegalStateException} with {@code MOVED}.
     */
    public String command(ClusterNode node, String... args) {
        return server(node).command(args);
    }

    /** SIGKILL: the node's port and bus refuse connections; after the node timeout the others mark it {@code fail}. */
    public void kill(ClusterNode node) {
        server(node).stop();
    }

    /** SIGSTOP: connections are accepted but nothing answers, neither clients nor the cluster bus. */
    public void pause(ClusterNode node) {
        server(node).pause();
    }

    /** SIGCONT: undoes {@link #pause}. */
    public void resume(ClusterNode node) {
        server(node).resume();
    }

    /**
     * Starts the node again on the same port with the same {@code nodes.conf} (same node id) and waits for PONG. Its
     * data is gone (no persistence). A former primary whose slots moved meanwhile rejoins as a replica of the new owner.
     * Does not wait for the cluster: call {@link #awaitClusterOk} when the test needs it.
     */
    public void restart(ClusterNode node) {
        server(node).restart();
    }

    /**
     * Waits until every running, unpaused node reports {@code cluster_state:ok} and {@code cluster_slots_ok:16384} and
     * all of them see the same primary for every slot and the same primary for every replica.
     *
     * @throws IllegalStateException when that does not happen within {@code timeout}, with each node's state
     */
    public void awaitClusterOk(Duration timeout) {
        TopologySupport.positive(timeout, "timeout");
        TopologySupport.until(
                timeout,
                "cluster_state:ok, 16384 slots served and one view of slots and replicas on every" + " running node",
                () -> clusterOk() ? Optional.of(Boolean.TRUE) : Optional.empty(),
                this::describe);
    }

    /**
     * Waits until another node serves the slots {@code formerPrimary} served, in the view of every running node, and
     * answers {@code ROLE} as a primary: after {@link #kill} or {@link #pause} of a primary, its replica has taken over.
     *
     * @param formerPrimary a primary with slots, as {@link #nodes()} or {@link #primaryForKey} returned it before
     * @return the new primary of those slots
     * @throws IllegalStateException when no promotion is seen within {@code timeout}
     */
    public ClusterNode awaitPromotion(ClusterNode formerPrimary, Duration timeout) {
        TopologySupport.positive(timeout, "timeout");
        if (!formerPrimary.isPrimary() || formerPrimary.slots().isEmpty()) {
            throw new IllegalArgumentException(
                    "awaitPromotion needs a primary that served slots, got " + formerPrimary);
        }
        int slot = formerPrimary.slots().get(0).first();
        return TopologySupport.until(
                timeout,
                "a node other than " + formerPrimary.endpoint() + " serves slot " + slot
                        + " in the view of every running node",
                () -> promotedOwner(formerPrimary, slot),
                this::describe);
    }

    /**
     * Makes slots {@code first..last} unassigned on every running node ({@code CLUSTER DELSLOTSRANGE}, owners first so
     * that none hands them back by gossip), then waits until every running node reports {@code cluster_state:fail}.
     * Keys of those slots are then refused with {@code CLUSTERDOWN}. Undo with {@link #coverSlots}. Call it with every
     * node running: a paused or killed owner would claim the slots again when it comes back.
     *
     * @throws IllegalStateException when the slots stay assigned or a node stays {@code ok} for longer than a few node
     *     timeouts
     */
    public void uncoverSlots(int first, int last) {
        SlotRange range = new SlotRange(first, last);
        Duration bound = nodeTimeout.multipliedBy(5).plusSeconds(5);
        TopologySupport.until(
                bound,
                "slots " + range + " unassigned on every running node",
                () -> deleteAssigned(range),
                this::describe);
        TopologySupport.until(
                bound,
                "cluster_state:fail on every running node",
                () -> {
                    for (RedisServer server : liveServers()) {
                        if (!"fail".equals(clusterInfo(server).get("cluster_state"))) {
                            return Optional.empty();
                        }
                    }
                    return Optional.of(Boolean.TRUE);
                },
                this::describe);
        LOG.info("Uncovered slots {} of the Redis Cluster {}", range, seeds());
    }

    /**
     * Assigns slots {@code first..last}, unassigned after {@link #uncoverSlots}, to {@code primary}
     * ({@code CLUSTER ADDSLOTSRANGE}); the other nodes learn it by gossip. Does not wait: call {@link #awaitClusterOk}.
     *
     * @throws IllegalStateException when a slot is still assigned in {@code primary}'s view (the error reply)
     */
    public void coverSlots(int first, int last, ClusterNode primary) {
        SlotRange range = new SlotRange(first, last);
        command(primary, "CLUSTER", "ADDSLOTSRANGE", Integer.toString(range.first()), Integer.toString(range.last()));
        LOG.info("Assigned slots {} to {}", range, primary.endpoint());
    }

    /** Kills every node by its pid (resuming paused ones first) and deletes their directories. Idempotent. */
    @Override
    public void close() {
        closed = true;
        TopologySupport.closeAll(servers);
    }

    /** The seeds and whether a password is set (never the password). */
    @Override
    public String toString() {
        return "RedisCluster[" + seeds() + (password == null ? "" : ", password ****") + "]";
    }

    // ---- start ----

    private void launch(int primaries, int replicasPerPrimary, Duration startupTimeout) {
        long started = System.nanoTime();
        long deadline = started + startupTimeout.toNanos();
        List<List<String>> directives = new ArrayList<>(List.of(
                List.of("cluster-enabled", "yes"),
                List.of("cluster-config-file", "nodes.conf"),
                List.of("cluster-node-timeout", Long.toString(nodeTimeout.toMillis())),
                // A replica may take over however long ago it last heard from its primary: tests kill primaries at
                // will.
                List.of("cluster-replica-validity-factor", "0")));
        if (password != null) {
            // Any node may become a replica after a failover.
            directives.add(List.of("masterauth", password));
        }
        RedisBackend.Spec spec = new RedisBackend.Spec(password, false, null, List.of(), startupTimeout);
        for (int i = 0; i < primaries * (1 + replicasPerPrimary); i++) {
            servers.add(RedisServer.startProcess(spec, directives, RedisCluster::freeClusterPort));
        }
        createWithRedisCli(replicasPerPrimary, TopologySupport.remaining(deadline));
        TopologySupport.until(
                TopologySupport.remaining(deadline),
                "cluster_state:ok on every node, one view of slots and replicas, every replica linked",
                () -> clusterOk() && createdAsAsked(primaries, replicasPerPrimary)
                        ? Optional.of(Boolean.TRUE)
                        : Optional.empty(),
                this::describe);
        servers.forEach(RedisServer::resetStats);
        LOG.info(
                "Started a Redis Cluster of {} primaries with {} replica(s) each on {} in {} ms",
                primaries,
                replicasPerPrimary,
                seeds(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private void createWithRedisCli(int replicasPerPrimary, Duration timeout) {
        Path cli = redisCli();
        List<String> command = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
        servers.forEach(s -> command.add(s.endpoint()));
        command.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerPrimary), "--cluster-yes"));
        Path output = null;
        try {
            output = Files.createTempFile("redis-cluster-create-", ".out");
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            if (password != null) {
                // The environment, not -a: keeps the password out of `ps` and out of redis-cli's warning.
                builder.environment().put("REDISCLI_AUTH", password);
            }
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(REDIS_CLI_EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                throw new IllegalStateException("redis-cli --cluster create did not finish within " + timeout.toMillis()
                        + " ms; its output:\n" + plain(RedisServer.tail(output, 30)));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed (exit code " + process.exitValue()
                        + "); its output:\n" + plain(RedisServer.tail(output, 30)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + cli + " --cluster create", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the cluster", e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    LOG.debug("Could not delete {}: {}", output, e.getMessage());
                }
            }
        }
    }

    /** {@code redis-cli} next to the {@code redis-server} in use, else the first on PATH. */
    private static Path redisCli() {
        Optional<Path> sibling = BinaryRedis.findBinary()
                .map(server -> server.resolveSibling("redis-cli"))
                .filter(Files::isExecutable);
        return sibling.or(() -> BinaryRedis.onPath("redis-cli"))
                .orElseThrow(() -> new IllegalStateException(
                        "RedisCluster needs `redis-cli` (for --cluster create) next to redis-server or on PATH: install Redis 7"
                                + " (`apt-get install redis-tools`, `brew install redis`)"));
    }

    /** ANSI colours out of redis-cli's output, for a readable message. */
    private static String plain(String text) {
        return text.replaceAll("\u001B\\[[0-9;]*m", "");
    }

    /**
     * A free port whose cluster bus port (port + 10000) is free as well; Redis refuses a cluster port above 55535. A
     * race with another process is caught by the bind-failure retry of the start.
     */
    static int freeClusterPort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = BinaryRedis.freePort();
            int bus = port + BUS_PORT_OFFSET;
            if (bus <= 65_535 && port != DEVELOPER_REDIS_PORT && isFree(bus)) {
                return port;
            }
        }
        throw new IllegalStateException(
                "Found no free port p on " + HOST + " with p + " + BUS_PORT_OFFSET + " free as well and at most 65535");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ---- views and conditions ----

    private List<RedisServer> liveServers() {
        if (closed) {
            throw new IllegalStateException("This RedisCluster is closed");
        }
        return servers.stream().filter(s -> s.isRunning() && !s.isPaused()).toList();
    }

    /** {@code server}'s view, ordered like {@link #servers}. */
    private List<ClusterNode> view(RedisServer server) {
        List<ClusterNode> nodes = new ArrayList<>();
        for (String line : server.command("CLUSTER", "NODES").split("\n")) {
            if (!line.isBlank()) {
                nodes.add(ClusterNode.parse(line));
            }
        }
        List<Integer> order = servers.stream().map(RedisServer::port).toList();
        nodes.sort(Comparator.comparingInt(n -> order.contains(n.port()) ? order.indexOf(n.port()) : order.size()));
        return nodes;
    }

    private static Map<String, String> clusterInfo(RedisServer server) {
        Map<String, String> info = new HashMap<>();
        for (String line : server.command("CLUSTER", "INFO").split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                info.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return info;
    }

    /**
     * Which node serves which slots and which replica follows which primary, e.g. {@code ab12.. primary [0-5460];cd34..
     * replica of ab12..}: comparable across views. Slot ownership alone is not enough: right after the create, or after
     * a failover, a node may already agree on the slots but still list a replica as a primary without slots.
     */
    private static String topologyMap(List<ClusterNode> view) {
        return view.stream()
                .filter(n -> !n.flags().contains("handshake") && !n.flags().contains("noaddr"))
                .map(n -> n.id() + (n.isPrimary() ? " primary " + n.slots() : " replica of " + n.primaryId()))
                .sorted()
                .collect(Collectors.joining(";"));
    }

    private boolean clusterOk() {
        List<RedisServer> live = liveServers();
        String reference = null;
        for (RedisServer server : live) {
            Map<String, String> info = clusterInfo(server);
            if (!"ok".equals(info.get("cluster_state"))
                    || !Integer.toString(ClusterNode.SLOT_COUNT).equals(info.get("cluster_slots_ok"))) {
                return false;
            }
            String map = topologyMap(view(server));
            if (reference != null && !reference.equals(map)) {
                return false;
            }
            reference = map;
        }
        return !live.isEmpty();
    }

    /** The shape asked for at start, in the first node's view, with every replica's link up. */
    private boolean createdAsAsked(int primaries, int replicasPerPrimary) {
        List<ClusterNode> nodes = nodes();
        long serving = nodes.stream()
                .filter(n -> n.isPrimary() && !n.slots().isEmpty())
                .count();
        long following = nodes.stream().filter(n -> !n.isPrimary()).count();
        if (serving != primaries || following != (long) primaries * replicasPerPrimary) {
            return false;
        }
        for (ClusterNode node : nodes) {
            if (!node.isPrimary()) {
                List<String> role = List.of(command(node, "ROLE").split("\n"));
                if (role.size() < 4 || !"slave".equals(role.get(0)) || !"connected".equals(role.get(3))) {
                    return false;
                }
            }
        }
        return true;
    }

    private Optional<ClusterNode> promotedOwner(ClusterNode former, int slot) {
        ClusterNode agreed = null;
        for (RedisServer server : liveServers()) {
            ClusterNode owner = view(server).stream()
                    .filter(n -> n.isPrimary() && n.servesSlot(slot))
                    .findFirst()
                    .orElse(null);
            if (owner == null
                    || owner.id().equals(former.id())
                    || owner.isFailing()
                    || (agreed != null && !agreed.id().equals(owner.id()))) {
                return Optional.empty();
            }
            agreed = owner;
        }
        if (agreed == null || !command(agreed, "ROLE").startsWith("master\n")) {
            return Optional.empty();
        }
        return Optional.of(agreed);
    }

    /**
     * One pass of DELSLOTSRANGE over the running nodes, owners of the range first; present when a pass found nothing
     * left to delete.
     */
    private Optional<Boolean> deleteAssigned(SlotRange range) {
        boolean clean = true;
        List<RedisServer> live = new ArrayList<>(liveServers());
        // A primary still claiming a slot would hand it back to every node it gossips with: clear the owners first.
        live.sort(Comparator.comparing(server -> !ownsAnyOf(server, range)));
        for (RedisServer server : live) {
            for (ClusterNode node : view(server)) {
                for (SlotRange assigned : node.slots()) {
                    int first = Math.max(assigned.first(), range.first());
                    int last = Math.min(assigned.last(), range.last());
                    if (first <= last) {
                        server.command("CLUSTER", "DELSLOTSRANGE", Integer.toString(first), Integer.toString(last));
                        clean = false;
                    }
                }
            }
        }
        return clean ? Optional.of(Boolean.TRUE) : Optional.empty();
    }

    private boolean ownsAnyOf(RedisServer server, SlotRange range) {
        return view(server).stream()
                .anyMatch(n -> n.port() == server.port()
                        && n.slots().stream().anyMatch(r -> r.first() <= range.last() && r.last() >= range.first()));
    }

    /** Each node's port, process state and cluster_state, for failure messages. */
    private String describe() {
        List<String> parts = new ArrayList<>();
        for (RedisServer server : servers) {
            String state;
            if (!server.isRunning()) {
                state = "killed";
            } else if (server.isPaused()) {
                state = "paused";
            } else {
                try {
                    Map<String, String> info = clusterInfo(server);
                    state = "cluster_state:" + info.get("cluster_state") + " slots_ok:" + info.get("cluster_slots_ok");
                } catch (RuntimeException e) {
                    state = "not answering (" + e.getMessage() + ")";
                }
            }
            parts.add(server.port() + " " + state);
        }
        return String.join(", ", parts);
    }

    /** Options for one cluster. Nothing is started until {@link #build()}. */
    public static final class Builder {
        private int primaries = DEFAULT_PRIMARIES;
        private int replicasPerPrimary = DEFAULT_REPLICAS_PER_PRIMARY;
        private Duration nodeTimeout = DEFAULT_NODE_TIMEOUT;
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
        private String password;

        private Builder() {}

        /** How many primaries share the 16384 slots; at least 3. Defaults to {@link #DEFAULT_PRIMARIES}. */
        public Builder primaries(int primaries) {
            if (primaries < 3) {
                throw new IllegalArgumentException("Redis Cluster needs at least 3 primaries, got " + primaries);
            }
            this.primaries = primaries;
            return this;
        }

        /** Replicas per primary, 0 or more. Defaults to {@link #DEFAULT_REPLICAS_PER_PRIMARY}. */
        public Builder replicasPerPrimary(int replicas) {
            if (replicas < 0) {
                throw new IllegalArgumentException("replicasPerPrimary must not be negative: " + replicas);
            }
            this.replicasPerPrimary = replicas;
            return this;
        }

        /**
         * {@code cluster-node-timeout}: how long a node may not answer before it is suspected; failover follows within
         * about two of these. Defaults to {@link #DEFAULT_NODE_TIMEOUT}.
         */
        public Builder nodeTimeout(Duration timeout) {
            this.nodeTimeout = TopologySupport.positive(timeout, "nodeTimeout");
            return this;
        }

        /** {@code requirepass} and {@code masterauth} on every node; {@code null} for none, the default. */
        public Builder password(String password) {
            this.password = TopologySupport.password(password, "password");
            return this;
        }

        /** Bound of the whole start. Defaults to {@link #DEFAULT_STARTUP_TIMEOUT}. */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = TopologySupport.positive(timeout, "startupTimeout");
            return this;
        }

        /**
         * Starts the nodes, creates the cluster and waits until it is healthy (see {@link RedisCluster}).
         *
         * @throws IllegalStateException when {@code redis-server} or {@code redis-cli} is missing, or the cluster is not
         *     healthy within the startup timeout; every process started so far is killed first
         */
        public RedisCluster build() {
            RedisCluster cluster = new RedisCluster(password, nodeTimeout);
            return TopologySupport.startOrClose(
                    cluster, () -> cluster.launch(primaries, replicasPerPrimary, startupTimeout));
        }
    }
}
