package dev.redisintegration.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of Redis that holds every reply for a configurable delay before passing it on, so a
 * scenario can make Redis slow without touching it. Requests pass through at once; each reply chunk keeps its
 * order and is released {@code replyDelay} after it arrived from Redis.
 *
 * <p>Plain blocking sockets, three daemon threads per proxied connection: the suite opens a handful.
 */
final class SlowProxy implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile long replyDelayNanos;
    private volatile boolean closed;

    private SlowProxy(ServerSocket server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
    }

    /** Starts a proxy on a free loopback port forwarding to {@code host:port}, initially without delay. */
    static SlowProxy start(String host, int port) {
        try {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            SlowProxy proxy = new SlowProxy(server, new InetSocketAddress(host, port));
            daemon("slow-proxy-accept-" + server.getLocalPort(), proxy::acceptLoop).start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the proxy's listening socket", e);
        }
    }

    int port() {
        return server.getLocalPort();
    }

    /** {@code host:port} to give the service as REDIS_PRIMARY_ENDPOINT. */
    String endpoint() {
        return "127.0.0.1:" + port();
    }

    /** Applies to reply bytes that arrive from Redis from now on. */
    void replyDelay(Duration delay) {
        replyDelayNanos = delay.toNanos();
    }

    /** Connections accepted so far. */
    int connectionCount() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                connections.incrementAndGet();
                Socket upstream = new Socket();
                track(client);
                track(upstream);
                try {
                    upstream.connect(target, 2_000);
                } catch (IOException e) {
                    // Redis is not there: the client sees the connection close, as it would without the proxy.
                    closeQuietly(client, upstream);
                    continue;
                }
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                BlockingQueue<Chunk> replies = new LinkedBlockingQueue<>();
                String id = client.getPort() + "";
                daemon("slow-proxy-request-" + id, () -> pump(client, upstream)).start();
                daemon("slow-proxy-reply-read-" + id, () -> readReplies(upstream, replies)).start();
                daemon("slow-proxy-reply-write-" + id, () -> writeReplies(replies, client, upstream)).start();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("slow proxy: accept failed: " + e);
                }
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // peer closed or the proxy is closing
        } finally {
            closeQuietly(from, to);
        }
    }

    private void readReplies(Socket upstream, BlockingQueue<Chunk> replies) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = upstream.getInputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                replies.add(new Chunk(System.nanoTime() + replyDelayNanos, Arrays.copyOf(buffer, n)));
            }
        } catch (IOException e) {
            // peer closed or the proxy is closing
        } finally {
            replies.add(Chunk.END);
        }
    }

    private void writeReplies(BlockingQueue<Chunk> replies, Socket client, Socket upstream) {
        try {
            OutputStream out = client.getOutputStream();
            while (true) {
                Chunk chunk = replies.take();
                if (chunk == Chunk.END) {
                    break;
                }
                long wait;
                while ((wait = chunk.dueNanos() - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // the delay is this class's purpose
                }
                out.write(chunk.bytes());
                out.flush();
            }
        } catch (IOException e) {
            // peer closed or the proxy is closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(client, upstream);
        }
    }

    private void track(Socket socket) {
        sockets.add(socket);
        if (closed) {
            closeQuietly(socket);
        }
    }

    private void closeQuietly(Socket... toClose) {
        for (Socket socket : toClose) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            sockets.remove(socket);
        }
    }

    /** Stops accepting and closes every proxied connection; the pump threads then end on their own. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        closeQuietly(sockets.toArray(Socket[]::new));
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private record Chunk(long dueNanos, byte[] bytes) {
        static final Chunk END = new Chunk(0, new byte[0]);
    }
}
