package dev.redisintegration.redis;

import static dev.redisintegration.redis.ItSupport.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.redisintegration.testing.redis.RedisServer;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code openDedicatedConnection}: a connection of the caller's own, RESP3, to the shared connection's node, that never
 * reconnects behind the caller's back and says once that it is gone.
 */
class DedicatedConnectionIT {

    @Test
    void itIsTheCallersOwnAndSpeaksResp3() throws Exception {
        try (RedisServer redis = RedisServer.start();
                RedisConnectionManager manager = manager(redis)) {
            StatefulRedisConnection<String, String> connection = result(manager.openDedicatedConnection(() -> {}));

            assertThat(result(connection.async().ping())).isEqualTo("PONG");
            assertThat(result(connection.async().clientInfo())).contains(" resp=3");
            assertThat(redis.clientList()).hasSize(2); // the shared connection opened for AUTO mode, and this one
        }
    }

    @Test
    void whenTheServerGoesItSaysSoOnceAndDoesNotReconnect() throws Exception {
        try (RedisServer redis = RedisServer.start();
                RedisConnectionManager manager = manager(redis)) {
            AtomicInteger told = new AtomicInteger();
            StatefulRedisConnection<String, String> connection =
                    result(manager.openDedicatedConnection(told::incrementAndGet));

            redis.restart();

            await().atMost(Duration.ofSeconds(10)).until(() -> told.get() == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> result(manager.ping())); // the shared one reconnects
            assertThat(connection.isOpen()).isFalse();
            assertThat(redis.clientList()).hasSize(1); // only the shared one
            assertThat(told).hasValue(1);
        }
    }

    @Test
    void closingTheManagerClosesItAndTellsOnce() throws Exception {
        AtomicInteger told = new AtomicInteger();
        StatefulRedisConnection<String, String> connection;
        try (RedisServer redis = RedisServer.start();
                RedisConnectionManager manager = manager(redis)) {
            connection = result(manager.openDedicatedConnection(told::incrementAndGet));
            manager.close();

            assertThat(connection.isOpen()).isFalse();
            await().atMost(Duration.ofSeconds(5)).until(() -> told.get() == 1);
            assertThatThrownBy(() -> manager.openDedicatedConnection(() -> {}))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
    }

    @Test
    void aClusterHasNoSingleNodeForIt() {
        try (RedisConnectionManager manager = RedisConnectionManager.create(RedisSettings.builder()
                .endpoint("localhost:7000")
                .mode(RedisMode.CLUSTER)
                .build())) {
            assertThatThrownBy(() -> manager.openDedicatedConnection(() -> {}))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("standalone and Sentinel mode only");
        }
    }

    @Test
    void redisDownFailsWithinTheConnectTimeout() {
        try (RedisServer redis = RedisServer.start()) {
            String endpoint = redis.endpoint();
            redis.stop();
            try (RedisConnectionManager manager = RedisConnectionManager.create(RedisSettings.builder()
                    .endpoint(endpoint)
                    .mode(RedisMode.STANDALONE)
                    .connectTimeout(Duration.ofMillis(500))
                    .build())) {
                assertThatThrownBy(() -> result(manager.openDedicatedConnection(() -> {})))
                        .hasRootCauseInstanceOf(java.net.ConnectException.class);
            }
        }
    }

    private static RedisConnectionManager manager(RedisServer redis) {
        return RedisConnectionManager.create(RedisSettings.builder()
                .endpoint(redis.endpoint())
                .connectTimeout(Duration.ofSeconds(10))
                .build());
    }
}
