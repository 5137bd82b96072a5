package dev.redisintegration.cache.internal;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ByteArrayOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.concurrent.CompletableFuture;

/**
 * Binary-safe {@code GET} / {@code SET} over the shared connection of redis-client. The connection's codec is UTF-8
 * text, but a value must never pass through it (a byte sequence that is not UTF-8 would be mangled). Lettuce's
 * {@code dispatch} takes its own arguments and output: the value goes out as raw bytes ({@link CommandArgs#add(byte[])})
 * and comes back as raw bytes ({@link ByteArrayOutput} copies the reply without decoding), while the key is text. In a
 * cluster, {@code dispatch} is routed by the key's slot like any keyed command.
 */
public final class BinaryCommands {

    private static final StringCodec KEYS = StringCodec.UTF8;

    private BinaryCommands() {}

    /** {@code GET key}: the raw bytes, or {@code null} when the key does not exist. */
    public static CompletableFuture<byte[]> get(RedisClusterAsyncCommands<String, String> commands, String key) {
        return commands.dispatch(CommandType.GET, new ByteArrayOutput<>(KEYS), new CommandArgs<>(KEYS).addKey(key))
                .toCompletableFuture();
    }

    /** {@code SET key value PX millis}. */
    public static CompletableFuture<String> set(
            RedisClusterAsyncCommands<String, String> commands, String key, byte[] value, long millis) {
        return commands.dispatch(
                        CommandType.SET,
                        new StatusOutput<>(KEYS),
                        new CommandArgs<>(KEYS).addKey(key).add(value).add("PX").add(millis))
                .toCompletableFuture();
    }
}
