package dev.redisintegration.redis.internal;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Turns a failure (anywhere in its cause chain) into a short, human, secret-free reason for probes, events and logs.
 */
public final class FailureReasons {

    private static final int MAX_LENGTH = 200;
    private static final Pattern SENTINEL_MASTER =
            Pattern.compile("Cannot provide redisAddress using sentinel for masterId (\\S+)");

    private static final Pattern QUOTED_NAME = Pattern.compile("'([A-Za-z0-9_.-]+)'");

    private final String host;
    private final String password;
    private final String sentinelPassword;
    private final String commandTimeout;

    public FailureReasons(String host, String password, java.time.Duration commandTimeout) {
        this(host, password, null, commandTimeout);
    }

    /**
     * @param host the host named in "unknown host" when the failure does not name one.
     * @param sentinelPassword a second secret to keep out of every reason, or {@code null}.
     */
    public FailureReasons(String host, String password, String sentinelPassword, java.time.Duration commandTimeout) {
        this.host = host;
        this.password = password;
        this.sentinelPassword = sentinelPassword;
        this.commandTimeout = Durations.format(commandTimeout);
    }

    public String describe(Throwable failure) {
        return Secrets.redact(Secrets.redact(withTopology(failure), password), sentinelPassword);
    }

    /** Sentinel and Cluster wrap the node's failure in one of their own: say which step failed, then why. */
    private String withTopology(Throwable failure) {
        List<Throwable> chain = chain(failure);
        for (Throwable t : chain) {
            String text = message(t);
            Matcher master = SENTINEL_MASTER.matcher(text);
            if (master.find()) {
                return "no Sentinel knows a primary named '" + master.group(1) + "'";
            }
            if (text.startsWith("Cannot connect to a Redis Sentinel")) {
                return "no Sentinel reachable (" + classify(chain) + ")";
            }
            if (text.startsWith("Cannot retrieve cluster partitions")
                    || text.startsWith("Cannot retrieve initial cluster")
                    || text.startsWith("Unable to establish a connection to Redis Cluster")) {
                return "cannot load the cluster topology from any seed (" + classify(chain) + ")";
            }
        }
        return classify(chain);
    }

    /** The failure, its causes and suppressed exceptions (where Lettuce puts one failure per node or Sentinel). */
    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        List<Throwable> queue = new ArrayList<>(List.of(failure));
        while (!queue.isEmpty() && chain.size() < 20) {
            Throwable t = queue.remove(0);
            if (t == null || chain.contains(t)) {
                continue;
            }
            chain.add(t);
            queue.add(t.getCause());
            queue.addAll(List.of(t.getSuppressed()));
        }
        return chain;
    }

    private String classify(List<Throwable> chain) {
        for (Throwable t : chain) {
            if (t instanceof java.util.concurrent.TimeoutException) { // our own deadlines: the message is the reason
                return t.getMessage();
            }
        }
        for (Throwable t : chain) {
            String auth = authentication(message(t));
            if (auth != null) {
                return auth;
            }
        }
        for (Throwable t : chain) {
            if (t instanceof SSLException || t.getClass().getName().startsWith("io.netty.handler.ssl.")) {
                String text = message(t).toLowerCase(Locale.ROOT);
                if (t.getClass().getSimpleName().equals("NotSslRecordException")) {
                    return "TLS handshake failed (the server does not speak TLS)";
                }
                if (text.contains("pkix") || text.contains("certificate") || text.contains("unable to find valid")) {
                    return "TLS handshake failed (certificate not trusted or does not match the host)";
                }
                return "TLS handshake failed";
            }
        }
        for (Throwable t : chain) {
            if (t instanceof UnknownHostException) {
                Matcher name = QUOTED_NAME.matcher(message(t));
                return "unknown host " + (name.find() ? name.group(1) : host);
            }
        }
        for (Throwable t : chain) {
            String text = message(t).toLowerCase(Locale.ROOT);
            if (t instanceof NoRouteToHostException || text.contains("no route to host")) {
                return "no route to host " + host;
            }
            if (t.getClass().getName().equals("io.netty.channel.ConnectTimeoutException")) {
                return "connect timed out";
            }
            if (t instanceof ConnectException || text.contains("connection refused")) {
                return text.contains("connection refused") ? "connection refused" : "connection failed";
            }
            if (text.contains("network is unreachable")) {
                return "network unreachable";
            }
        }
        for (Throwable t : chain) {
            String name = t.getClass().getSimpleName();
            String text = message(t);
            if (name.equals("RedisCommandTimeoutException")) {
                return "command timed out after " + commandTimeout;
            }
            if (text.startsWith("Currently not connected")) {
                return "not connected (reconnecting in the background)";
            }
            if (text.startsWith("LOADING")) {
                return "Redis is loading its dataset (LOADING)";
            }
            if (text.startsWith("BUSY")) {
                return "Redis is busy running a script (BUSY)";
            }
            if (text.startsWith("MASTERDOWN")) {
                return "the replica lost its primary (MASTERDOWN)";
            }
            if (text.startsWith("NOPERM")) {
                return "permission denied (NOPERM)";
            }
            if (text.contains("SELECT is not allowed in cluster mode")) {
                return "the server is a Redis Cluster node, which has only database 0: remove the database from the endpoint";
            }
            if (text.startsWith("CLUSTERDOWN")) {
                return "the cluster is down (CLUSTERDOWN)";
            }
            if (text.equals("Connection disconnected")) {
                return "not connected (the connection dropped while the command waited)";
            }
            if (t instanceof ClosedChannelException
                    || text.toLowerCase(Locale.ROOT).contains("connection closed")) {
                return "connection closed";
            }
            if (text.toLowerCase(Locale.ROOT).contains("connection reset")) {
                return "connection reset by peer";
            }
            if (t instanceof IllegalStateException && text.contains("closed")) {
                return "client closed";
            }
        }
        Throwable root = chain.get(chain.size() - 1);
        String text = root.getClass().getSimpleName() + (message(root).isEmpty() ? "" : ": " + message(root));
        return text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) + "…" : text;
    }

    private static String authentication(String text) {
        if (text.startsWith("WRONGPASS")
                || text.contains("invalid username-password pair")
                || text.startsWith("ERR invalid password")) {
            return "authentication failed (WRONGPASS: wrong user name or password)";
        }
        if (text.startsWith("NOAUTH") || text.contains("NOAUTH")) {
            return "authentication failed (NOAUTH: Redis requires a password)";
        }
        if (text.startsWith("ERR AUTH")
                || text.contains("without any password configured")
                || text.contains("no password is set")) {
            return "authentication failed (Redis has no password configured)";
        }
        return null;
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? "" : t.getMessage();
    }
}
