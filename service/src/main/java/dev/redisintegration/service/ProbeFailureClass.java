package dev.redisintegration.service;

import java.util.Locale;

/**
 * Why a Redis probe failed, in a small fixed set: the {@code reason} tag of {@code redis.probe.failures}. A probe's
 * reason is free text with host names and server replies in it (redis-client's {@code RedisProbe.failureReason()});
 * a metric tag must have few values, so the text is reduced to one of these.
 */
enum ProbeFailureClass {
    /** No answer in time: the probe's or the check's deadline, a connect or command timeout, a hung node. */
    TIMEOUT,
    /** The TCP connection was refused: nothing listens on the port (Redis stopped or not started yet). */
    REFUSED,
    /** The server refused the credentials (WRONGPASS, NOAUTH, NOPERM, no password configured). */
    AUTH,
    /** The endpoint leads to a replica (or a replica that lost its primary) while the primary was expected. */
    REPLICA,
    /** The TLS handshake failed (untrusted certificate, a server that does not speak TLS). */
    TLS,
    /** The host name does not resolve. */
    DNS,
    /** The connection is down and being re-established (after a drop, a reset, or a move away from a node). */
    NOT_CONNECTED,
    /** Anything else: LOADING, BUSY, no route to host, an unexpected reply or error. */
    OTHER;

    private static final String LAST_ATTEMPT = ", last attempt: ";
    private static final String LEFT_NODE = "left node ";

    /**
     * The tag value: the constant's name in lower case, e.g. {@code not_connected}.
     *
     * @return the tag value.
     */
    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Classifies a probe's failure reason as redis-client and health-core word it.
     *
     * @param reason the reason, e.g. {@code "connection refused"}; {@code null} or blank is {@link #OTHER}.
     * @return the class.
     */
    static ProbeFailureClass of(String reason) {
        if (reason == null || reason.isBlank()) {
            return OTHER;
        }
        String text = reason.toLowerCase(Locale.ROOT);
        // "not connected (reconnecting in the background), last attempt: connection refused": the probe failed because
        // the connection was down; the last attempt's cause is a detail of that, not the class.
        if (text.startsWith("not connected")) {
            return NOT_CONNECTED;
        }
        // "left node 10.0.0.5:6379 (the node is a replica ...); reconnecting through the endpoint": classify why the
        // node was left, never the address (a host name may contain any word).
        if (text.startsWith(LEFT_NODE)) {
            int open = text.indexOf(" (");
            String why = open < 0 ? "" : text.substring(open + 2);
            return why.contains("replica") ? REPLICA : why.contains("no reply") ? TIMEOUT : NOT_CONNECTED;
        }
        int lastAttempt = text.indexOf(LAST_ATTEMPT);
        if (lastAttempt >= 0) {
            text = text.substring(0, lastAttempt);
        }
        // Reasons that end in a host name come first, so that the name cannot match a later rule.
        if (text.startsWith("unknown host")) {
            return DNS;
        }
        if (text.startsWith("no route to host") || text.startsWith("network unreachable")) {
            return OTHER;
        }
        if (text.startsWith("tls handshake failed")) {
            return TLS;
        }
        if (text.startsWith("authentication failed") || text.startsWith("permission denied")) {
            return AUTH;
        }
        if (text.contains("timed out")) {
            return TIMEOUT;
        }
        if (text.equals("connection refused") || text.equals("connection failed")) {
            return REFUSED;
        }
        if (text.contains("replica")) {
            return REPLICA;
        }
        if (text.startsWith("connection closed")
                || text.startsWith("connection reset")
                || text.startsWith("client closed")) {
            return NOT_CONNECTED;
        }
        return OTHER;
    }
}
