/**
 * Framework-free health checks: a tiny SPI ({@link dev.redisintegration.health.HealthCheck}), an immutable model
 * ({@link dev.redisintegration.health.HealthResult}, {@link dev.redisintegration.health.HealthReport}) and a
 * {@link dev.redisintegration.health.HealthRegistry} that runs checks concurrently under deadlines, caches their
 * outcome (success and failure with separate TTLs), shares one execution between concurrent callers, and
 * aggregates the worst status of the critical checks.
 *
 * <p>Everything outside this package ({@code ...health.internal}) may change without further notice.
 *
 * @since 0.1
 */
package dev.redisintegration.health;
