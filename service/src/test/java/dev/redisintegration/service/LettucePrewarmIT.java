package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link LettucePrewarm} prepares Lettuce's synchronous API for exactly the interfaces a standalone connection uses,
 * and a connection made afterwards works through what it prepared.
 */
@ExtendWith(RedisServerExtension.class)
class LettucePrewarmIT {

    RedisServer redis;

    @Test
    void thePreparedInterfacesAreTheConnectionsAndItsSyncApiWorks() {
        LettucePrewarm.generateSyncProxyClass();
        RedisClient client = RedisClient.create(RedisURI.create("redis://" + redis.endpoint()));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> sync = connection.sync();
            assertThat(Proxy.isProxyClass(sync.getClass())).isTrue();
            assertThat(sync.getClass().getInterfaces())
                    .as("the interfaces of StatefulRedisConnectionImpl's sync API, in order")
                    .containsExactly(LettucePrewarm.SYNC_INTERFACES);
            assertThat(sync.ping()).isEqualTo("PONG");
            sync.set("lettuce-prewarm", "1");
            assertThat(sync.get("lettuce-prewarm")).isEqualTo("1");
            assertThat(sync.role()).isNotEmpty();
        } finally {
            client.shutdown();
        }
    }
}
