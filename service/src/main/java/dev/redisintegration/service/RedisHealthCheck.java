package dev.redisintegration.service;

import dev.redisintegration.health.HealthCheck;
import dev.redisintegration.health.HealthResult;
import dev.redisintegration.redis.RedisProbe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The Redis check: one probe (a ROLE round trip: the server answers and says whether it is the primary) per execution.
 * redis-client judges the role: a replica is DOWN (every write would fail with READONLY) unless REDIS_EXPECTED_ROLE=any.
 */
final class RedisHealthCheck implements HealthCheck {

    static final String NAME = "redis";

    private final Supplier<? extends CompletionStage<RedisProbe>> probe;
    private final String maskedUrl;

    RedisHealthCheck(Supplier<? extends CompletionStage<RedisProbe>> probe, String maskedUrl) {
        this.probe = probe;
        this.maskedUrl = maskedUrl;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletionStage<HealthResult> check() {
        return probe.get().thenApply(this::toResult);
    }

    HealthResult toResult(RedisProbe result) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("url", maskedUrl);
        if (result.role() != null) {
            details.put("role", result.role().name());
        }
        if (result.latency() != null) {
            details.put("pingLatencyMs", result.latency().toMillis());
        }
        if (!result.up()) {
            String reason = result.failureReason() == null || result.failureReason().isBlank()
                    ? "redis unavailable" : result.failureReason();
            return HealthResult.down(reason, details);
        }
        // A replica is already down here unless REDIS_EXPECTED_ROLE=any asked for one: redis-client judges the role.
        return HealthResult.up(details);
    }
}
