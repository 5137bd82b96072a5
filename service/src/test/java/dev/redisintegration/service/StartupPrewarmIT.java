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
 * What {@link StartupPrewarm} prepares is what the service later uses: Micronaut's request event class exists under
 * the name it initialises, and Lettuce's synchronous API is prepared for exactly the interfaces a standalone
 * connection uses, and a connection made afterwards works through it.
 */
@ExtendWith(RedisServerExtension.class)
class StartupPrewarmIT {

    RedisServer redis;

    @Test
    void theLettuceClassesItInitialisesAreThere() {
        assertThat(StartupPrewarm.initialiseLettuceClasses()).isTrue();
    }

    @Test
    void theRequestEventItInitialisesIsMicronautsJfrEventForHttp1Requests() throws Exception {
        assertThat(StartupPrewarm.initialiseRequestEvent()).isTrue();
        assertThat(Class.forName(StartupPrewarm.REQUEST_EVENT_CLASS)).isAssignableTo(jdk.jfr.Event.class);
    }

    @Test
    void thePreparedInterfacesAreTheConnectionsAndItsSyncApiWorks() {
        StartupPrewarm.generateSyncProxyClass();
        RedisClient client = RedisClient.create(RedisURI.create("redis://" + redis.endpoint()));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> sync = connection.sync();
            assertThat(Proxy.isProxyClass(sync.getClass())).isTrue();
            assertThat(sync.getClass().getInterfaces())
                    .as("the interfaces of StatefulRedisConnectionImpl's sync API, in order")
                    .containsExactly(StartupPrewarm.SYNC_INTERFACES);
            assertThat(sync.ping()).isEqualTo("PONG");
            sync.set("startup-prewarm", "1");
            assertThat(sync.get("startup-prewarm")).isEqualTo("1");
            assertThat(sync.role()).isNotEmpty();
        } finally {
            client.shutdown();
        }
    }
}
