/**
 * Framework-free health checks: a one-method SPI ({@link dev.redisintegration.health.HealthCheck}), immutable values
 * ({@link dev.redisintegration.health.HealthResult} built by checks, {@link dev.redisintegration.health.CheckReport}
 * and {@link dev.redisintegration.health.HealthReport} built by the registry) and a
 * {@link dev.redisintegration.health.HealthRegistry} that runs checks concurrently under deadlines, caches their
 * outcome (success and failure with separate TTLs), shares one execution between concurrent callers, and aggregates
 * the worst status of the critical checks.
 *
 * <p><b>Factories.</b> One family of names throughout: {@code of(..)} builds a value from its parts
 * ({@link dev.redisintegration.health.HealthCheck#of}, {@link dev.redisintegration.health.CachePolicy#of},
 * {@link dev.redisintegration.health.HealthReport#of}); a noun names a well-known value
 * ({@link dev.redisintegration.health.CheckOptions#defaults()}, {@link dev.redisintegration.health.CachePolicy#none()},
 * {@link dev.redisintegration.health.Ticker#system()}, and the statuses {@link dev.redisintegration.health.HealthResult#up()},
 * {@code down(..)}, {@code unknown(..)}); {@code withX(..)} derives a modified copy; {@code builder()} starts the one
 * builder, {@link dev.redisintegration.health.HealthRegistry#builder()}.
 *
 * <p><b>Nulls and errors.</b> Everything here is {@code @NullMarked}: a parameter or return value is never
 * {@code null} unless it is annotated {@code @Nullable}. A {@code null} where none is allowed throws
 * {@link java.lang.NullPointerException} with a message naming the parameter; a bad value (blank name, negative TTL,
 * unknown group) throws {@link java.lang.IllegalArgumentException} saying what was wrong and what is accepted; a call
 * in the wrong state (a closed registry) throws {@link java.lang.IllegalStateException}. A check's own failures never
 * surface as exceptions: they become {@link dev.redisintegration.health.HealthStatus#DOWN} results.
 *
 * <p>Everything in {@code dev.redisintegration.health.internal} may change without further notice; no type of it
 * appears in a public signature here.
 *
 * @since 0.1
 */
@NullMarked
package dev.redisintegration.health;

import org.jspecify.annotations.NullMarked;
