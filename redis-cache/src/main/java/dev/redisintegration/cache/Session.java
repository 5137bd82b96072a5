package dev.redisintegration.cache;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A session as {@link RedisSessionStore} read it: its id, attributes, the version that an update must name, and when
 * it was created. {@link #toString()} leaves the id out, so logging a session never logs its id.
 *
 * @param id the session id (a bearer secret: never log it).
 * @param attributes the attributes, unmodifiable.
 * @param version the version an update must name; every successful update adds one.
 * @param createdAt when it was created (the absolute lifetime counts from here; kept across id rotation).
 * @since 0.1
 */
public record Session(String id, Map<String, String> attributes, long version, Instant createdAt) {

    /**
     * Copies the attributes.
     *
     * @param id the id.
     * @param attributes the attributes.
     * @param version the version.
     * @param createdAt the creation time.
     */
    public Session {
        Objects.requireNonNull(id, "id must not be null");
        attributes = Map.copyOf(attributes);
        Objects.requireNonNull(createdAt, "createdAt must not be null");
    }

    /**
     * Without the id.
     *
     * @return e.g. {@code Session[id=****, attributes=[user, role], version=3, createdAt=...]}.
     */
    @Override
    public String toString() {
        return "Session[id=****, attributes=" + attributes.keySet() + ", version=" + version + ", createdAt="
                + createdAt + "]";
    }
}
