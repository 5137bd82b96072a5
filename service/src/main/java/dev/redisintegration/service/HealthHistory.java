package dev.redisintegration.service;

import dev.redisintegration.health.HealthObserver;
import dev.redisintegration.health.StatusTransition;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last status changes of each check, newest first, for {@code GET /health/history} and the HTML page: a bounded
 * ring of {@link #CAPACITY} transitions per check, kept in memory and fed by the health registry as a
 * {@link HealthObserver}. It never runs a check: reading it costs Redis nothing.
 *
 * <p>It lives here rather than in health-core because the registry already reports each transition (the observer
 * hook), and everything about the ring (its size, its order, who may read it) is this service's choice; health-core
 * keeps only the one piece of state a transition needs, the current status and since when.
 */
@Singleton
public class HealthHistory implements HealthObserver {

    /** Transitions kept per check; older ones are dropped. */
    public static final int CAPACITY = 50;

    private final Map<String, Deque<StatusTransition>> byCheck = new ConcurrentHashMap<>();

    @Override
    public void onTransition(StatusTransition transition) {
        Deque<StatusTransition> ring = byCheck.computeIfAbsent(transition.check(), name -> new ArrayDeque<>(CAPACITY));
        synchronized (ring) {
            if (ring.size() == CAPACITY) {
                ring.removeLast();
            }
            ring.addFirst(transition);
        }
    }

    /**
     * A copy of the history.
     *
     * @return check name (in name order) to its transitions, newest first; a check appears once it has a result.
     */
    public Map<String, List<StatusTransition>> snapshot() {
        Map<String, List<StatusTransition>> copy = new TreeMap<>();
        byCheck.forEach((check, ring) -> {
            synchronized (ring) {
                copy.put(check, Collections.unmodifiableList(new ArrayList<>(ring)));
            }
        });
        return Collections.unmodifiableMap(copy);
    }
}
