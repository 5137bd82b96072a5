package dev.redisintegration.redis.internal;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Turns a failure (anywhere in its cause chain) into a short, human, secret-free reason for probes, events and logs.
 */
public final class FailureReasons {

  private static final int MAX_LENGTH = 200;

  private final String host;
  private final String password;
  private final String commandTimeout;

  public FailureReasons(String host, String password, java.time.Duration commandTimeout) {
    this.host = host;
    this.password = password;
    this.commandTimeout = Durations.format(commandTimeout);
  }

  public String describe(Throwable failure) {
    return Secrets.redact(classify(failure), password);
  }

  private String classify(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = failure; t != null && chain.size() < 20 && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
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
        return "unknown host " + host;
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
      if (text.equals("Connection disconnected")) {
        return "not connected (the connection dropped while the command waited)";
      }
      if (t instanceof ClosedChannelException || text.toLowerCase(Locale.ROOT).contains("connection closed")) {
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
    if (text.startsWith("WRONGPASS") || text.contains("invalid username-password pair")
        || text.startsWith("ERR invalid password")) {
      return "authentication failed (WRONGPASS: wrong user name or password)";
    }
    if (text.startsWith("NOAUTH") || text.contains("NOAUTH")) {
      return "authentication failed (NOAUTH: Redis requires a password)";
    }
    if (text.startsWith("ERR AUTH") || text.contains("without any password configured")
        || text.contains("no password is set")) {
      return "authentication failed (Redis has no password configured)";
    }
    return null;
  }

  private static String message(Throwable t) {
    return t.getMessage() == null ? "" : t.getMessage();
  }
}
