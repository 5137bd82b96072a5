package dev.redisintegration.redis.internal;

import dev.redisintegration.redis.RedisNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One parsed {@code REDIS_PRIMARY_ENDPOINT} value: one host, several (cluster seeds, or Sentinels with
 * {@link #sentinelMaster()}), TLS, database and credentials. {@link #parse(String)} throws
 * {@link IllegalArgumentException} with only the problem (never the value): the caller adds the variable name, the
 * masked value and the accepted forms.
 */
public record Endpoint(
        List<RedisNode> nodes,
        boolean ssl,
        int database,
        @Nullable String username,
        @Nullable String password,
        @Nullable String sentinelMaster) {

    public static final int DEFAULT_PORT = 6379;
    public static final int DEFAULT_SENTINEL_PORT = 26379;

    /** The accepted forms, listed in error messages. */
    public static final String FORMS = "host, host:port, [ipv6]:port, redis://[[user]:password@]host[:port][/db], "
            + "rediss://[[user]:password@]host[:port][/db], cluster seeds host:port,host:port,..., "
            + "redis-sentinel://[[user]:password@]host[:port][,host[:port]...][/db]#master";

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");
    private static final Pattern MASTER_NAME = Pattern.compile("[^\\s#/?@,]+");

    public Endpoint {
        nodes = List.copyOf(nodes);
    }

    public static Endpoint parse(String raw) {
        String value = raw.strip();
        int schemeEnd = value.indexOf("://");
        if (schemeEnd >= 0) {
            String scheme = value.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
            String rest = value.substring(schemeEnd + 3);
            return switch (scheme) {
                case "redis" -> parseUrl(rest, false, false);
                case "rediss" -> parseUrl(rest, true, false);
                case "redis-sentinel" -> parseUrl(rest, false, true);
                case "rediss-sentinel" ->
                    throw new IllegalArgumentException(
                            "TLS to Sentinel (rediss-sentinel://) is not supported; use redis-sentinel://");
                default -> throw new IllegalArgumentException("unknown scheme '" + value.substring(0, schemeEnd) + "'");
            };
        }
        if (value.contains("@") || value.contains("/") || value.contains("#")) {
            throw new IllegalArgumentException("credentials and a database need the redis:// or rediss:// form");
        }
        return new Endpoint(parseHosts(value, DEFAULT_PORT), false, 0, null, null, null);
    }

    private static Endpoint parseUrl(String rest, boolean ssl, boolean sentinel) {
        String master = null;
        if (sentinel) {
            int hash = rest.lastIndexOf('#');
            if (hash < 0 || hash == rest.length() - 1) {
                throw new IllegalArgumentException("a Sentinel endpoint needs the primary's name after '#', e.g. "
                        + "redis-sentinel://sentinel-1:26379,sentinel-2:26379#mymaster");
            }
            master = rest.substring(hash + 1);
            rest = rest.substring(0, hash);
            if (!MASTER_NAME.matcher(master).matches()) {
                throw new IllegalArgumentException("the primary's name '" + master
                        + "' after '#' must not contain spaces, " + "'/', '?', '@' or ','");
            }
        }
        if (rest.contains("?") || rest.contains("#")) {
            throw new IllegalArgumentException(
                    "query parameters and fragments are not supported (use the REDIS_* variables)");
        }
        String username = null;
        String password = null;
        // The last '@' ends the user info, so a password may itself contain '@'.
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            if (colon >= 0) {
                username = emptyToNull(decode(userInfo.substring(0, colon), "user name"));
                password = emptyToNull(decode(userInfo.substring(colon + 1), "password"));
            } else {
                // redis-cli convention: redis://secret@host carries a password, not a user name.
                password = emptyToNull(decode(userInfo, "password"));
            }
        }
        int database = 0;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            String path = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
            if (!path.isEmpty()) {
                if (!path.chars().allMatch(Character::isDigit) || path.length() > 9) {
                    throw new IllegalArgumentException("database '" + path + "' is not a non-negative number");
                }
                database = Integer.parseInt(path);
            }
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("the host is missing");
        }
        List<RedisNode> nodes = parseHosts(rest, sentinel ? DEFAULT_SENTINEL_PORT : DEFAULT_PORT);
        return new Endpoint(nodes, ssl, database, username, password, master);
    }

    /** A comma-separated list of {@code host[:port]}; each host at most once. */
    private static List<RedisNode> parseHosts(String value, int defaultPort) {
        List<RedisNode> nodes = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String hostPort = part.strip();
            if (hostPort.isEmpty()) {
                throw new IllegalArgumentException(
                        value.contains(",") ? "the list of hosts has an empty entry" : "the host is missing");
            }
            RedisNode node = parseHostPort(hostPort, defaultPort);
            if (nodes.contains(node)) {
                throw new IllegalArgumentException(node + " is listed twice");
            }
            nodes.add(node);
        }
        return nodes;
    }

    private static RedisNode parseHostPort(String value, int defaultPort) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("the host is missing");
        }
        String host;
        String port = null;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("the IPv6 address lacks its closing ']'");
            }
            host = value.substring(1, close);
            String after = value.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new IllegalArgumentException("unexpected '" + after + "' after the IPv6 address");
                }
                port = after.substring(1);
            }
            if (host.isEmpty() || !host.contains(":") || !IPV6.matcher(host).matches()) {
                throw new IllegalArgumentException("'" + host + "' is not an IPv6 address");
            }
        } else {
            int colon = value.indexOf(':');
            if (colon >= 0 && value.indexOf(':', colon + 1) >= 0) {
                throw new IllegalArgumentException("an IPv6 address must be written in brackets, e.g. [::1]:6379");
            }
            host = colon >= 0 ? value.substring(0, colon) : value;
            port = colon >= 0 ? value.substring(colon + 1) : null;
            if (host.isEmpty()) {
                throw new IllegalArgumentException("the host is missing");
            }
            if (!HOST_NAME.matcher(host).matches()) {
                throw new IllegalArgumentException("'" + host + "' is not a valid host name");
            }
        }
        return new RedisNode(host, port == null ? defaultPort : parsePort(port));
    }

    private static int parsePort(String port) {
        if (port.isEmpty()) {
            throw new IllegalArgumentException("the port is empty");
        }
        if (!port.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("port '" + port + "' is not a number");
        }
        if (port.length() > 5 || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65_535) {
            throw new IllegalArgumentException("port " + port + " is out of range 1-65535");
        }
        return Integer.parseInt(port);
    }

    /** Percent-decoding as in URLs; unlike {@code URLDecoder}, '+' stays '+'. Never echoes the input. */
    private static String decode(String encoded, String what) {
        if (encoded.indexOf('%') < 0) {
            return encoded;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < encoded.length()) {
            int percent = encoded.indexOf('%', i);
            int plainEnd = percent < 0 ? encoded.length() : percent;
            bytes.writeBytes(encoded.substring(i, plainEnd).getBytes(StandardCharsets.UTF_8));
            if (percent < 0) {
                break;
            }
            if (percent + 2 >= encoded.length()) {
                throw new IllegalArgumentException("the " + what + " has an incomplete %-escape");
            }
            int hi = Character.digit(encoded.charAt(percent + 1), 16);
            int lo = Character.digit(encoded.charAt(percent + 2), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("the " + what + " has an invalid %-escape");
            }
            bytes.write(hi * 16 + lo);
            i = percent + 3;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static @Nullable String emptyToNull(@Nullable String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
