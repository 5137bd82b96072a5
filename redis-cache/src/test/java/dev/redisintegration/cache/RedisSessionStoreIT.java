package dev.redisintegration.cache;

import static dev.redisintegration.cache.CacheItSupport.connected;
import static dev.redisintegration.cache.CacheItSupport.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.redisintegration.cache.CacheItSupport.TestClock;
import dev.redisintegration.redis.RedisConnectionManager;
import dev.redisintegration.testing.LogCapture;
import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.RedisServerExtension;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sessions against a real Redis: ids, CAS conflicts, sliding and absolute expiry, rotation, size bound, fail-fast. */
@ExtendWith(RedisServerExtension.class)
class RedisSessionStoreIT {

    RedisServer redis;
    RedisConnectionManager manager;

    @BeforeEach
    void connect() throws Exception {
        manager = connected(redis.endpoint());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** A deadline far above a loaded machine's hiccups; the fail-fast test uses the default. */
    private RedisSessionStore.Builder sessions() {
        return RedisSessionStore.builder(manager).deadline(Duration.ofSeconds(5));
    }

    @Test
    void idsAre128RandomBitsUrlSafe() throws Exception {
        RedisSessionStore store = sessions().build();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ids.add(result(store.create(Map.of())).id());
        }
        assertThat(ids).hasSize(200).allMatch(id -> id.matches("[A-Za-z0-9_-]{22}"));
    }

    @Test
    void aConflictingUpdateIsRefusedNotOverwritten() throws Exception {
        RedisSessionStore store = sessions().build();
        Session created = result(store.create(Map.of("user", "ada")));
        Session first = result(store.get(created.id())).orElseThrow();
        Session second = result(store.get(created.id())).orElseThrow();

        SessionUpdate won = result(store.update(first, Map.of("user", "ada", "cart", "1")));
        SessionUpdate lost = result(store.update(second, Map.of("user", "eve")));

        assertThat(won.status()).isEqualTo(SessionUpdate.Status.UPDATED);
        assertThat(won.session().orElseThrow().version()).isEqualTo(2);
        assertThat(lost.status()).isEqualTo(SessionUpdate.Status.CONFLICT);
        assertThat(lost.session()).isEmpty();
        assertThat(result(store.get(created.id())).orElseThrow().attributes())
                .isEqualTo(Map.of("user", "ada", "cart", "1"));
        assertThat(result(store.update(won.session().orElseThrow(), Map.of("user", "ada")))
                        .status())
                .isEqualTo(SessionUpdate.Status.UPDATED);
    }

    @Test
    void readsSlideTheIdleExpiryAndAnUnreadSessionExpires() throws Exception {
        RedisSessionStore store = sessions()
                .idleTimeout(Duration.ofSeconds(1))
                .absoluteTimeout(Duration.ofHours(1))
                .build();
        Session session = result(store.create(Map.of("user", "ada")));
        String key = "session:" + session.id();
        redis.command("PEXPIRE", key, "300"); // as if 700 ms had passed without a read

        assertThat(result(store.get(session.id()))).isPresent();
        assertThat(Long.parseLong(redis.command("PTTL", key))).isBetween(800L, 1000L);

        await().atMost(Duration.ofSeconds(5))
                .until(() -> redis.command("EXISTS", key).equals("0"));
        assertThat(result(store.get(session.id()))).isEmpty();
        assertThat(result(store.update(session, Map.of())).status()).isEqualTo(SessionUpdate.Status.NOT_FOUND);
    }

    @Test
    void noSessionOutlivesItsAbsoluteLifetime() throws Exception {
        TestClock clock = new TestClock(System.currentTimeMillis());
        RedisSessionStore store = sessions()
                .idleTimeout(Duration.ofMinutes(30))
                .absoluteTimeout(Duration.ofHours(1))
                .clock(clock)
                .build();
        Session session = result(store.create(Map.of("user", "ada")));

        clock.advance(Duration.ofMinutes(50).toMillis());
        assertThat(result(store.get(session.id()))).isPresent();
        assertThat(Long.parseLong(redis.command("PTTL", "session:" + session.id())))
                .isBetween(
                        Duration.ofMinutes(9).toMillis(), Duration.ofMinutes(10).toMillis());

        clock.advance(Duration.ofMinutes(10).toMillis());
        assertThat(result(store.get(session.id()))).isEmpty();
        assertThat(redis.command("EXISTS", "session:" + session.id())).isEqualTo("0");
    }

    @Test
    void rotationMovesTheSessionToANewIdAndTheOldOneStopsWorking() throws Exception {
        RedisSessionStore store = sessions().build();
        Session session = result(store.create(Map.of("user", "ada")));

        Session rotated = result(store.rotate(session.id())).orElseThrow();

        assertThat(rotated.id()).isNotEqualTo(session.id());
        assertThat(rotated.attributes()).isEqualTo(session.attributes());
        assertThat(rotated.createdAt()).isEqualTo(session.createdAt());
        assertThat(result(store.get(session.id()))).isEmpty();
        assertThat(result(store.get(rotated.id())).orElseThrow().version()).isEqualTo(2);
        assertThat(result(store.update(session, Map.of())).status()).isEqualTo(SessionUpdate.Status.NOT_FOUND);
        assertThat(result(store.delete(rotated.id()))).isTrue();
        assertThat(result(store.get(rotated.id()))).isEmpty();
    }

    @Test
    void attributesOverTheBoundAreRefused() throws Exception {
        RedisSessionStore store = sessions().maxAttributeBytes(10).build();

        assertThatThrownBy(() -> store.create(Map.of("user", "0123456")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "session attributes are 11 bytes (names and values, UTF-8), more than the limit of 10 bytes "
                                + "(maxAttributeBytes)");
        assertThat(redis.command("DBSIZE")).isEqualTo("0");
    }

    @Test
    void withRedisPausedEveryCallFailsFastWithAClearErrorAndNoId() throws Exception {
        RedisSessionStore store = RedisSessionStore.builder(manager).build(); // the default deadline
        Session session = result(store.create(Map.of("user", "ada")));
        try (LogCapture logs = LogCapture.start()) {
            redis.pause();
            long started = System.nanoTime();
            assertThatThrownBy(
                            () -> store.get(session.id()).toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(SessionStoreException.class)
                    .hasMessage("could not read a session in namespace 'session': Redis did not answer within 500 ms");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                    .isLessThan(500 + 300);
            assertThat(logs.text()).doesNotContain(session.id());
        } finally {
            redis.resume();
        }
        assertThat(session.toString()).doesNotContain(session.id()).contains("id=****");
    }
}
