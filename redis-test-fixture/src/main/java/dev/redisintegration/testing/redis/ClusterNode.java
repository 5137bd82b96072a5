package dev.redisintegration.testing.redis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One node of a {@link RedisCluster} as one node saw it at one moment ({@code CLUSTER NODES}): a snapshot, not a live
 * handle. Roles and slots change on failover; ask {@link RedisCluster#nodes()} again for the current view. The
 * fixture's operations ({@link RedisCluster#kill}, {@link RedisCluster#command}, ...) find the process by
 * {@link #port()}, which never changes.
 *
 * @param id the 40-character node id; stays the same across {@link RedisCluster#restart}
 * @param host the announced host, {@code 127.0.0.1}
 * @param port the client port (the cluster bus is {@code port + 10000})
 * @param role primary (serves slots, or is a primary without slots) or replica
 * @param primaryId for a replica the id of its primary, for a primary {@code null}
 * @param slots the slot ranges this primary serves, in order; empty for a replica
 * @param flags the raw flags without {@code myself}, e.g. {@code master}, {@code slave}, {@code fail?} (suspected by
 *     the node asked), {@code fail} (agreed by a majority of primaries)
 */
public record ClusterNode(
        String id, String host, int port, Role role, String primaryId, List<SlotRange> slots, Set<String> flags) {

    /** Number of hash slots of every Redis Cluster. */
    public static final int SLOT_COUNT = 16_384;

    /** What a node does in the cluster. */
    public enum Role {
        /** Serves writes for its slots (Redis calls it {@code master}). */
        PRIMARY,
        /** Copies one primary and takes over its slots when it fails (Redis: {@code slave}). */
        REPLICA
    }

    /** Validates the components and copies the collections. */
    public ClusterNode {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(role, "role");
        slots = List.copyOf(slots);
        flags = Set.copyOf(flags);
    }

    /** {@code host:port}, as in {@link RedisCluster#seeds()}. */
    public String endpoint() {
        return host + ":" + port;
    }

    /** Whether this node is a primary. */
    public boolean isPrimary() {
        return role == Role.PRIMARY;
    }

    /** Whether the node that was asked considers this node failing ({@code fail} or {@code fail?}). */
    public boolean isFailing() {
        return flags.contains("fail") || flags.contains("fail?");
    }

    /** Whether this node serves {@code slot} (only a primary serves slots). */
    public boolean servesSlot(int slot) {
        return slots.stream().anyMatch(range -> range.contains(slot));
    }

    /** Parses one line of {@code CLUSTER NODES}; import/migration markers ({@code [slot->-id]}) are ignored. */
    static ClusterNode parse(String line) {
        String[] fields = line.trim().split(" ");
        if (fields.length < 8) {
            throw new IllegalStateException("Unexpected CLUSTER NODES line: " + line);
        }
        // ip:port@cport[,hostname]
        String address = fields[1];
        int at = address.indexOf('@');
        String hostPort = at < 0 ? address : address.substring(0, at);
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        Set<String> flags = new HashSet<>(List.of(fields[2].split(",")));
        flags.remove("myself");
        Role role = flags.contains("slave") ? Role.REPLICA : Role.PRIMARY;
        String primaryId = "-".equals(fields[3]) ? null : fields[3];
        List<SlotRange> slots = new ArrayList<>();
        for (int i = 8; i < fields.length; i++) {
            String slot = fields[i];
            if (slot.startsWith("[")) {
                continue;
            }
            int dash = slot.indexOf('-');
            slots.add(
                    dash < 0
                            ? new SlotRange(Integer.parseInt(slot), Integer.parseInt(slot))
                            : new SlotRange(
                                    Integer.parseInt(slot.substring(0, dash)),
                                    Integer.parseInt(slot.substring(dash + 1))));
        }
        return new ClusterNode(fields[0], host, port, role, role == Role.REPLICA ? primaryId : null, slots, flags);
    }

    /**
     * An inclusive range of hash slots.
     *
     * @param first the first slot, 0..16383
     * @param last the last slot, {@code first}..16383
     */
    public record SlotRange(int first, int last) {
        /** Rejects slots outside 0..16383 and {@code last < first}. */
        public SlotRange {
            if (first < 0 || last >= SLOT_COUNT || last < first) {
                throw new IllegalArgumentException("A slot range is first..last within 0.." + (SLOT_COUNT - 1)
                        + " with first <= last, got " + first + ".." + last);
            }
        }

        /** Whether {@code slot} is in this range. */
        public boolean contains(int slot) {
            return slot >= first && slot <= last;
        }

        /** How many slots the range holds. */
        public int size() {
            return last - first + 1;
        }

        /** {@code first-last}, as {@code CLUSTER NODES} prints it. */
        @Override
        public String toString() {
            return first + "-" + last;
        }
    }
}
