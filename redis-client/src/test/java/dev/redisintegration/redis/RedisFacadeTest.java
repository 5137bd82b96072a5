package dev.redisintegration.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The process-wide instance, on a private {@link ProcessInstance} with given settings: neither the JVM's real
 * singleton nor the developer's environment is touched. Nothing connects (connections are lazy).
 */
class RedisFacadeTest {

    private static final RedisSettings SETTINGS = RedisSettings.fromEnvironment(
            Map.of(RedisSettings.ENV_ENDPOINT, "redis://:facade-secret@cache.invalid:6390"));

    @Test
    void oneInstanceEvenUnderConcurrentFirstUse() throws Exception {
        AtomicInteger created = new AtomicInteger();
        ProcessInstance holder = new ProcessInstance(() -> {
            created.incrementAndGet();
            return RedisConnectionManager.create(SETTINGS);
        });
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            List<Callable<RedisConnectionManager>> calls = IntStream.range(0, 32)
                    .<Callable<RedisConnectionManager>>mapToObj(i -> holder::get)
                    .toList();
            Set<RedisConnectionManager> instances = new HashSet<>();
            for (Future<RedisConnectionManager> future : threads.invokeAll(calls)) {
                instances.add(future.get());
            }

            assertThat(instances).hasSize(1);
            assertThat(created).hasValue(1);
            assertThat(holder.get().getConnectionUrl()).isEqualTo("redis://:****@cache.invalid:6390");
            holder.get().close();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aClosedInstanceStaysClosed() {
        ProcessInstance holder = new ProcessInstance(() -> RedisConnectionManager.create(SETTINGS));
        RedisConnectionManager first = holder.get();

        first.close();
        first.close();

        assertThat(holder.get()).isSameAs(first);
        assertThatThrownBy(first::ping)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("RedisConnectionManager is closed");
        assertThatThrownBy(first::getClient)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("RedisConnectionManager is closed");
    }

    @Test
    void badSettingsAreRetriedOnTheNextCall() {
        AtomicInteger attempts = new AtomicInteger();
        ProcessInstance holder = new ProcessInstance(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalArgumentException("REDIS_PRIMARY_ENDPOINT='::' is invalid");
            }
            return RedisConnectionManager.create(SETTINGS);
        });

        assertThatThrownBy(holder::get).isInstanceOf(IllegalArgumentException.class);
        assertThat(holder.existing()).isNull();
        assertThat(holder.get()).isNotNull();
        holder.get().close();
    }

    @Test
    void closingTheFacadeDoesNotCreateTheProcessWideInstance() {
        // Nothing else in this JVM (unit tests) uses the real singleton.
        Redis.close();

        assertThat(RedisConnectionManager.INSTANCE.existing()).isNull();
    }
}
