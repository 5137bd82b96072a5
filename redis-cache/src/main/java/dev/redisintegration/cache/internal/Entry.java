package dev.redisintegration.cache.internal;

import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * What one Redis value holds: a 14-byte header and the payload. The header carries what XFetch needs fleet-wide
 * (when the entry logically expires and how long its load took), so every pod decides on the same numbers.
 *
 * <pre>
 * byte 0      format (1)
 * byte 1      0 = a value, 1 = "absent" (negative caching)
 * bytes 2-9   logical expiry, epoch milliseconds (big-endian)
 * bytes 10-13 load time (delta), milliseconds
 * bytes 14-   the codec's bytes (none when absent)
 * </pre>
 *
 * @param payload the codec's bytes, or {@code null} for a cached "absent".
 */
public record Entry(byte @Nullable [] payload, long expiresAtMillis, int deltaMillis) {

    public static final int HEADER_BYTES = 14;
    private static final byte FORMAT = 1;
    private static final byte PRESENT = 0;
    private static final byte ABSENT = 1;

    public boolean isAbsent() {
        return payload == null;
    }

    public byte[] encode() {
        byte[] body = payload == null ? new byte[0] : payload;
        return ByteBuffer.allocate(HEADER_BYTES + body.length)
                .put(FORMAT)
                .put(payload == null ? ABSENT : PRESENT)
                .putLong(expiresAtMillis)
                .putInt(deltaMillis)
                .put(body)
                .array();
    }

    /** The entry, or {@code null} if the bytes are not one (another writer, an older format): treated as a miss. */
    public static @Nullable Entry decode(byte[] bytes) {
        if (bytes.length < HEADER_BYTES || bytes[0] != FORMAT || (bytes[1] != PRESENT && bytes[1] != ABSENT)) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.position(2);
        long expiresAt = buffer.getLong();
        int delta = buffer.getInt();
        if (bytes[1] == ABSENT) {
            return bytes.length == HEADER_BYTES ? new Entry(null, expiresAt, delta) : null;
        }
        byte[] payload = new byte[bytes.length - HEADER_BYTES];
        buffer.get(payload);
        return new Entry(payload, expiresAt, delta);
    }
}
