package dev.redisintegration.testing.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisServerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisServerExtensionIT {

    private static RedisServer staticField;
    private static RedisServer fromBeforeAll;
    private static int port;
    private RedisServer instanceField;

    @BeforeAll
    static void beforeAll(RedisServer redis) {
        fromBeforeAll = redis;
        port = redis.port();
    }

    @AfterAll
    static void serverStillUsableInAfterAll() {
        assertThat(staticField.command("PING")).isEqualTo("PONG");
    }

    @Test
    @Order(1)
    void injectsOneServerPerClassIntoParametersAndFields(RedisServer redis) {
        assertThat(redis.port()).isNotEqualTo(6379).isEqualTo(port);
        assertThat(redis).isSameAs(fromBeforeAll).isSameAs(staticField).isSameAs(instanceField);
        assertThat(redis.command("PING")).isEqualTo("PONG");
    }

    @Test
    @Order(2)
    void aTestThatLeavesTheServerPausedWithData(RedisServer redis) {
        redis.command("SET", "leftover", "1");
        redis.pause();
    }

    @Test
    @Order(3)
    void theNextTestGetsAnAnsweringEmptyServer(RedisServer redis) {
        assertThat(redis.isPaused()).isFalse();
        assertThat(redis.command("GET", "leftover")).isNull();
        assertThat(redis.commandCount("set")).isZero();
    }

    @Test
    @Order(4)
    void aTestThatStopsTheServer(RedisServer redis) {
        redis.stop();
    }

    @Test
    @Order(5)
    void theNextTestGetsItRestartedOnTheSamePort(RedisServer redis) {
        assertThat(redis.isRunning()).isTrue();
        assertThat(redis.port()).isEqualTo(port);
        assertThat(redis.command("PING")).isEqualTo("PONG");
    }

    @Test
    @Order(6)
    void aTestThatMakesTheServerAReplica(RedisServer redis) {
        try (RedisServer other = RedisServer.start()) {
            redis.replicaOf(other);
            assertThat(redis.role()).isEqualTo("slave");
        }
    }

    @Test
    @Order(7)
    void theNextTestGetsAPrimaryAgain(RedisServer redis) {
        assertThat(redis.role()).isEqualTo("master");
        assertThat(redis.command("SET", "k", "v")).isEqualTo("OK");
    }

    @Nested
    class NestedTests {
        @Test
        void shareTheEnclosingClassServer(RedisServer redis) {
            assertThat(redis).isSameAs(staticField);
            assertThat(redis.command("PING")).isEqualTo("PONG");
        }
    }
}
