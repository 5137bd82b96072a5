package dev.redisintegration.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.redisintegration.redis.RedisConnectionManager;
import dev.redisintegration.redis.RedisSettings;
import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The near cache's bookkeeping with tracking on (a real server): a reply is kept only if nothing invalidated its key
 * or flushed the cache after its ticket was taken; the bound holds; an expired entry is not served.
 */
@ExtendWith(RedisServerExtension.class)
class NearCacheTicketIT {

    private static final long NOW = 1_000_000;
    private static final Entry ENTRY = new Entry("v".getBytes(StandardCharsets.UTF_8), NOW + 60_000, 5);

    private RedisConnectionManager manager;
    private NearCache near;

    @BeforeEach
    void trackingOn(RedisServer redis) {
        manager = RedisConnectionManager.create(
                RedisSettings.builder().endpoint(redis.endpoint()).build());
        near = new NearCache(manager, "ns", 10, System::nanoTime);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            near.get("ns:warm-up", NOW); // sets tracking up in the background
            return near.active();
        });
    }

    @AfterEach
    void close() {
        near.close();
        manager.close();
    }

    @Test
    void aReplyWithNothingInBetweenIsKept() {
        NearCache.Ticket ticket = near.ticket("ns:k");
        near.offer("ns:k", ticket, ENTRY);

        assertThat(near.get("ns:k", NOW)).isEqualTo(ENTRY);
        assertThat(near.hits()).isEqualTo(1);
    }

    @Test
    void aReplyWhoseKeyWasInvalidatedAfterItsTicketIsNotKept() {
        NearCache.Ticket ticket = near.ticket("ns:k");
        near.invalidate("ns:k"); // a write that Redis ran after the GET, reported before the GET's reply arrived
        near.offer("ns:k", ticket, ENTRY);

        assertThat(near.get("ns:k", NOW)).isNull();
    }

    @Test
    void aReplyFromBeforeAFlushIsNotKept() {
        NearCache.Ticket ticket = near.ticket("ns:k");
        near.flush();
        near.offer("ns:k", ticket, ENTRY);

        assertThat(near.get("ns:k", NOW)).isNull();
    }

    @Test
    void anInvalidationOfAnotherKeyDoesNotMatter() {
        NearCache.Ticket ticket = near.ticket("ns:k");
        near.invalidate("ns:other");
        near.offer("ns:k", ticket, ENTRY);

        assertThat(near.get("ns:k", NOW)).isEqualTo(ENTRY);
    }

    @Test
    void anExpiredEntryIsNotServed() {
        near.offer("ns:k", near.ticket("ns:k"), ENTRY);

        assertThat(near.get("ns:k", ENTRY.expiresAtMillis())).isNull();
        assertThat(near.size()).isZero();
    }

    @Test
    void theBoundHolds() {
        for (int i = 0; i < 50; i++) {
            near.offer("ns:k" + i, near.ticket("ns:k" + i), ENTRY);
        }

        assertThat(near.size()).isBetween(1, 10);
    }

    @Test
    void closedItServesNothing() {
        near.offer("ns:k", near.ticket("ns:k"), ENTRY);
        near.close();

        assertThat(near.active()).isFalse();
        assertThat(near.get("ns:k", NOW)).isNull();
        assertThat(near.ticket("ns:k")).isNull();
    }
}
