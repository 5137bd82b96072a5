package dev.redisintegration.testing.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.concurrent.atomic.AtomicInteger;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Raw DNS over UDP against the server: the packets a stub resolver sends, built byte by byte. */
@Timeout(30)
class TestDnsServerIT {

    private static final int A = 1;
    private static final int MX = 15;
    private static final int AAAA = 28;
    private static final AtomicInteger IDS = new AtomicInteger(0x1200);

    private TestDnsServer dns;
    private DatagramSocket client;

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.start();
        client = new DatagramSocket();
        client.setSoTimeout(2_000);
    }

    @AfterEach
    void stop() {
        client.close();
        dns.close();
    }

    @Test
    void answersAnAQueryAuthoritativelyWithAddressAndTtl() throws IOException {
        dns.answer("redis.test", "127.0.0.2", Duration.ofSeconds(7));
        byte[] query = query("redis.test", A, false);

        Reply reply = ask(query);

        assertThat(reply.id).isEqualTo(u16(query, 0));
        assertThat(reply.isResponse).isTrue();
        assertThat(reply.authoritative).isTrue();
        assertThat(reply.recursionDesired).as("RD copied from the query").isTrue();
        assertThat(reply.rcode).isZero();
        assertThat(reply.questions).isEqualTo(1);
        assertThat(reply.answers).isEqualTo(1);
        assertThat(reply.question).as("question echoed").isEqualTo(questionBytes(query));
        assertThat(reply.address).isEqualTo("127.0.0.2");
        assertThat(reply.ttl).isEqualTo(7);
        assertThat(dns.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(dns.address().getPort()).isEqualTo(dns.port()).isPositive();
    }

    @Test
    void theJdksOwnDnsResolverReadsItsAnswers() throws NamingException {
        dns.answer("redis.test", "127.0.0.2", Duration.ofSeconds(1));
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(Context.PROVIDER_URL, "dns://127.0.0.1:" + dns.port());
        env.put("com.sun.jndi.dns.timeout.initial", "2000");
        env.put("com.sun.jndi.dns.timeout.retries", "1");
        DirContext resolver = new InitialDirContext(env);
        try {
            assertThat(resolver.getAttributes("redis.test", new String[] {"A"})
                            .get("A")
                            .get())
                    .isEqualTo("127.0.0.2");
            assertThat(resolver.getAttributes("redis.test", new String[] {"AAAA"})
                            .size())
                    .isZero();
            assertThatThrownBy(() -> resolver.getAttributes("nowhere.test", new String[] {"A"}))
                    .isInstanceOf(NameNotFoundException.class);
            assertThat(dns.queries("redis.test")).isEqualTo(1);
        } finally {
            resolver.close();
        }
    }

    @Test
    void aChangedRecordIsAnsweredFromTheNextQuery() throws IOException {
        dns.answer("redis.test", "127.0.0.2", Duration.ofSeconds(1));
        assertThat(ask(query("redis.test", A, false)).address).isEqualTo("127.0.0.2");

        dns.answer("redis.test", "127.0.0.3", Duration.ZERO);

        Reply reply = ask(query("redis.test", A, false));
        assertThat(reply.address).isEqualTo("127.0.0.3");
        assertThat(reply.ttl).isZero();
    }

    @Test
    void namesAreCaseInsensitiveWithOrWithoutTrailingDotAndTheQuestionKeepsItsCase() throws IOException {
        dns.answer("Redis.Test.", "127.0.0.2", Duration.ofSeconds(1));
        byte[] query = query("REDIS.test", A, false);

        Reply reply = ask(query);

        assertThat(reply.address).isEqualTo("127.0.0.2");
        assertThat(new String(reply.question, StandardCharsets.US_ASCII)).contains("REDIS");
        assertThat(dns.queries("redis.TEST.")).isEqualTo(1);
    }

    @Test
    void otherTypesOfAKnownNameGetAnEmptyNoErrorAnswer() throws IOException {
        dns.answer("redis.test", "127.0.0.2", Duration.ofSeconds(1));

        for (int type : new int[] {AAAA, MX}) {
            Reply reply = ask(query("redis.test", type, false));
            assertThat(reply.rcode).as("type %d", type).isZero();
            assertThat(reply.answers).as("type %d", type).isZero();
            assertThat(reply.authoritative).isTrue();
        }
    }

    @Test
    void unknownAndRemovedNamesAreNxdomain() throws IOException {
        assertThat(ask(query("nowhere.test", A, false)).rcode).isEqualTo(3);
        assertThat(ask(query("nowhere.test", AAAA, false)).rcode).isEqualTo(3);

        dns.answer("gone.test", "127.0.0.2", Duration.ofSeconds(1));
        dns.remove("gone.test");

        Reply reply = ask(query("gone.test", A, false));
        assertThat(reply.rcode).isEqualTo(3);
        assertThat(reply.answers).isZero();
    }

    @Test
    void queriesCountsAQueriesOfANameWhetherOrNotItExists() throws IOException {
        dns.answer("redis.test", "127.0.0.2", Duration.ofSeconds(1));

        ask(query("redis.test", A, false));
        ask(query("redis.test", A, false));
        ask(query("redis.test", AAAA, false));
        ask(query("other.test", A, false));

        assertThat(dns.queries("redis.test")).isEqualTo(2);
        assertThat(dns.queries("other.test")).isEqualTo(1);
        assertThat(dns.queries("never.test")).isZero();
    }

    @Test
    void anEdnsOptRecordInTheQueryIsIgnored() throws IOException {
        dns.answer("redis.test", "127.0.0.2", Duration.ofSeconds(1));

        Reply reply = ask(query("redis.test", A, true));

        assertThat(reply.rcode).isZero();
        assertThat(reply.address).isEqualTo("127.0.0.2");
    }

    @Test
    void aCompressionPointerInTheQuestionNameIsFollowed() throws IOException {
        dns.answer("redis.test", "127.0.0.2", Duration.ofSeconds(1));
        // Question name "redis" + pointer to "test" placed after the question (an odd but legal encoding).
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.writeBytes(header(IDS.incrementAndGet(), 1, 0));
        int pointerTarget = 12 + 6 + 2 + 4; // header, "\5redis", pointer, type and class
        packet.writeBytes(new byte[] {5, 'r', 'e', 'd', 'i', 's', (byte) 0xC0, (byte) pointerTarget});
        packet.writeBytes(new byte[] {0, A, 0, 1});
        packet.writeBytes(new byte[] {4, 't', 'e', 's', 't', 0});

        Reply reply = ask(packet.toByteArray());

        assertThat(reply.rcode).isZero();
        assertThat(reply.address).isEqualTo("127.0.0.2");
        assertThat(new String(reply.question, StandardCharsets.US_ASCII))
                .contains("redis")
                .contains("test");
    }

    @Test
    void malformedQueriesGetFormerrOrNothingAndTheServerKeepsServing() throws IOException {
        dns.answer("redis.test", "127.0.0.2", Duration.ofSeconds(1));
        send(new byte[] {1, 2, 3}); // too short for a header: no reply
        byte[] pointerLoop = concat(header(IDS.incrementAndGet(), 1, 0), new byte[] {(byte) 0xC0, 12, 0, 1, 0, 1});
        byte[] truncated = concat(header(IDS.incrementAndGet(), 1, 0), new byte[] {5, 'r', 'e'});
        byte[] twoQuestions = concat(header(IDS.incrementAndGet(), 2, 0), questionBytes(query("redis.test", A, false)));

        assertThat(ask(pointerLoop).rcode).isEqualTo(1);
        assertThat(ask(truncated).rcode).isEqualTo(1);
        assertThat(ask(twoQuestions).rcode).isEqualTo(1);
        assertThat(ask(query("redis.test", A, false)).address)
                .as("still serving")
                .isEqualTo("127.0.0.2");
    }

    @Test
    void invalidRecordsAreRejected() {
        Duration ttl = Duration.ofSeconds(1);
        assertThatThrownBy(() -> dns.answer("redis.test", "127.0.0", ttl))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dotted-quad");
        assertThatThrownBy(() -> dns.answer("redis.test", "redis.example", ttl))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dns.answer("redis.test", "127.0.0.256", ttl))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dns.answer("redis..test", "127.0.0.2", ttl))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dns.answer("redis.test", "127.0.0.2", Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ttl");
    }

    @Test
    void closeEndsTheServerThreadAndIsIdempotent() {
        dns.close();
        dns.close();

        assertThat(dns.isServing()).isFalse();
        assertThat(Thread.getAllStackTraces().keySet())
                .extracting(Thread::getName)
                .doesNotContain("test-dns-" + dns.port());
        assertThatThrownBy(() -> dns.answer("redis.test", "127.0.0.2", Duration.ZERO))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    // ---- a minimal stub resolver ----

    private static byte[] query(String name, int type, boolean edns) {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.writeBytes(header(IDS.incrementAndGet(), 1, edns ? 1 : 0));
        for (String label : name.split("\\.")) {
            packet.write(label.length());
            packet.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        packet.write(0);
        packet.writeBytes(new byte[] {(byte) (type >> 8), (byte) type, 0, 1});
        if (edns) {
            // OPT: root name, type 41, class = UDP payload size 1232, TTL 0 (extended rcode, version, DO), no data
            packet.writeBytes(new byte[] {0, 0, 41, 0x04, (byte) 0xD0, 0, 0, 0, 0, 0, 0});
        }
        return packet.toByteArray();
    }

    /** A query header: the id, RD set, {@code questions} and {@code additional} counts. */
    private static byte[] header(int id, int questions, int additional) {
        return new byte[] {(byte) (id >> 8), (byte) id, 0x01, 0, 0, (byte) questions, 0, 0, 0, 0, 0, (byte) additional};
    }

    /** The question section of a query built by {@link #query}: name, type and class. */
    private static byte[] questionBytes(byte[] query) {
        int end = 12;
        while (query[end] != 0) {
            end += 1 + query[end];
        }
        return Arrays.copyOfRange(query, 12, end + 5);
    }

    private void send(byte[] packet) throws IOException {
        client.send(new DatagramPacket(packet, packet.length, dns.address()));
    }

    private Reply ask(byte[] query) throws IOException {
        send(query);
        byte[] buffer = new byte[512];
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            client.receive(packet); // SocketTimeoutException after 2 s fails the test
            byte[] data = Arrays.copyOf(packet.getData(), packet.getLength());
            if (u16(data, 0) == u16(query, 0)) {
                return new Reply(data);
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static int u16(byte[] data, int offset) {
        return ((data[offset] & 0xFF) << 8) | (data[offset + 1] & 0xFF);
    }

    /** The fields of a response these tests look at; the answer is read only when there is exactly one. */
    private static final class Reply {
        final int id;
        final boolean isResponse;
        final boolean authoritative;
        final boolean recursionDesired;
        final int rcode;
        final int questions;
        final int answers;
        final byte[] question;
        final String address;
        final long ttl;

        Reply(byte[] data) {
            id = u16(data, 0);
            int flags = u16(data, 2);
            isResponse = (flags & 0x8000) != 0;
            authoritative = (flags & 0x0400) != 0;
            recursionDesired = (flags & 0x0100) != 0;
            rcode = flags & 0xF;
            questions = u16(data, 4);
            answers = u16(data, 6);
            int offset = 12;
            if (questions == 1) {
                while (data[offset] != 0) {
                    offset += 1 + data[offset];
                }
                offset += 5;
            }
            question = Arrays.copyOfRange(data, 12, offset);
            if (answers == 1) {
                assertThat(u16(data, offset))
                        .as("answer name: a pointer to the question")
                        .isEqualTo(0xC00C);
                assertThat(u16(data, offset + 2)).as("answer type A").isEqualTo(A);
                assertThat(u16(data, offset + 4)).as("answer class IN").isEqualTo(1);
                ttl = ((long) u16(data, offset + 6) << 16) | u16(data, offset + 8);
                assertThat(u16(data, offset + 10)).as("rdlength").isEqualTo(4);
                address = (data[offset + 12] & 0xFF) + "." + (data[offset + 13] & 0xFF) + "."
                        + (data[offset + 14] & 0xFF) + "." + (data[offset + 15] & 0xFF);
            } else {
                ttl = -1;
                address = null;
            }
        }
    }
}
