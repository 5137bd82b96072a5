package dev.redisintegration.redis;

import java.util.Objects;

/**
 * One host and port of an endpoint: the server, a cluster seed, or a Sentinel.
 *
 * @param host the host name or IP address (IPv6 without brackets), never blank.
 * @param port the TCP port, 1-65535.
 * @since 0.3
 */
public record RedisNode(String host, int port) {

    /**
     * Validates the components.
     *
     * @param host see {@link #host()}.
     * @param port see {@link #port()}.
     * @throws NullPointerException if {@code host} is {@code null}.
     * @throws IllegalArgumentException if {@code host} is blank or {@code port} is out of range.
     */
    public RedisNode {
        Objects.requireNonNull(host, "host must not be null");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is out of range 1-65535");
        }
    }

    /** {@code host:port}, with an IPv6 address in brackets ({@code [::1]:6379}). */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
