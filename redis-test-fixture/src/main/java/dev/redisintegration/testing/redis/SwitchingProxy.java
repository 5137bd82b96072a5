package dev.redisintegration.testing.redis;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP forwarder on {@code 127.0.0.1} and a free port that stands in for a DNS name that moves, e.g. the primary
 * endpoint of a managed Redis in front of a primary and its replicas.
 *
 * <p>New connections go to the <em>current</em> target; connections already open keep the node they were opened to,
 * exactly as after a DNS change: {@link #switchTo(RedisServer)} moves the name, not the clients. The per-target counts
 * ({@link #openConnections(RedisServer)}, {@link #acceptedConnections(RedisServer)}) show where the clients really
 * are, and {@link #dropConnectionsTo(RedisServer)} resets them as a node that dies or a load balancer would.
 *
 * <pre>{@code
 * try (RedisServer a = RedisServer.start();
 *      RedisServer b = RedisServer.builder().replicaOf(a).build();
 *      SwitchingProxy name = SwitchingProxy.start(a)) {
 *   client.connect(name.endpoint());          // "127.0.0.1:41234", reaches a
 *   b.promote();
 *   name.switchTo(b);                          // new connections reach b; the client is still on a
 *   a.replicaOf(b);                            // a now answers writes with READONLY
 *   await().until(() -> name.openConnections(a) == 0);   // the client must notice and move
 * }
 * }</pre>
 *
 * <p>It can also hold every reply for a while ({@link #replyDelay(Duration)}) to make a healthy Redis look slow.
 *
 * <p>Threads: one accept thread plus three per forwarded connection (request pump, reply reader, reply writer), all
 * daemon threads of a pool owned by this proxy; at most {@link #MAX_CONNECTIONS} connections are forwarded at once
 * (more are closed on accept), so the thread count is bounded. {@link #close()} closes the listener and every
 * connection and waits (bounded) until all of its threads have ended. Thread-safe.
 */
public final class SwitchingProxy implements AutoCloseable {

    /** Most connections forwarded at once; further ones are accepted and closed at once (and counted as refused). */
    public static final int MAX_CONNECTIONS = 256;
    /** Bound of the connect to the current target; on failure the client's connection is closed. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** How long {@link #close()} waits for the proxy's threads to end. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(SwitchingProxy.class);
    private static final String HOST = "127.0.0.1";
    private static final int BUFFER_SIZE = 16 * 1024;

    private final ServerSocket listener;
    private final ThreadPoolExecutor threads;
    private final Set<Thread> created = ConcurrentHashMap.newKeySet();
    private final Set<Forward> open = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> acceptedByTarget = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile InetSocketAddress target;
    private volatile long replyDelayNanos;

    private SwitchingProxy(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
        String prefix = "switching-proxy-" + listener.getLocalPort() + "-";
        AtomicInteger counter = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(
                0, 1 + 3 * MAX_CONNECTIONS, 10, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
                    thread.setDaemon(true);
                    created.removeIf(t -> !t.isAlive());
                    created.add(thread);
                    return thread;
                });
    }

    /** Starts a proxy whose connections go to {@code target}. */
    public static SwitchingProxy start(RedisServer target) {
        Objects.requireNonNull(target, "target");
        return start(target.host(), target.port());
    }

    /**
     * Starts a proxy on {@code 127.0.0.1} and a free port whose connections go to {@code host:port}. The target need not
     * be listening yet: a connection that cannot reach it is closed, as a client would see without the proxy.
     *
     * @throws UncheckedIOException when no listening socket can be opened
     */
    public static SwitchingProxy start(String host, int port) {
        InetSocketAddress first = address(host, port);
        ServerSocket listener;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getByName(HOST));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a listening socket on " + HOST + " for the switching proxy", e);
        }
        SwitchingProxy proxy = new SwitchingProxy(listener, first);
        proxy.threads.execute(proxy::acceptLoop);
        LOG.info("Switching proxy {} -> {}", proxy.endpoint(), key(first));
        return proxy;
    }

    /** Sends new connections to {@code target}; open connections keep theirs. */
    public void switchTo(RedisServer target) {
        Objects.requireNonNull(target, "target");
        switchTo(target.host(), target.port());
    }

    /** Sends new connections to {@code host:port}; open connections keep theirs. */
    public void switchTo(String host, int port) {
        ensureOpen();
        InetSocketAddress next = address(host, port);
        InetSocketAddress previous = target;
        target = next;
        LOG.info("Switching proxy {} moved from {} to {}", endpoint(), key(previous), key(next));
    }

    /** Where new connections go now, as {@code host:port}. */
    public String target() {
        return key(target);
    }

    /** Always {@code 127.0.0.1}. */
    public String host() {
        return HOST;
    }

    /** The port clients connect to; fixed for the proxy's life. */
    public int port() {
        return listener.getLocalPort();
    }

    /** {@code 127.0.0.1:port}, e.g. for {@code REDIS_PRIMARY_ENDPOINT}. */
    public String endpoint() {
        return HOST + ":" + port();
    }

    /** Connections forwarded right now, to any target. */
    public int openConnections() {
        return open.size();
    }

    /** Connections forwarded right now to {@code target} (opened while it was the current target). */
    public int openConnections(RedisServer target) {
        return openConnections(target.host(), target.port());
    }

    /** Connections forwarded right now to {@code host:port}. */
    public int openConnections(String host, int port) {
        String key = host + ":" + port;
        return (int) open.stream().filter(forward -> forward.target.equals(key)).count();
    }

    /** Connections accepted since start, to any target; includes those that could not reach their target. */
    public long acceptedConnections() {
        return accepted.get();
    }

    /**
     * Connections accepted since start while {@code target} was the current target, whether or not it could be reached:
     * how often clients tried that node through this name.
     */
    public long acceptedConnections(RedisServer target) {
        return acceptedConnections(target.host(), target.port());
    }

    /** Like {@link #acceptedConnections(RedisServer)} for {@code host:port}. */
    public long acceptedConnections(String host, int port) {
        AtomicLong count = acceptedByTarget.get(host + ":" + port);
        return count == null ? 0 : count.get();
    }

    /** Connections closed on accept because {@link #MAX_CONNECTIONS} were open. */
    public long refusedConnections() {
        return refused.get();
    }

    /**
     * Holds every reply chunk that arrives from now on for {@code delay} before passing it on (order kept); requests
     * pass at once. {@link Duration#ZERO} (the default) passes replies at once again. Applies to open connections too.
     */
    public void replyDelay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("replyDelay must be zero or positive: " + delay);
        }
        replyDelayNanos = delay.toNanos();
    }

    /**
     * Resets (TCP RST) both sides of every open connection to {@code target}, as when that node dies or a load balancer
     * drops its connections: the client sees "connection reset", the server a vanished client.
     *
     * @return how many connections were dropped
     */
    public int dropConnectionsTo(RedisServer target) {
        return dropConnectionsTo(target.host(), target.port());
    }

    /** Like {@link #dropConnectionsTo(RedisServer)} for {@code host:port}. */
    public int dropConnectionsTo(String host, int port) {
        String key = host + ":" + port;
        int dropped = 0;
        for (Forward forward : List.copyOf(open)) {
            if (forward.target.equals(key)) {
                forward.reset();
                dropped++;
            }
        }
        LOG.info("Switching proxy {} reset {} connection(s) to {}", endpoint(), dropped, key);
        return dropped;
    }

    /**
     * Resets (TCP RST) both sides of every open connection, whatever its target; the proxy keeps accepting.
     *
     * @return how many connections were dropped
     */
    public int dropAll() {
        int dropped = 0;
        for (Forward forward : List.copyOf(open)) {
            forward.reset();
            dropped++;
        }
        LOG.info("Switching proxy {} reset all {} connection(s)", endpoint(), dropped);
        return dropped;
    }

    /**
     * Stops accepting, closes every forwarded connection (both sides, an orderly close: clients read end of stream) and
     * waits up to {@link #CLOSE_TIMEOUT} for the proxy's threads to end. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(listener);
        for (Forward forward : List.copyOf(open)) {
            forward.close();
        }
        threads.shutdown();
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        try {
            if (!threads.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                threads.shutdownNow();
            }
            // A terminated pool may still have workers on their way out: wait until they are gone.
            for (Thread thread : created) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(thread, left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            threads.shutdownNow();
        }
        if (liveThreads() > 0) {
            LOG.warn(
                    "Switching proxy {}: {} thread(s) still running {} ms after close",
                    endpoint(),
                    liveThreads(),
                    CLOSE_TIMEOUT.toMillis());
        }
        LOG.info("Closed switching proxy {} ({} connections accepted)", endpoint(), accepted.get());
    }

    /** Threads of this proxy that are alive now: 0 once {@link #close()} has returned. For leak tests. */
    int liveThreads() {
        return (int) created.stream().filter(Thread::isAlive).count();
    }

    @Override
    public String toString() {
        return "SwitchingProxy[" + endpoint() + " -> " + target() + ", open " + openConnections() + "]";
    }

    private void acceptLoop() {
        while (!closed.get()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (!closed.get()) {
                    LOG.warn("Switching proxy {}: accept failed: {}", endpoint(), e.toString());
                }
                continue;
            }
            InetSocketAddress to = target;
            String key = key(to);
            accepted.incrementAndGet();
            acceptedByTarget.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
            if (open.size() >= MAX_CONNECTIONS) {
                refused.incrementAndGet();
                LOG.warn("Switching proxy {}: {} connections open, closing a new one", endpoint(), MAX_CONNECTIONS);
                closeQuietly(client);
                continue;
            }
            Forward forward = new Forward(client, to, key);
            open.add(forward);
            if (closed.get()) {
                forward.close(); // close() may have run between accept and add
                continue;
            }
            try {
                threads.execute(forward::connectAndPump);
            } catch (RejectedExecutionException e) {
                forward.close();
            }
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("Switching proxy " + endpoint() + " is closed");
        }
    }

    private static InetSocketAddress address(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be in 1-65535: " + port);
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    private static String key(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** One client connection and its upstream socket to the target it was opened to. */
    private final class Forward {
        final Socket client;
        final Socket upstream = new Socket();
        final InetSocketAddress to;
        final String target;
        private final AtomicBoolean done = new AtomicBoolean();

        Forward(Socket client, InetSocketAddress to, String target) {
            this.client = client;
            this.to = to;
            this.target = target;
        }

        void connectAndPump() {
            try {
                upstream.connect(
                        new InetSocketAddress(to.getHostString(), to.getPort()),
                        Math.toIntExact(CONNECT_TIMEOUT.toMillis()));
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
            } catch (IOException e) {
                // The target is not there: the client sees its connection close, as it would without the proxy.
                LOG.debug("Switching proxy {}: cannot reach {}: {}", endpoint(), target, e.toString());
                close();
                return;
            }
            BlockingQueue<Chunk> replies = new LinkedBlockingQueue<>();
            try {
                threads.execute(() -> readReplies(replies));
                threads.execute(() -> writeReplies(replies));
            } catch (RejectedExecutionException e) {
                close();
                return;
            }
            pumpRequests();
        }

        private void pumpRequests() {
            byte[] buffer = new byte[BUFFER_SIZE];
            try {
                InputStream in = client.getInputStream();
                OutputStream out = upstream.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // a peer closed, or the proxy is closing
            } finally {
                close();
            }
        }

        private void readReplies(BlockingQueue<Chunk> replies) {
            byte[] buffer = new byte[BUFFER_SIZE];
            try {
                InputStream in = upstream.getInputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    replies.add(new Chunk(System.nanoTime() + replyDelayNanos, Arrays.copyOf(buffer, n)));
                }
            } catch (IOException e) {
                // a peer closed, or the proxy is closing
            } finally {
                replies.add(Chunk.END);
            }
        }

        private void writeReplies(BlockingQueue<Chunk> replies) {
            try {
                OutputStream out = client.getOutputStream();
                while (true) {
                    Chunk chunk = replies.take();
                    if (chunk == Chunk.END) {
                        break;
                    }
                    long wait;
                    while ((wait = chunk.dueNanos - System.nanoTime()) > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait); // holding replies back is what replyDelay asks for
                    }
                    out.write(chunk.bytes);
                    out.flush();
                }
            } catch (IOException e) {
                // a peer closed, or the proxy is closing
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                close();
            }
        }

        /** Abortive close: SO_LINGER 0 makes the kernel send RST instead of FIN. */
        void reset() {
            for (Socket socket : new Socket[] {client, upstream}) {
                try {
                    socket.setSoLinger(true, 0);
                } catch (SocketException ignored) {
                    // already closed or never connected: close() below is all there is to do
                }
            }
            close();
        }

        void close() {
            if (done.compareAndSet(false, true)) {
                closeQuietly(client);
                closeQuietly(upstream);
                open.remove(this);
            }
        }
    }

    private static final class Chunk {
        static final Chunk END = new Chunk(0, new byte[0]);
        final long dueNanos;
        final byte[] bytes;

        Chunk(long dueNanos, byte[] bytes) {
            this.dueNanos = dueNanos;
            this.bytes = bytes;
        }
    }
}
