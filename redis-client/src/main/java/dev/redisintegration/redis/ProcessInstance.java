package dev.redisintegration.redis;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Holds the process-wide manager: created on first use, at most once even under concurrent first calls; a failed
 * creation (bad settings) is retried on the next call. Separate from the manager so it can be tested without
 * touching the JVM's real singleton or the developer's environment.
 */
final class ProcessInstance {

    private final Supplier<RedisConnectionManager> factory;
    private volatile @Nullable RedisConnectionManager instance;

    ProcessInstance(Supplier<RedisConnectionManager> factory) {
        this.factory = factory;
    }

    RedisConnectionManager get() {
        RedisConnectionManager local = instance;
        if (local == null) {
            synchronized (this) {
                local = instance;
                if (local == null) {
                    local = factory.get();
                    instance = local;
                }
            }
        }
        return local;
    }

    /** The instance if one was created, else {@code null}; never creates one. */
    @Nullable
    RedisConnectionManager existing() {
        return instance;
    }
}
