package dev.redisintegration.redis;

import java.util.ArrayList;
import java.util.List;

/** Closes what a test opened, newest first, even when an earlier close fails. */
final class Closer implements AutoCloseable {

    private final List<AutoCloseable> resources = new ArrayList<>();

    <T extends AutoCloseable> T add(T resource) {
        resources.add(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        Exception failure = null;
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        resources.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
