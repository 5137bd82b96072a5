package dev.redisintegration.devenv;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One rendered Kubernetes object, with null-safe navigation through its nested maps. */
record K8sObject(Map<String, Object> raw) {

    String kind() {
        return (String) raw.get("kind");
    }

    String name() {
        return str(raw, "metadata", "name");
    }

    Map<String, Object> map(String... path) {
        return map(raw, path);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> from, String... path) {
        Object v = get(from, path);
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> from, String... path) {
        Object v = get(from, path);
        return v instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    static String str(Map<String, Object> from, String... path) {
        Object v = get(from, path);
        return v == null ? null : v.toString();
    }

    static Object get(Map<String, Object> from, String... path) {
        Object cur = from;
        for (String key : path) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(key);
        }
        return cur;
    }

    /** The pod template's containers (Deployment/StatefulSet/DaemonSet/Job). */
    List<Map<String, Object>> containers() {
        return list(raw, "spec", "template", "spec", "containers");
    }

    Map<String, Object> podSpec() {
        return map(raw, "spec", "template", "spec");
    }

    static Optional<K8sObject> find(List<K8sObject> objects, String kind, String name) {
        return objects.stream()
                .filter(o -> kind.equals(o.kind()) && name.equals(o.name()))
                .findFirst();
    }

    /**
     * The container port a probe or Service targets: a number as is, a name through the container's ports.
     */
    static Integer resolvePort(Object port, Map<String, Object> container) {
        if (port instanceof Integer i) {
            return i;
        }
        if (port == null) {
            return null;
        }
        String name = port.toString();
        if (name.matches("\\d+")) {
            return Integer.valueOf(name);
        }
        for (Map<String, Object> p : list(container, "ports")) {
            if (name.equals(p.get("name"))) {
                return (Integer) p.get("containerPort");
            }
        }
        return null;
    }
}
