package dev.redisintegration.health;

import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One health check: a name and an asynchronous probe of a dependency.
 *
 * <p>Implementations should return quickly and do the real work in the returned stage: {@link #check()} is called on
 * the thread that asked for the report. The registry makes every outcome a value: a check that throws, completes
 * exceptionally, returns {@code null} or overruns its deadline is reported {@link HealthStatus#DOWN} with a short
 * reason, so implementations need not catch anything. The registry never cancels the returned stage (it may be shared,
 * for example a connection attempt), it only stops waiting for it.
 *
 * <p>Most checks are a lambda given to {@link #of(String, Supplier)}; implement the interface for a check with state
 * of its own.
 *
 * @since 0.1
 */
public interface HealthCheck {

    /**
     * The unique name of this check within a registry, for example {@code "redis"}.
     *
     * @return the name, never blank.
     */
    String name();

    /**
     * Probes the dependency. Should not return {@code null} (the registry reports that as DOWN
     * "check returned null").
     *
     * @return a stage completing with the result; the registry measures latency and time of the check itself.
     */
    CompletionStage<HealthResult> check();

    /**
     * Creates a check from a name and a supplier of the probe.
     *
     * @param name the check's name, not blank.
     * @param check the probe, called once per execution.
     * @return a check.
     * @throws NullPointerException if an argument is {@code null}.
     * @throws IllegalArgumentException if {@code name} is blank.
     */
    static HealthCheck of(String name, Supplier<? extends CompletionStage<HealthResult>> check) {
        String checkedName = HealthCheckNames.require(Objects.requireNonNull(name, "name must not be null"));
        Objects.requireNonNull(check, "check must not be null");
        return new HealthCheck() {
            @Override
            public String name() {
                return checkedName;
            }

            @Override
            public CompletionStage<HealthResult> check() {
                return check.get();
            }

            @Override
            public String toString() {
                return "HealthCheck[" + checkedName + "]";
            }
        };
    }
}
