package dev.redisintegration.cache;

import java.util.Optional;

/**
 * The outcome of {@link RedisSessionStore#update}: updated (with the new version), a conflict (another update came
 * first: read again and retry or give up), or the session is gone (expired or deleted).
 *
 * @param status what happened.
 * @param session the session after the update; present only when {@link Status#UPDATED}.
 * @since 0.1
 */
public record SessionUpdate(Status status, Optional<Session> session) {

    /** What an update did. */
    public enum Status {
        /** Written; the session has the next version. */
        UPDATED,
        /** Not written: the stored version is not the one the update named. */
        CONFLICT,
        /** Not written: no such session (expired, deleted or rotated away). */
        NOT_FOUND
    }
}
