package dev.redisintegration.redis.internal;

import dev.redisintegration.redis.RedisProbe;
import dev.redisintegration.redis.ReplicationRole;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * The probe round of a Redis Cluster: every primary of the client's view of the topology at once, each asked
 * {@code CLUSTER INFO} and {@code CLUSTER NODES} (one pipelined round trip, which also proves it answers), all
 * bounded by one ping timeout. Up when {@code cluster_state:ok}, every slot is served by a primary the cluster does
 * not consider failed, and the primary the client sends each slot to answered. Down names the failing slot ranges:
 * {@code slots 0-5460 (10.0.0.1:7000): timed out after 500 ms}. A lost replica shows in the details only.
 */
final class ClusterProbe implements Prober.Round {

    private final ClusterTopology topology;
    private final ScheduledExecutorService timer;
    private final Duration pingTimeout;
    private final Function<Throwable, String> reasons;

    /** @param reasons describes a failure in short, secret-free words. */
    ClusterProbe(
            ClusterTopology topology,
            ScheduledExecutorService timer,
            Duration pingTimeout,
            Function<Throwable, String> reasons) {
        this.topology = topology;
        this.timer = timer;
        this.pingTimeout = pingTimeout;
        this.reasons = reasons;
    }

    /** What one primary answered, or why not ({@code failure}: the error described once). */
    private record Answer(RedisClusterNode node, String info, String nodes, String failure) {
        boolean answered() {
            return failure == null;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<RedisProbe> run(StatefulConnection<String, String> connection, long startNanos) {
        return round((StatefulRedisClusterConnection<String, String>) connection, startNanos);
    }

    private CompletableFuture<RedisProbe> round(StatefulRedisClusterConnection<String, String> cluster, long start) {
        Partitions view = cluster.getPartitions();
        List<RedisClusterNode> primaries = new ArrayList<>();
        for (RedisClusterNode node : view) {
            if (node.is(NodeFlag.UPSTREAM) && !node.hasNoSlots()) {
                primaries.add(node);
            }
        }
        if (primaries.isEmpty()) {
            topology.requestRefresh();
            return CompletableFuture.completedFuture(down(
                    start,
                    "the client knows no primary with slots yet",
                    details("unknown", 0, 0, "unknown", "unknown")));
        }
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (RedisClusterNode primary : primaries) {
            // The connection commands for its slots use (by host and port, as Lettuce routes them).
            CompletableFuture<Answer> ask = cluster.getConnectionAsync(
                            primary.getUri().getHost(), primary.getUri().getPort())
                    .thenCompose(node -> {
                        RedisAsyncCommands<String, String> commands = node.async();
                        CompletableFuture<String> info = commands.clusterInfo().toCompletableFuture();
                        CompletableFuture<String> nodes =
                                commands.clusterNodes().toCompletableFuture();
                        return info.thenCombine(nodes, (i, n) -> new Answer(primary, i, n, null));
                    });
            answers.add(Deadlines.failAfter(ask, pingTimeout, "", timer)
                    .exceptionally(error -> new Answer(primary, null, null, reasons.apply(Prober.unwrap(error)))));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> judge(
                        view, answers.stream().map(CompletableFuture::join).toList(), start));
    }

    private RedisProbe judge(Partitions clientView, List<Answer> answers, long start) {
        Map<String, Answer> byAddress = new HashMap<>();
        answers.forEach(answer -> byAddress.put(address(answer.node()), answer));
        Map<RedisClusterNode, String> addresses = new IdentityHashMap<>();
        Function<RedisClusterNode, String> addressOf = node -> addresses.computeIfAbsent(node, ClusterProbe::address);
        Answer reference = answers.stream().filter(Answer::answered).findFirst().orElse(null);
        int answered = (int) answers.stream().filter(Answer::answered).count();
        if (reference == null) {
            topology.requestRefresh();
            String failures = describeRanges(slot -> {
                RedisClusterNode routed = clientView.getMasterBySlot(slot);
                Answer answer = routed == null ? null : byAddress.get(addressOf.apply(routed));
                return answer == null
                        ? ": no primary known to the client"
                        : " (" + addressOf.apply(routed) + "): " + answer.failure();
            });
            return down(
                    start,
                    "no cluster primary answered: " + failures,
                    details("unknown", answered, answers.size(), "unknown", "unknown"));
        }
        List<String> failedStates = new ArrayList<>();
        for (Answer answer : answers) {
            if (answer.answered() && !"ok".equals(field(answer.info(), "cluster_state"))) {
                failedStates.add(address(answer.node()));
            }
        }
        Partitions fresh = ClusterPartitionParser.parse(reference.nodes());
        int served = 0;
        boolean stale = false;
        String[] problem = new String[SlotHash.SLOT_COUNT];
        for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
            RedisClusterNode owner = fresh.getMasterBySlot(slot);
            RedisClusterNode routed = clientView.getMasterBySlot(slot);
            String routedAddress = routed == null ? null : addressOf.apply(routed);
            Answer routedAnswer = routedAddress == null ? null : byAddress.get(routedAddress);
            if (owner == null) {
                problem[slot] = ": not served by any node";
            } else if (owner.is(NodeFlag.FAIL) || owner.is(NodeFlag.EVENTUAL_FAIL)) {
                Answer ownerAnswer = byAddress.get(addressOf.apply(owner));
                problem[slot] = " (" + addressOf.apply(owner) + "): "
                        + (ownerAnswer != null && !ownerAnswer.answered()
                                ? ownerAnswer.failure()
                                : "the cluster marks the node failed");
            } else if (routedAnswer != null && !routedAnswer.answered()) {
                problem[slot] = " (" + routedAddress + "): " + routedAnswer.failure();
            } else {
                served++;
            }
            if (owner != null && !addressOf.apply(owner).equals(routedAddress)) {
                stale = true;
            }
        }
        if (stale || served < SlotHash.SLOT_COUNT) {
            topology.requestRefresh();
        }
        String state = failedStates.isEmpty() ? "ok" : "fail";
        Map<String, Object> details = details(
                state, answered, answers.size(), replicas(fresh), served + "/" + SlotHash.SLOT_COUNT + " served");
        String failures = describeRanges(slot -> problem[slot]);
        if (!failedStates.isEmpty() || !failures.isEmpty()) {
            String seenFail = "cluster_state:fail (" + String.join(", ", failedStates) + ")";
            String reason =
                    failedStates.isEmpty() ? failures : failures.isEmpty() ? seenFail : seenFail + "; " + failures;
            return down(start, reason, details);
        }
        return new RedisProbe(true, Prober.since(start), null, ReplicationRole.UNKNOWN, details);
    }

    /**
     * Contiguous slots with the same problem as one range, ranges with the same problem together:
     * {@code slots 0-5460 (10.0.0.1:7000): timed out after 500 ms; slots 10923-16383: not served by any node}.
     */
    static String describeRanges(Function<Integer, String> problemOf) {
        Map<String, List<String>> ranges = new LinkedHashMap<>();
        int first = 0;
        String current = problemOf.apply(0);
        for (int slot = 1; slot <= SlotHash.SLOT_COUNT; slot++) {
            String problem = slot < SlotHash.SLOT_COUNT ? problemOf.apply(slot) : null;
            if (!Objects.equals(problem, current) || slot == SlotHash.SLOT_COUNT) {
                if (current != null) {
                    int last = slot - 1;
                    ranges.computeIfAbsent(current, p -> new ArrayList<>())
                            .add(first == last ? "" + first : first + "-" + last);
                }
                first = slot;
                current = problem;
            }
        }
        List<String> parts = new ArrayList<>();
        ranges.forEach((problem, slots) -> parts.add("slots " + String.join(",", slots) + problem));
        return String.join("; ", parts);
    }

    /** {@code 2/3 connected}: replicas the answering node does not consider failed and has a link to. */
    private static String replicas(Partitions fresh) {
        int total = 0;
        int connected = 0;
        for (RedisClusterNode node : fresh) {
            if (node.is(NodeFlag.REPLICA)) {
                total++;
                if (node.isConnected() && !node.is(NodeFlag.FAIL) && !node.is(NodeFlag.EVENTUAL_FAIL)) {
                    connected++;
                }
            }
        }
        return connected + "/" + total + " connected";
    }

    private static Map<String, Object> details(
            String state, int answered, int primaries, String replicas, String slots) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", "cluster");
        details.put("cluster_state", state);
        details.put("primaries", answered + "/" + primaries + " answered");
        details.put("replicas", replicas);
        details.put("slots", slots);
        return details;
    }

    private static RedisProbe down(long start, String reason, Map<String, Object> details) {
        return new RedisProbe(false, Prober.since(start), reason, ReplicationRole.UNKNOWN, details);
    }

    private static String address(RedisClusterNode node) {
        if (node.getUri() == null) {
            return node.getNodeId();
        }
        String host = node.getUri().getHost();
        return (host.contains(":") ? "[" + host + "]" : host) + ":"
                + node.getUri().getPort();
    }

    private static String field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }
}
