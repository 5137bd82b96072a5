package dev.redisintegration.cache;

import static dev.redisintegration.cache.CacheItSupport.connected;
import static dev.redisintegration.cache.CacheItSupport.result;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redisintegration.redis.RedisConnectionManager;
import dev.redisintegration.testing.redis.RedisServer;
import dev.redisintegration.testing.redis.RedisServerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's examples are the code between the snippet markers below, run against a real Redis; the README's code
 * blocks must equal them ({@link #readmeBlocksAreTheSnippets()}).
 */
@ExtendWith(RedisServerExtension.class)
class ReadmeExamplesIT {

  private static final Path SOURCE = Path.of("src/test/java/dev/redisintegration/cache/ReadmeExamplesIT.java");
  private static final Path README = Path.of("README.md");

  record Profile(String name, int age) {}

  // snippet-start: json-codec
  /** JSON through Jackson: any type Jackson can map. */
  static <V> ValueCodec<V> json(ObjectMapper mapper, Class<V> type) {
    return new ValueCodec<>() {
      @Override
      public byte[] encode(V value) {
        try {
          return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public V decode(byte[] bytes) {
        try {
          return mapper.readValue(bytes, type);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }
  // snippet-end

  @Test
  void theExamplesWork(RedisServer redis) throws Exception {
    try (RedisConnectionManager manager = connected(redis.endpoint())) {
      ProfileService profiles = id -> CompletableFuture.completedFuture("{\"name\":\"Ada\"}");
      UserRepository users = id -> CompletableFuture.completedFuture(Optional.empty());
      // snippet-start: cache
      RedisCache cache = RedisCache.builder(manager)
          .namespace("team-x")                    // keys are team-x:<key>
          .ttl(Duration.ofMinutes(10))            // +/-10 % jitter per write
          .negativeTtl(Duration.ofSeconds(30))    // cache "not found" for 30 s (off by default)
          .build();

      CompletionStage<String> profile = cache.getOrLoad("profile:42", () -> profiles.fetch(42));

      ValueCodec<Profile> codec = json(new ObjectMapper(), Profile.class);
      CompletionStage<Profile> typed = cache.getOrLoad("typed:42", codec,
          () -> CompletableFuture.completedFuture(new Profile("Ada", 36)));

      CompletionStage<Optional<String>> user = cache.getOrLoadOptional("user:7", ValueCodec.string(),
          () -> users.find(7));                  // Optional.empty() is cached for negativeTtl

      cache.invalidate("profile:42");            // one key
      cache.invalidateAll();                     // SCAN + UNLINK of team-x:*, never KEYS
      CacheStats stats = cache.stats();          // hits, misses, loads, fail-opens, early refreshes, ...
      // snippet-end
      assertThat(result(profile)).isEqualTo("{\"name\":\"Ada\"}");
      assertThat(result(typed)).isEqualTo(new Profile("Ada", 36));
      assertThat(result(user)).isEmpty();
      assertThat(stats.hits()).isZero(); // an empty Redis; a loaded machine may fail a call open, so not more
      assertThat(cache.stats().loads()).isEqualTo(3);

      // snippet-start: sessions
      RedisSessionStore sessions = RedisSessionStore.builder(manager)
          .idleTimeout(Duration.ofMinutes(30))    // sliding: every get() extends it
          .absoluteTimeout(Duration.ofHours(12))  // never longer, however active
          .build();

      Session session = sessions.create(Map.of("user", "ada")).toCompletableFuture().join();
      Session read = sessions.get(session.id()).toCompletableFuture().join().orElseThrow();
      SessionUpdate update = sessions.update(read, Map.of("user", "ada", "cart", "3"))
          .toCompletableFuture().join();
      if (update.status() == SessionUpdate.Status.CONFLICT) {
        // someone else updated it first: read again, merge, retry (or give up)
      }
      Session afterLogin = sessions.rotate(session.id()).toCompletableFuture().join().orElseThrow(); // new id
      sessions.delete(afterLogin.id());
      // snippet-end
      assertThat(update.status()).isEqualTo(SessionUpdate.Status.UPDATED);
      assertThat(afterLogin.attributes()).containsEntry("cart", "3");
    }
  }

  @Test
  void theNearCacheExampleWorks(RedisServer redis) throws Exception {
    try (RedisConnectionManager manager = connected(redis.endpoint())) {
      ProfileService profiles = id -> CompletableFuture.completedFuture("{\"name\":\"Ada\"}");
      java.util.concurrent.ExecutorService jdbcPool = java.util.concurrent.Executors.newFixedThreadPool(2);
      // snippet-start: near-cache
      RedisCache hot = RedisCache.builder(manager)
          .namespace("team-x-hot")
          .ttl(Duration.ofMinutes(10))
          .nearCache(10_000)                      // up to 10,000 values in this process, kept correct by Redis
          .loaderExecutor(jdbcPool)               // loaders may block: they run there
          .build();

      CompletionStage<String> profile = hot.getOrLoad("profile:42", () -> profiles.fetch(42));
      // later calls for profile:42 are answered in this process until someone changes the key in Redis
      long inProcess = hot.stats().nearHits();

      hot.close();                               // on shutdown: closes the near cache's own connection
      // snippet-end
      assertThat(result(profile)).isEqualTo("{\"name\":\"Ada\"}");
      assertThat(inProcess).isZero(); // the first call cannot be answered in-process
      assertThat(hot.stats().loads()).isEqualTo(1);
      jdbcPool.shutdown();
    }
  }

  @Test
  void readmeBlocksAreTheSnippets() throws IOException {
    List<String> source = Files.readAllLines(SOURCE);
    String readme = Files.readString(README);
    for (String name : List.of("cache", "json-codec", "sessions", "near-cache")) {
      String snippet = snippet(source, name);
      assertThat(readme).as("README.md must contain the snippet '%s' of %s as a ```java block:%n%s", name, SOURCE,
          snippet).contains("<!-- snippet: " + name + " -->\n```java\n" + snippet + "\n```\n");
    }
  }

  /** The lines between {@code // snippet-start: name} and {@code // snippet-end}, without their common indentation. */
  private static String snippet(List<String> source, String name) {
    int start = source.indexOf(source.stream().filter(line -> line.strip().equals("// snippet-start: " + name))
        .findFirst().orElseThrow(() -> new AssertionError("no snippet-start: " + name)));
    int end = start + 1;
    while (!source.get(end).strip().equals("// snippet-end")) {
      end++;
    }
    List<String> lines = source.subList(start + 1, end);
    int indent = lines.stream().filter(line -> !line.isBlank())
        .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      out.add(line.isBlank() ? "" : line.substring(indent).stripTrailing());
    }
    return String.join("\n", out);
  }

  interface ProfileService {
    CompletionStage<String> fetch(long id);
  }

  interface UserRepository {
    CompletionStage<Optional<String>> find(long id);
  }
}
