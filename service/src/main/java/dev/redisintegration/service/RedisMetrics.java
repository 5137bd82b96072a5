package dev.redisintegration.service;

import dev.redisintegration.health.HealthObserver;
import dev.redisintegration.health.HealthResult;
import dev.redisintegration.redis.ConnectionState;
import dev.redisintegration.redis.ConnectionStateEvent;
import dev.redisintegration.redis.ConnectionStats;
import dev.redisintegration.redis.RedisConnectionManager;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The {@code redis.*} meters: the connection (a connected gauge, its events, and the counters redis-client keeps in
 * {@link RedisConnectionManager#stats()}) and the Redis check's failures by {@link ProbeFailureClass}. Everything is
 * read from memory: the gauge and event counters from connection-state events, the function counters from
 * {@code stats()} (which sends nothing), the failures from the health registry (as a {@link HealthObserver}). A scrape
 * never sends a Redis command.
 *
 * <p>{@link HealthFactory} binds it to the connection manager as soon as it creates the manager, before anything can
 * connect, so the subscription sees the first connect too.
 */
@Singleton
@Requires(beans = MeterRegistry.class)
class RedisMetrics implements HealthObserver {

    static final String CONNECTED = "redis.connection.connected";
    static final String EVENTS = "redis.connection.events";
    static final String RECONNECTS = "redis.connection.reconnects";
    static final String MOVES = "redis.connection.moves";
    static final String READONLY_REPLIES = "redis.connection.readonly.replies";
    static final String VERDICTS = "redis.connection.verdicts";
    static final String VERIFICATIONS = "redis.connection.verifications";
    static final String PROBE_FAILURES = "redis.probe.failures";

    private final MeterRegistry registry;
    private final Map<ConnectionState, Counter> events = new EnumMap<>(ConnectionState.class);
    private final Map<ProbeFailureClass, Counter> failures = new EnumMap<>(ProbeFailureClass.class);
    private volatile double connected;

    RedisMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (ProbeFailureClass reason : ProbeFailureClass.values()) {
            failures.put(
                    reason,
                    Counter.builder(PROBE_FAILURES)
                            .description("Failed executions of the Redis health check, by class of reason")
                            .tag("reason", reason.tag())
                            .register(registry));
        }
    }

    /**
     * Registers the connection's meters and subscribes to its events. Called once, right after the manager is
     * created: it does not connect before its first use, so no event is missed.
     *
     * @param redis the service's connection manager.
     */
    void bindTo(RedisConnectionManager redis) {
        Gauge.builder(CONNECTED, this, metrics -> metrics.connected)
                .description("1 while the shared Redis connection is connected, 0 otherwise (before the first "
                        + "connect, lost, reconnecting, leaving a node)")
                .strongReference(true)
                .register(registry);
        for (ConnectionState state : ConnectionState.values()) {
            events.put(
                    state,
                    Counter.builder(EVENTS)
                            .description("Connection-state events of the shared Redis connection, by state")
                            .tag("state", state.name())
                            .register(registry));
        }
        stat(
                registry,
                RECONNECTS,
                "Times the Redis connection came back after it was lost",
                redis,
                ConnectionStats::reconnects,
                null);
        stat(
                registry,
                MOVES,
                "Forced reconnects away from a node found demoted (failover) or hung",
                redis,
                ConnectionStats::moves,
                null);
        stat(
                registry,
                READONLY_REPLIES,
                "READONLY error replies seen on any connection: writes sent to a replica",
                redis,
                ConnectionStats::readOnlyReplies,
                null);
        stat(
                registry,
                VERDICTS,
                "Times a verification found the node a replica (replica) or unresponsive (hang)",
                redis,
                ConnectionStats::replicaVerdicts,
                "replica");
        stat(
                registry,
                VERDICTS,
                "Times a verification found the node a replica (replica) or unresponsive (hang)",
                redis,
                ConnectionStats::hangVerdicts,
                "hang");
        stat(
                registry,
                VERIFICATIONS,
                "ROLE verifications the client sent on its shared connection",
                redis,
                ConnectionStats::verifications,
                null);
        redis.subscribe(this::onConnectionEvent);
    }

    @Override
    public void onExecution(String check, HealthResult result, Duration latency) {
        if (RedisHealthCheck.NAME.equals(check) && !result.isUp()) {
            failures.get(ProbeFailureClass.of(result.reason())).increment();
        }
    }

    private void onConnectionEvent(ConnectionStateEvent event) {
        events.get(event.state()).increment();
        connected = switch (event.state()) {
            case CONNECTED, MOVED -> 1;
            case DISCONNECTED, RECONNECT_FAILED, CONNECT_FAILED, LEAVING_NODE -> 0;
        };
    }

    private static void stat(
            MeterRegistry registry,
            String name,
            String description,
            RedisConnectionManager redis,
            ToDoubleFunction<ConnectionStats> value,
            String verdict) {
        FunctionCounter.Builder<RedisConnectionManager> counter = FunctionCounter.builder(
                        name, redis, manager -> value.applyAsDouble(manager.stats()))
                .description(description);
        if (verdict != null) {
            counter.tag("verdict", verdict);
        }
        counter.register(registry);
    }
}
