package dev.redisintegration.testing.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * A TCP port nothing listens on right now, for a server a test starts itself (a service, a proxy) or for an endpoint
 * that must refuse connections. Never 6379 unless the kernel hands it out, which it does not while that port is taken.
 */
public final class FreePorts {
    private FreePorts() {}

    /**
     * @return a port the kernel just handed out and released; another process may take it before the caller binds it,
     *     so callers that can should retry on a bind failure.
     */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }
}
