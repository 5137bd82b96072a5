package dev.redisintegration.redis;

import static dev.redisintegration.redis.ItSupport.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.redisintegration.testing.redis.FreePorts;
import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.TestDnsServer;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The endpoint as a real host name, answered by an in-process DNS server whose A record moves from one node to the
 * other (same port, two loopback addresses) with a TTL of an hour, as a managed endpoint's record may have. The
 * manager must see the move within {@code REDIS_DNS_MAX_TTL}, not the record's TTL.
 */
class DnsMoveIT {

    private static final String NAME = "primary.failover.test";
    private static final Duration RECORD_TTL = Duration.ofHours(1);

    private final Closer closer = new Closer();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    @Test
    void aDemotedPrimaryIsLeftForTheAddressTheNameMovedTo() throws Exception {
        int port = FreePorts.pick();
        RedisServer first = closer.add(
                RedisServer.builder().bindAddress("127.0.0.2").port(port).build());
        RedisServer second = closer.add(RedisServer.builder()
                .bindAddress("127.0.0.3")
                .port(port)
                .replicaOf(first)
                .build());
        TestDnsServer dns = closer.add(TestDnsServer.start());
        dns.answer(NAME, "127.0.0.2", RECORD_TTL);
        RedisSettings settings = RedisSettings.builder()
                .host(NAME)
                .port(port)
                .clientName("dns-move-it")
                .dnsMaxTtl(Duration.ofSeconds(1))
                .verifyInterval(Duration.ofSeconds(1))
                .build();
        RedisConnectionManager manager = closer.add(RedisConnectionManager.create(settings, dns.address()));
        List<ConnectionStateEvent> events = new CopyOnWriteArrayList<>();
        manager.subscribe(events::add);
        RedisClusterAsyncCommands<String, String> kept = result(manager.getClient());
        result(kept.set("k", "on the first node"));
        long queriesBefore = dns.queries(NAME);

        second.promote();
        dns.answer(NAME, "127.0.0.3", RECORD_TTL);
        first.replicaOf(second);

        await().atMost(Duration.ofSeconds(8))
                .until(() -> events.stream().anyMatch(event -> event.state() == ConnectionState.MOVED));
        ConnectionStateEvent moved = events.stream()
                .filter(event -> event.state() == ConnectionState.MOVED)
                .findFirst()
                .orElseThrow();
        assertThat(moved.detail()).contains("from 127.0.0.2:" + port).contains("to 127.0.0.3:" + port);
        result(kept.set("k", "on the second node"));
        assertThat(second.command("GET", "k")).isEqualTo("on the second node");
        assertThat(dns.queries(NAME))
                .as("the name was asked again despite its one-hour TTL")
                .isGreaterThan(queriesBefore);
        assertThat(manager.stats().moves()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void withoutTheCapAnHourLongRecordWouldBeReusedAndTheMoveNotSeen() throws Exception {
        int port = FreePorts.pick();
        RedisServer first = closer.add(
                RedisServer.builder().bindAddress("127.0.0.2").port(port).build());
        RedisServer second = closer.add(
                RedisServer.builder().bindAddress("127.0.0.3").port(port).build());
        TestDnsServer dns = closer.add(TestDnsServer.start());
        dns.answer(NAME, "127.0.0.2", RECORD_TTL);
        RedisSettings settings = RedisSettings.builder()
                .host(NAME)
                .port(port)
                .clientName("dns-ttl-it")
                .dnsMaxTtl(RECORD_TTL)
                .build();
        RedisConnectionManager manager = closer.add(RedisConnectionManager.create(settings, dns.address()));
        RedisClusterAsyncCommands<String, String> kept = result(manager.getClient());

        dns.answer(NAME, "127.0.0.3", RECORD_TTL);
        first.restart(); // the socket drops; Lettuce reconnects, resolving the name from its cache

        await().atMost(Duration.ofSeconds(5))
                .ignoreExceptions()
                .until(() -> "OK".equals(kept.set("k", "v").get(1, TimeUnit.SECONDS)));
        assertThat(first.command("GET", "k"))
                .as("still the old address: the record's TTL was honoured")
                .isEqualTo("v");
        assertThat(second.command("GET", "k")).isNull();
    }
}
