package dev.redisintegration.health.internal;

import dev.redisintegration.health.HealthResult;
import java.time.Duration;
import java.time.Instant;

/** What one execution of a check produced: the check's result plus what the runner measured around it. */
record Execution(HealthResult result, Duration latency, Instant checkedAt) {}
