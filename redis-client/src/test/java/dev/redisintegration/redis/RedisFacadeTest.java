package dev.redisintegration.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The process-wide instance and the static facade, without any network traffic (nothing connects lazily here). */
class RedisFacadeTest {

  @Test
  void oneInstancePerProcessEvenUnderConcurrentFirstUseAndCloseIsFinal() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(16);
    try {
      List<Callable<RedisConnectionManager>> calls =
          IntStream.range(0, 32).<Callable<RedisConnectionManager>>mapToObj(i -> RedisConnectionManager::getInstance)
              .toList();
      Set<RedisConnectionManager> instances = new HashSet<>();
      for (Future<RedisConnectionManager> future : threads.invokeAll(calls)) {
        instances.add(future.get());
      }

      assertThat(instances).hasSize(1);
      assertThat(Redis.getConnectionUrl())
          .isEqualTo(RedisSettings.fromEnvironment(System.getenv()).maskedUrl());

      Redis.close();
      Redis.close();

      assertThat(RedisConnectionManager.getInstance()).isSameAs(instances.iterator().next());
      assertThatThrownBy(Redis::ping).isInstanceOf(IllegalStateException.class)
          .hasMessage("RedisConnectionManager is closed");
      assertThatThrownBy(Redis::getClient).isInstanceOf(IllegalStateException.class)
          .hasMessage("RedisConnectionManager is closed");
    } finally {
      threads.shutdownNow();
    }
  }
}
