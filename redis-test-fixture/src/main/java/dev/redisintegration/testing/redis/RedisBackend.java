package dev.redisintegration.testing.redis;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** One way of running a real Redis: the local {@code redis-server} binary or a Testcontainers container. */
abstract class RedisBackend {

    /**
     * What the test asked for; the same for both backends.
     *
     * @param bindAddress a loopback address to listen on, or null for the backend's default (binary only)
     * @param port a fixed port, or 0 for a free one (binary only)
     */
    record Spec(
            String password,
            boolean tls,
            RedisServer primary,
            List<String> extraArgs,
            Duration startupTimeout,
            String bindAddress,
            int port) {

        /** Listening where the backend chooses (the topology fixtures pick their own ports). */
        Spec(String password, boolean tls, RedisServer primary, List<String> extraArgs, Duration startupTimeout) {
            this(password, tls, primary, extraArgs, startupTimeout, null, 0);
        }

        /** Whether the test chose where the server listens, which only the binary can honour. */
        boolean fixesAddress() {
            return bindAddress != null || port != 0;
        }
    }

    /** Thrown by {@link #awaitReady} when the server process / container is gone before it answered. */
    static final class ExitedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ExitedException(String message) {
            super(message);
        }
    }

    final Spec spec;

    RedisBackend(Spec spec) {
        this.spec = spec;
    }

    abstract String kind();

    abstract void start();

    abstract String host();

    abstract int port();

    /** Where a replica run by the same backend reaches this server. */
    abstract String replicationHost();

    abstract int replicationPort();

    abstract void stop();

    abstract void restart();

    abstract void pause();

    abstract void resume();

    abstract boolean isRunning();

    abstract boolean isPaused();

    abstract String logTail();

    abstract void close();

    /** Whether the server needs the certificate files: it serves TLS, or replicates from a TLS primary. */
    boolean needsTls() {
        return spec.tls() || (spec.primary() != null && spec.primary().isTls());
    }

    /**
     * The server directives, as {@code name value...} lines. {@code tlsDir} is where the certificate files are as seen
     * by the server.
     */
    List<List<String>> directives(int port, String bind, Path tlsDir) {
        List<List<String>> lines = new ArrayList<>();
        lines.add(List.of("bind", bind));
        if (spec.tls()) {
            lines.add(List.of("port", "0"));
            lines.add(List.of("tls-port", Integer.toString(port)));
        } else {
            lines.add(List.of("port", Integer.toString(port)));
        }
        lines.add(List.of("save", ""));
        lines.add(List.of("appendonly", "no"));
        // Redis 7 waits 5 s by default before a diskless full sync; replicas in tests should sync at once.
        lines.add(List.of("repl-diskless-sync-delay", "0"));
        if (spec.password() != null) {
            lines.add(List.of("requirepass", spec.password()));
        }
        RedisServer primary = spec.primary();
        boolean tlsReplication = primary != null && primary.isTls();
        if (needsTls()) {
            lines.add(List.of("tls-cert-file", tlsDir.resolve("redis.crt").toString()));
            lines.add(List.of("tls-key-file", tlsDir.resolve("redis.key").toString()));
            lines.add(List.of("tls-ca-cert-file", tlsDir.resolve("ca.crt").toString()));
            lines.add(List.of("tls-auth-clients", "no"));
        }
        if (primary != null) {
            lines.add(List.of(
                    "replicaof",
                    primary.backend().replicationHost(),
                    Integer.toString(primary.backend().replicationPort())));
            if (primary.password() != null) {
                lines.add(List.of("masterauth", primary.password()));
            }
            if (tlsReplication) {
                lines.add(List.of("tls-replication", "yes"));
            }
        }
        return lines;
    }

    /**
     * Polls with a raw PING (AUTH first when a password is set) until PONG, giving up after the startup timeout.
     *
     * @param alive false once the process / container is gone: stop waiting and throw {@link ExitedException}
     */
    void awaitReady(BooleanSupplier alive) {
        long deadline = System.nanoTime() + spec.startupTimeout().toNanos();
        RuntimeException last = null;
        while (true) {
            if (!alive.getAsBoolean()) {
                throw new ExitedException(kind() + " on " + host() + ":" + port() + " exited before answering PING");
            }
            try (RespClient client = RespClient.connect(
                    host(),
                    port(),
                    spec.tls() ? TlsMaterial.shared().sslContext : null,
                    spec.password(),
                    Duration.ofMillis(500))) {
                Object reply = client.call("PING");
                if ("PONG".equals(reply)) {
                    return;
                }
                last = new IllegalStateException("unexpected reply to PING: " + reply);
            } catch (UncheckedIOException | IllegalStateException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(kind() + " on " + host() + ":" + port() + " did not answer PING within "
                        + spec.startupTimeout().toMillis() + " ms (last error: "
                        + (last == null ? "none" : last.getMessage())
                        + ")\n--- redis log (tail) ---\n" + logTail());
            }
            RedisServer.sleep(Duration.ofMillis(50));
        }
    }
}
