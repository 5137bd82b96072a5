package dev.redisintegration.cache;

import dev.redisintegration.cache.internal.Checks;
import dev.redisintegration.cache.internal.Deadlines;
import dev.redisintegration.cache.internal.Keys;
import dev.redisintegration.redis.RedisConnectionManager;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Server-side sessions in Redis, one hash per session at {@code namespace:id} (fields {@code v} version, {@code c}
 * creation time, {@code a:name} per attribute):
 *
 * <ul>
 *   <li>ids are 128 random bits from {@link SecureRandom}, URL-safe Base64 without padding (22 characters);
 *   <li>every read slides the idle expiry; no session outlives its absolute lifetime, whatever the traffic;
 *   <li>{@link #update} is optimistic: a Lua script checks the version in Redis and writes only if it is the one the
 *       caller read, so a concurrent update gets {@link SessionUpdate.Status#CONFLICT}, never a silent overwrite;
 *   <li>{@link #rotate} gives the session a new id (after a login or a privilege change) and removes the old one;
 *   <li>unlike {@link RedisCache}, it does not fail open: with Redis down, hung or slower than the deadline (500 ms by
 *       default) every call fails with {@link SessionStoreException} within the deadline.
 * </ul>
 *
 * <p>Session ids are secrets: no message or log line of this class contains one. Each script touches one key, so the
 * store works in a Redis Cluster too. Thread-safe.
 *
 * @since 0.1
 */
public final class RedisSessionStore {

    /** How long a call waits for Redis before it fails: {@value #DEFAULT_DEADLINE_MILLIS} ms. */
    public static final long DEFAULT_DEADLINE_MILLIS = 500;
    /** Largest total of attribute names and values (UTF-8): {@value #DEFAULT_MAX_ATTRIBUTE_BYTES} bytes. */
    public static final int DEFAULT_MAX_ATTRIBUTE_BYTES = 16 * 1024;

    private static final String TTL = """
      local function ttl(created)
        return math.min(tonumber(ARGV[2]), tonumber(created) + tonumber(ARGV[3]) - tonumber(ARGV[1]))
      end
      """;
    /** ARGV: now, idle, absolute, created, version, then name/value pairs. */
    private static final String CREATE = TTL + """
      if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
      local left = ttl(ARGV[4])
      if left <= 0 then return -1 end
      redis.call('HSET', KEYS[1], 'v', ARGV[5], 'c', ARGV[4])
      for i = 6, #ARGV, 2 do redis.call('HSET', KEYS[1], 'a:' .. ARGV[i], ARGV[i + 1]) end
      redis.call('PEXPIRE', KEYS[1], left)
      return 1
      """;
    /** ARGV: now, idle, absolute, then "1" to delete the session after reading it (rotation). */
    private static final String READ = TTL + """
      local created = redis.call('HGET', KEYS[1], 'c')
      if not created then return {} end
      local left = ttl(created)
      if left <= 0 then redis.call('DEL', KEYS[1]) return {} end
      local all = redis.call('HGETALL', KEYS[1])
      if ARGV[4] == '1' then redis.call('DEL', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], left) end
      return all
      """;
    /** ARGV: now, idle, absolute, expected version, then name/value pairs. Returns the new version, -1 gone, -2 conflict. */
    private static final String UPDATE = TTL + """
      local version = redis.call('HGET', KEYS[1], 'v')
      if not version then return -1 end
      if version ~= ARGV[4] then return -2 end
      local left = ttl(redis.call('HGET', KEYS[1], 'c'))
      if left <= 0 then redis.call('DEL', KEYS[1]) return -1 end
      for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
        if string.sub(field, 1, 2) == 'a:' then redis.call('HDEL', KEYS[1], field) end
      end
      for i = 5, #ARGV, 2 do redis.call('HSET', KEYS[1], 'a:' .. ARGV[i], ARGV[i + 1]) end
      local next = redis.call('HINCRBY', KEYS[1], 'v', 1)
      redis.call('PEXPIRE', KEYS[1], left)
      return next
      """;

    private final RedisConnectionManager manager;
    private final String namespace;
    private final long idleMillis;
    private final long absoluteMillis;
    private final long deadlineMillis;
    private final int maxAttributeBytes;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    private RedisSessionStore(Builder builder) {
        this.manager = builder.manager;
        this.namespace = builder.namespace;
        this.idleMillis = builder.idleTimeout.toMillis();
        this.absoluteMillis = builder.absoluteTimeout.toMillis();
        this.deadlineMillis = builder.deadline.toMillis();
        this.maxAttributeBytes = builder.maxAttributeBytes;
        this.clock = builder.clock;
        if (absoluteMillis < idleMillis) {
            throw new IllegalArgumentException("absoluteTimeout (" + builder.absoluteTimeout
                    + ") must not be shorter than " + "idleTimeout (" + builder.idleTimeout + ")");
        }
    }

    /**
     * A builder with the defaults: namespace {@code session}, idle timeout 30 min, absolute lifetime 12 h.
     *
     * @param manager where the sessions' Redis is; must not be {@code null}.
     * @return a new builder.
     */
    public static Builder builder(RedisConnectionManager manager) {
        return new Builder(Objects.requireNonNull(manager, "manager must not be null"));
    }

    /**
     * Creates a session with a new id.
     *
     * @param attributes its attributes; names non-empty, at most {@link Builder#maxAttributeBytes(int)} in total.
     * @return the session (version 1); fails with {@link SessionStoreException} if Redis cannot store it in time.
     * @throws IllegalArgumentException if the attributes are too large or a name is empty.
     */
    public CompletionStage<Session> create(Map<String, String> attributes) {
        List<String> pairs = pairs(attributes);
        long now = clock.millis();
        String id = newId();
        return put(id, pairs, now, 1, "create a session")
                .thenApply(ignored -> new Session(id, attributes, 1, Instant.ofEpochMilli(now)));
    }

    /**
     * Reads a session and slides its idle expiry (never past its absolute lifetime).
     *
     * @param id the session id.
     * @return the session, or empty if there is none (expired, deleted, rotated, never existed).
     */
    public CompletionStage<Optional<Session>> get(String id) {
        Objects.requireNonNull(id, "id must not be null");
        return read(id, false, "read a session");
    }

    /**
     * Replaces the attributes if the session is still at {@code expected.version()}, checked atomically in Redis.
     *
     * @param expected the session as read; its id and version count.
     * @param attributes the new attributes (all of them).
     * @return {@link SessionUpdate.Status#UPDATED} with the new session, {@link SessionUpdate.Status#CONFLICT} if
     *     another update came first, {@link SessionUpdate.Status#NOT_FOUND} if the session is gone.
     * @throws IllegalArgumentException if the attributes are too large or a name is empty.
     */
    public CompletionStage<SessionUpdate> update(Session expected, Map<String, String> attributes) {
        Objects.requireNonNull(expected, "expected must not be null");
        List<String> args = new ArrayList<>(List.of(
                String.valueOf(clock.millis()),
                String.valueOf(idleMillis),
                String.valueOf(absoluteMillis),
                String.valueOf(expected.version())));
        args.addAll(pairs(attributes));
        return call(
                        commands -> commands.<Long>eval(
                                UPDATE,
                                ScriptOutputType.INTEGER,
                                new String[] {key(expected.id())},
                                args.toArray(new String[0])),
                        "update a session")
                .thenApply(result -> {
                    if (result == -1) {
                        return new SessionUpdate(SessionUpdate.Status.NOT_FOUND, Optional.empty());
                    }
                    if (result == -2) {
                        return new SessionUpdate(SessionUpdate.Status.CONFLICT, Optional.empty());
                    }
                    return new SessionUpdate(
                            SessionUpdate.Status.UPDATED,
                            Optional.of(new Session(expected.id(), attributes, result, expected.createdAt())));
                });
    }

    /**
     * Moves a session to a new id (call it after a login or a privilege change, so an id seen before is worthless):
     * the old id stops working at once; attributes, creation time and absolute lifetime carry over, the version goes up
     * by one.
     *
     * @param id the current id.
     * @return the session under its new id, or empty if there was none.
     */
    public CompletionStage<Optional<Session>> rotate(String id) {
        Objects.requireNonNull(id, "id must not be null");
        return read(id, true, "rotate a session").thenCompose(old -> {
            if (old.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.<Session>empty());
            }
            Session session = old.get();
            String newId = newId();
            long version = session.version() + 1;
            return put(
                            newId,
                            pairs(session.attributes()),
                            session.createdAt().toEpochMilli(),
                            version,
                            "rotate a session")
                    .thenApply(created -> created
                            ? Optional.of(new Session(newId, session.attributes(), version, session.createdAt()))
                            : Optional.<Session>empty());
        });
    }

    /**
     * Deletes a session.
     *
     * @param id the session id.
     * @return {@code true} if there was one.
     */
    public CompletionStage<Boolean> delete(String id) {
        Objects.requireNonNull(id, "id must not be null");
        return call(commands -> commands.unlink(key(id)), "delete a session").thenApply(removed -> removed > 0);
    }

    private CompletionStage<Boolean> put(String id, List<String> pairs, long created, long version, String what) {
        List<String> args = new ArrayList<>(List.of(
                String.valueOf(clock.millis()),
                String.valueOf(idleMillis),
                String.valueOf(absoluteMillis),
                String.valueOf(created),
                String.valueOf(version)));
        args.addAll(pairs);
        return call(
                        commands -> commands.<Long>eval(
                                CREATE, ScriptOutputType.INTEGER, new String[] {key(id)}, args.toArray(new String[0])),
                        what)
                .thenApply(result -> {
                    if (result == 0) { // 128 random bits collided: practically never, and never silently
                        throw new IllegalStateException("a new session id is already taken");
                    }
                    return result == 1;
                });
    }

    private CompletionStage<Optional<Session>> read(String id, boolean remove, String what) {
        String[] args = {
            String.valueOf(clock.millis()),
            String.valueOf(idleMillis),
            String.valueOf(absoluteMillis),
            remove ? "1" : "0"
        };
        return call(
                        commands ->
                                commands.<List<Object>>eval(READ, ScriptOutputType.MULTI, new String[] {key(id)}, args),
                        what)
                .thenApply(fields -> fields.isEmpty() ? Optional.empty() : Optional.of(session(id, fields)));
    }

    private static Session session(String id, List<Object> fields) {
        Map<String, String> attributes = new HashMap<>();
        long version = 0;
        long created = 0;
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            String field = String.valueOf(fields.get(i));
            String value = String.valueOf(fields.get(i + 1));
            if (field.equals("v")) {
                version = Long.parseLong(value);
            } else if (field.equals("c")) {
                created = Long.parseLong(value);
            } else if (field.startsWith("a:")) {
                attributes.put(field.substring(2), value);
            }
        }
        return new Session(id, attributes, version, Instant.ofEpochMilli(created));
    }

    private List<String> pairs(Map<String, String> attributes) {
        Objects.requireNonNull(attributes, "attributes must not be null");
        List<String> pairs = new ArrayList<>(attributes.size() * 2);
        long bytes = 0;
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            String name = Objects.requireNonNull(attribute.getKey(), "attribute names must not be null");
            String value = Objects.requireNonNull(attribute.getValue(), "attribute '" + name + "' must not be null");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("attribute names must not be empty");
            }
            bytes += name.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length;
            pairs.add(name);
            pairs.add(value);
        }
        if (bytes > maxAttributeBytes) {
            throw new IllegalArgumentException("session attributes are " + bytes + " bytes (names and values, UTF-8), "
                    + "more than the limit of " + maxAttributeBytes + " bytes (maxAttributeBytes)");
        }
        return pairs;
    }

    private String newId() {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    private String key(String id) {
        return Keys.key(namespace, id);
    }

    /** A Redis call bounded by the deadline; any failure becomes a {@link SessionStoreException} without the id. */
    private <T> CompletionStage<T> call(
            Function<RedisClusterAsyncCommands<String, String>, CompletionStage<T>> command, String what) {
        CompletableFuture<T> call;
        try {
            call = manager.getClient().thenCompose(command).toCompletableFuture();
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        return Deadlines.within(call, deadlineMillis).handle((value, error) -> {
            if (error == null) {
                return value;
            }
            Throwable cause =
                    error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof IllegalStateException || cause instanceof IllegalArgumentException) {
                throw new CompletionException(cause);
            }
            String reason = cause instanceof TimeoutException
                    ? "Redis did not answer within " + deadlineMillis + " ms"
                    : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            throw new CompletionException(new SessionStoreException(
                    "could not " + what + " in namespace '" + namespace + "': " + reason, cause));
        });
    }

    /**
     * Settings of a {@link RedisSessionStore}.
     *
     * @since 0.1
     */
    public static final class Builder {

        private final RedisConnectionManager manager;
        private String namespace = "session";
        private Duration idleTimeout = Duration.ofMinutes(30);
        private Duration absoluteTimeout = Duration.ofHours(12);
        private Duration deadline = Duration.ofMillis(DEFAULT_DEADLINE_MILLIS);
        private int maxAttributeBytes = DEFAULT_MAX_ATTRIBUTE_BYTES;
        private Clock clock = Clock.systemUTC();

        private Builder(RedisConnectionManager manager) {
            this.manager = manager;
        }

        /**
         * The key prefix ({@code namespace:id}). Defaults to {@code session}.
         *
         * @param namespace 1-64 characters of {@code A-Z a-z 0-9 . _ -}.
         * @return this builder.
         */
        public Builder namespace(String namespace) {
            this.namespace = Keys.validNamespace(Objects.requireNonNull(namespace, "namespace must not be null"));
            return this;
        }

        /**
         * How long a session lives without being read. Defaults to 30 minutes.
         *
         * @param idleTimeout at least 1 ms.
         * @return this builder.
         */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = Checks.positive(idleTimeout, "idleTimeout");
            return this;
        }

        /**
         * How long a session lives at most, however often it is read. Defaults to 12 hours.
         *
         * @param absoluteTimeout at least the idle timeout.
         * @return this builder.
         */
        public Builder absoluteTimeout(Duration absoluteTimeout) {
            this.absoluteTimeout = Checks.positive(absoluteTimeout, "absoluteTimeout");
            return this;
        }

        /**
         * How long a call waits for Redis before it fails. Defaults to {@value #DEFAULT_DEADLINE_MILLIS} ms.
         *
         * @param deadline at least 1 ms.
         * @return this builder.
         */
        public Builder deadline(Duration deadline) {
            this.deadline = Checks.positive(deadline, "deadline");
            return this;
        }

        /**
         * The largest total size of a session's attribute names and values (UTF-8). Defaults to
         * {@value #DEFAULT_MAX_ATTRIBUTE_BYTES} bytes.
         *
         * @param maxAttributeBytes at least 1.
         * @return this builder.
         */
        public Builder maxAttributeBytes(int maxAttributeBytes) {
            if (maxAttributeBytes < 1) {
                throw new IllegalArgumentException("maxAttributeBytes must be at least 1, not " + maxAttributeBytes);
            }
            this.maxAttributeBytes = maxAttributeBytes;
            return this;
        }

        /**
         * The clock of the absolute lifetime (tests inject one). Defaults to {@link Clock#systemUTC()}.
         *
         * @param clock the clock.
         * @return this builder.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /**
         * The store.
         *
         * @return a new store.
         * @throws IllegalArgumentException if the absolute timeout is shorter than the idle timeout.
         */
        public RedisSessionStore build() {
            return new RedisSessionStore(this);
        }
    }
}
