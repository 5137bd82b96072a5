package dev.redisintegration.cache;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns a cached value into the bytes stored in Redis and back. The bytes go to Redis as they are (never through a
 * text codec), so any binary format works. Implementations must be thread-safe and must not return {@code null}.
 *
 * <p>A JSON codec is a few lines with a JSON library (see the module README).
 *
 * @param <V> the value type.
 * @since 0.1
 */
public interface ValueCodec<V> {

    /**
     * Encodes a value.
     *
     * @param value the value, never {@code null}.
     * @return its bytes.
     */
    byte[] encode(V value);

    /**
     * Decodes bytes written by {@link #encode(Object)}.
     *
     * @param bytes the bytes, never {@code null}.
     * @return the value.
     * @throws RuntimeException if the bytes are not a value of this codec; the cache then treats the entry as a miss.
     */
    V decode(byte[] bytes);

    /**
     * Strings as UTF-8.
     *
     * @return the codec.
     */
    static ValueCodec<String> string() {
        return new ValueCodec<>() {
            @Override
            public byte[] encode(String value) {
                return value.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String decode(byte[] bytes) {
                return new String(bytes, StandardCharsets.UTF_8);
            }
        };
    }

    /**
     * Bytes as they are (copied, so neither side can change the other's array).
     *
     * @return the codec.
     */
    static ValueCodec<byte[]> bytes() {
        return new ValueCodec<>() {
            @Override
            public byte[] encode(byte[] value) {
                return Arrays.copyOf(value, value.length);
            }

            @Override
            public byte[] decode(byte[] bytes) {
                return Arrays.copyOf(bytes, bytes.length);
            }
        };
    }
}
