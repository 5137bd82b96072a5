package dev.redisintegration.testing.redis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tiny authoritative DNS server over UDP on {@code 127.0.0.1} and a free port, for tests of clients that must follow
 * a host name whose address changes (a managed Redis endpoint after a failover) and honour its TTL.
 *
 * <pre>{@code
 * try (TestDnsServer dns = TestDnsServer.start();
 *      RedisServer a = RedisServer.builder().bindAddress("127.0.0.2").port(port).build();
 *      RedisServer b = RedisServer.builder().bindAddress("127.0.0.3").port(port).build()) {
 *   dns.answer("redis.test", "127.0.0.2", Duration.ofSeconds(1));
 *   // point the client's resolver at dns.address(), e.g. Netty's DnsNameResolverBuilder
 *   //   .nameServerProvider(new SingletonDnsServerAddressStreamProvider(dns.address()))
 *   dns.answer("redis.test", "127.0.0.3", Duration.ofSeconds(1));   // the name moves
 *   await().until(() -> dns.queries("redis.test") >= 2);            // the client asked again
 * }
 * }</pre>
 *
 * <p>What it answers, always with the AA flag and the question echoed byte for byte:
 * <ul>
 *   <li>an {@code A} (or {@code ANY}) query for a name set with {@link #answer}: NOERROR with one A record and its TTL;
 *   <li>any other type ({@code AAAA}, {@code MX}, ...) for such a name: NOERROR with no answer, so a resolver falls
 *       back to IPv4 at once;
 *   <li>any other name: NXDOMAIN;
 *   <li>a query it cannot parse: FORMERR (or nothing when even the header is short); a non-QUERY opcode: NOTIMP.
 * </ul>
 * Names are case-insensitive and a trailing dot is ignored. A compression pointer in the question name is followed; the
 * EDNS OPT record a resolver adds to the additional section is ignored (the answer has none, which is allowed). No
 * recursion, no TCP, no negative-caching SOA: a resolver may cache nothing or briefly.
 *
 * <p>One daemon thread; {@link #close()} stops it. Thread-safe.
 */
public final class TestDnsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TestDnsServer.class);
    private static final String HOST = "127.0.0.1";
    private static final int HEADER_LENGTH = 12;
    private static final int TYPE_A = 1;
    private static final int TYPE_ANY = 255;
    private static final int CLASS_IN = 1;
    private static final int CLASS_ANY = 255;
    private static final int RCODE_FORMERR = 1;
    private static final int RCODE_NXDOMAIN = 3;
    private static final int RCODE_NOTIMP = 4;
    private static final int MAX_POINTER_JUMPS = 16;

    private final DatagramSocket socket;
    private final Thread thread;
    private final Map<String, Record> records = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> aQueries = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private TestDnsServer(DatagramSocket socket) {
        this.socket = socket;
        this.thread = new Thread(this::serve, "test-dns-" + socket.getLocalPort());
        this.thread.setDaemon(true);
    }

    /**
     * Starts a server on {@code 127.0.0.1} and a free UDP port, with no names (every query NXDOMAIN).
     *
     * @throws UncheckedIOException when no UDP socket can be opened
     */
    public static TestDnsServer start() {
        DatagramSocket socket;
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(HOST), 0));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a UDP socket on " + HOST + " for the test DNS server", e);
        }
        TestDnsServer server = new TestDnsServer(socket);
        server.thread.start();
        LOG.info("Test DNS server on {}:{}", HOST, socket.getLocalPort());
        return server;
    }

    /**
     * Sets or changes the A record of {@code name}: from the next query on, it resolves to {@code ipv4} with {@code ttl}
     * (whole seconds, rounded down).
     *
     * @param name a host name, case-insensitive, with or without the trailing dot, e.g. {@code "redis.test"}
     * @param ipv4 a dotted-quad literal, e.g. {@code "127.0.0.2"}
     * @param ttl zero or more, at most {@code 2^31-1} seconds
     * @throws IllegalArgumentException when a value is invalid
     * @throws IllegalStateException after {@link #close()}
     */
    public void answer(String name, String ipv4, Duration ttl) {
        ensureOpen();
        String key = normalize(name);
        byte[] address = parseIpv4(ipv4);
        if (ttl == null || ttl.isNegative() || ttl.getSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ttl must be 0 to " + Integer.MAX_VALUE + " seconds: " + ttl);
        }
        Record previous = records.put(key, new Record(address, (int) ttl.getSeconds()));
        LOG.info(
                "Test DNS {}: {} A {} ttl {} s{}",
                port(),
                key,
                ipv4,
                ttl.getSeconds(),
                previous == null ? "" : " (was " + previous.text() + ")");
    }

    /** Removes the record of {@code name}: from the next query on it is NXDOMAIN again. */
    public void remove(String name) {
        records.remove(normalize(name));
    }

    /**
     * How many {@code A} (or {@code ANY}) queries for {@code name} arrived since start, whether or not it had a record:
     * how often a client resolved it.
     */
    public long queries(String name) {
        AtomicLong count = aQueries.get(normalize(name));
        return count == null ? 0 : count.get();
    }

    /** Where the server listens: {@code 127.0.0.1} and its port, for the client's resolver configuration. */
    public InetSocketAddress address() {
        return new InetSocketAddress(socket.getLocalAddress(), port());
    }

    /** The UDP port. */
    public int port() {
        return socket.getLocalPort();
    }

    /** Closes the socket and waits (up to 2 s) for the server thread to end. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        socket.close();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the server thread is still running; false once {@link #close()} has returned. For leak tests. */
    boolean isServing() {
        return thread.isAlive();
    }

    @Override
    public String toString() {
        return "TestDnsServer[" + HOST + ":" + port() + ", " + records.size() + " name(s)]";
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("Test DNS server on port " + port() + " is closed");
        }
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!closed.get()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                if (!closed.get()) {
                    LOG.warn("Test DNS server on port {}: receive failed: {}", port(), e.toString());
                }
                continue;
            }
            byte[] reply;
            try {
                reply = respond(Arrays.copyOf(packet.getData(), packet.getLength()));
            } catch (RuntimeException e) {
                LOG.warn("Test DNS server on port {}: cannot answer a query: {}", port(), e.toString());
                continue;
            }
            if (reply == null) {
                continue;
            }
            try {
                socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (!closed.get()) {
                    LOG.debug("Test DNS server on port {}: send failed: {}", port(), e.toString());
                }
            }
        }
    }

    /** The reply to one query, or null when it is not worth one (too short for a header, or itself a response). */
    private byte[] respond(byte[] query) {
        if (query.length < HEADER_LENGTH) {
            return null;
        }
        int flags = u16(query, 2);
        if ((flags & 0x8000) != 0) {
            return null; // a response, not a query: never answer it (no loops between two servers)
        }
        int opcode = (flags >> 11) & 0xF;
        if (opcode != 0) {
            return header(query, RCODE_NOTIMP, 0, 0);
        }
        if (u16(query, 4) != 1) {
            return header(query, RCODE_FORMERR, 0, 0);
        }
        Question question = parseQuestion(query);
        if (question == null) {
            return header(query, RCODE_FORMERR, 0, 0);
        }
        boolean asksForA = (question.type == TYPE_A || question.type == TYPE_ANY)
                && (question.klass == CLASS_IN || question.klass == CLASS_ANY);
        if (question.type == TYPE_A || question.type == TYPE_ANY) {
            aQueries.computeIfAbsent(question.name, k -> new AtomicLong()).incrementAndGet();
        }
        Record record = records.get(question.name);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        boolean withAnswer = record != null && asksForA;
        out.writeBytes(header(query, record == null ? RCODE_NXDOMAIN : 0, 1, withAnswer ? 1 : 0));
        out.writeBytes(question.wire);
        writeU16(out, question.type);
        writeU16(out, question.klass);
        if (withAnswer) {
            writeU16(out, 0xC000 | HEADER_LENGTH); // the name: a pointer to the question's
            writeU16(out, TYPE_A);
            writeU16(out, CLASS_IN);
            writeU16(out, record.ttlSeconds >>> 16);
            writeU16(out, record.ttlSeconds & 0xFFFF);
            writeU16(out, 4);
            out.writeBytes(record.address);
        }
        return out.toByteArray();
    }

    /** Header of a response to {@code query}: its id, QR and AA set, RD copied, counts as given (NS and AR 0). */
    private static byte[] header(byte[] query, int rcode, int questions, int answers) {
        int flags = 0x8000 | 0x0400 | (u16(query, 2) & 0x0100) | rcode;
        return new byte[] {
            query[0],
            query[1],
            (byte) (flags >> 8),
            (byte) flags,
            (byte) (questions >> 8),
            (byte) questions,
            (byte) (answers >> 8),
            (byte) answers,
            0,
            0,
            0,
            0
        };
    }

    /**
     * The question at offset 12: its name as uncompressed wire labels (original case, for the echo) and as a normalized
     * key, its type and class; null when malformed (truncated, bad label type, pointer loop).
     */
    private static Question parseQuestion(byte[] packet) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        StringBuilder name = new StringBuilder();
        int offset = HEADER_LENGTH;
        int end = -1; // where the question continues after its name: after the first pointer, or after the root label
        int jumps = 0;
        while (true) {
            if (offset >= packet.length) {
                return null;
            }
            int length = packet[offset] & 0xFF;
            if ((length & 0xC0) == 0xC0) {
                if (offset + 1 >= packet.length || ++jumps > MAX_POINTER_JUMPS) {
                    return null;
                }
                if (end < 0) {
                    end = offset + 2;
                }
                offset = ((length & 0x3F) << 8) | (packet[offset + 1] & 0xFF);
                continue;
            }
            if ((length & 0xC0) != 0) {
                return null; // 0x40 / 0x80: extended label types, obsolete
            }
            if (length == 0) {
                wire.write(0);
                if (end < 0) {
                    end = offset + 1;
                }
                break;
            }
            if (offset + 1 + length > packet.length || wire.size() + 1 + length > 255) {
                return null;
            }
            wire.write(packet, offset, 1 + length);
            if (name.length() > 0) {
                name.append('.');
            }
            name.append(new String(packet, offset + 1, length, StandardCharsets.ISO_8859_1));
            offset += 1 + length;
        }
        if (end + 4 > packet.length) {
            return null;
        }
        return new Question(
                wire.toByteArray(), name.toString().toLowerCase(Locale.ROOT), u16(packet, end), u16(packet, end + 2));
    }

    private static String normalize(String name) {
        Objects.requireNonNull(name, "name");
        String key = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        key = key.toLowerCase(Locale.ROOT);
        if (key.isEmpty() || key.length() > 253) {
            throw new IllegalArgumentException("DNS name must have 1 to 253 characters: '" + name + "'");
        }
        for (String label : key.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                throw new IllegalArgumentException("DNS name labels must have 1 to 63 characters: '" + name + "'");
            }
        }
        return key;
    }

    private static byte[] parseIpv4(String ipv4) {
        String[] parts = ipv4 == null ? new String[0] : ipv4.split("\\.", -1);
        byte[] address = new byte[4];
        boolean valid = parts.length == 4;
        for (int i = 0; valid && i < 4; i++) {
            String part = parts[i];
            valid = !part.isEmpty()
                    && part.length() <= 3
                    && part.chars().allMatch(c -> c >= '0' && c <= '9')
                    && Integer.parseInt(part) <= 255;
            if (valid) {
                address[i] = (byte) Integer.parseInt(part);
            }
        }
        if (!valid) {
            throw new IllegalArgumentException("ipv4 must be a dotted-quad address such as 127.0.0.2: " + ipv4);
        }
        return address;
    }

    private static int u16(byte[] data, int offset) {
        return ((data[offset] & 0xFF) << 8) | (data[offset + 1] & 0xFF);
    }

    private static void writeU16(ByteArrayOutputStream out, int value) {
        out.write(value >> 8);
        out.write(value);
    }

    private record Question(byte[] wire, String name, int type, int klass) {}

    private record Record(byte[] address, int ttlSeconds) {
        String text() {
            return (address[0] & 0xFF) + "." + (address[1] & 0xFF) + "." + (address[2] & 0xFF) + "."
                    + (address[3] & 0xFF) + " ttl " + ttlSeconds + " s";
        }
    }
}
