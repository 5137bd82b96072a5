package dev.redisintegration.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.RedisServerExtension;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The latency hook takes Lettuce's own recorder type, so a metrics library plugs in without a dependency here. */
@ExtendWith(RedisServerExtension.class)
class CommandLatencyIT {

    @Test
    void everyCommandOfTheSharedConnectionIsRecordedByTypeAndTheRecorderOutlivesTheManager(RedisServer redis)
            throws Exception {
        List<String> recorded = new CopyOnWriteArrayList<>();
        CommandLatencyRecorder recorder = new CommandLatencyRecorder() {
            @Override
            public void recordCommandLatency(
                    SocketAddress local,
                    SocketAddress remote,
                    ProtocolKeyword commandType,
                    long firstResponseLatency,
                    long completionLatency) {
                recorded.add(commandType.toString());
            }
        };
        try (RedisConnectionManager manager = RedisConnectionManager.create(
                RedisSettings.builder().endpoint(redis.endpoint()).build(), recorder)) {
            manager.getClient()
                    .thenCompose(commands -> commands.set("k", "v"))
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            manager.getClient()
                    .thenCompose(commands -> commands.get("k"))
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        }

        assertThat(recorded).contains("SET", "GET");
    }
}
