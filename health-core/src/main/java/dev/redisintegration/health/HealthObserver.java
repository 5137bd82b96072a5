package dev.redisintegration.health;

import java.time.Duration;

/**
 * Told by a {@link HealthRegistry} what happens to its checks, for metrics and history: every execution that
 * finished, every answer served from the cache, and every change of a check's status. Register one with
 * {@link HealthRegistry.Builder#observer(HealthObserver)}; every method has an empty default, so implement only what
 * you need.
 *
 * <p><b>Cheap and non-blocking.</b> The registry calls these methods on the thread that completes the work: the
 * requesting thread for a cached answer (so once per check per report), the check's own thread (for example a Lettuce
 * I/O thread) or the deadline timer for an execution. Increment a counter, store a value; never block or call back
 * into the registry. An observer that throws is ignored for that call: reports are never affected.
 *
 * <p><b>Ordering.</b> For an execution, {@link #onExecution} and then, if the status changed,
 * {@link #onTransition} are called before any request waiting for that execution gets its answer, so whoever reads
 * the observer's state after receiving a report sees that report's execution.
 *
 * <p>A request that waits for an execution another request started is neither an execution nor a cache hit: it shares
 * that one execution (single-flight), which is reported once.
 *
 * @since 0.2
 */
public interface HealthObserver {

    /**
     * An execution of a check finished: the check answered, failed or overran its deadline. Called once per
     * execution, including one whose result is not cached (its cache entry was invalidated while it ran).
     *
     * @param check the check's name.
     * @param result what the execution produced (a deadline overrun is DOWN "timed out after ...").
     * @param latency how long the execution took, measured by the registry's {@link Ticker}; not negative.
     */
    default void onExecution(String check, HealthResult result, Duration latency) {}

    /**
     * A report served a check's result from the cache instead of running it.
     *
     * @param check the check's name.
     * @param result the cached result.
     * @param age how long ago the execution that produced it finished; not negative.
     */
    default void onCacheHit(String check, HealthResult result, Duration age) {}

    /**
     * A check's status changed (or the check produced its first result). The status follows the most recently
     * started execution that has finished: the late answer of an older execution (for example one detached by
     * {@link HealthRegistry#invalidate(String)} while it ran) reports {@link #onExecution} but never a transition
     * once a newer execution has answered, so history is never reordered. Called at most once per execution, right
     * after its {@link #onExecution}.
     *
     * @param transition from, to, when, why, and how long the previous status lasted.
     */
    default void onTransition(StatusTransition transition) {}
}
