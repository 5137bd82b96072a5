package dev.redisintegration.redis;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Run in a fresh JVM by {@link ColdJvmIT}: the README's first call on a new manager, with nothing warmed up. Prints
 * {@code ping=<result> probe=<up> ms=<elapsed>} and exits 0.
 */
public final class ColdJvmFirstPing {

    private ColdJvmFirstPing() {}

    /**
     * The entry point.
     *
     * @param args the endpoint, e.g. {@code 127.0.0.1:41234}.
     * @throws Exception if the stage does not complete (it always should).
     */
    public static void main(String[] args) throws Exception {
        RedisSettings settings = RedisSettings.fromEnvironment(Map.of(RedisSettings.ENV_ENDPOINT, args[0]));
        try (RedisConnectionManager manager = RedisConnectionManager.create(settings)) {
            long start = System.nanoTime();
            boolean ping = manager.ping().toCompletableFuture().get(30, TimeUnit.SECONDS);
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            boolean probe = manager.probe()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS)
                    .up();
            System.out.println("ping=" + ping + " probe=" + probe + " ms=" + elapsedMillis);
        }
    }
}
