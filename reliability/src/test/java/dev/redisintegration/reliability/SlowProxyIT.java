package dev.redisintegration.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.testing.redis.RedisServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The harness's own proxy must do what the slow-Redis scenario relies on. */
@Timeout(30)
class SlowProxyIT {

    @Test
    void holdsEveryReplyForTheConfiguredDelayAndClosesConnectionsOnClose() throws IOException {
        try (RedisServer redis = RedisServer.start()) {
            SlowProxy proxy = SlowProxy.start(redis.host(), redis.port());
            try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
                socket.setSoTimeout(5_000);
                ping(socket); // passes requests and replies through

                proxy.replyDelay(Duration.ofMillis(400));
                assertThat(ping(socket)).as("with a 400 ms delay").isGreaterThanOrEqualTo(Duration.ofMillis(400));

                proxy.close();
                assertThat(socket.getInputStream().read()).as("end of stream once the proxy closed").isEqualTo(-1);
            } finally {
                proxy.close();
            }
        }
    }

    private static Duration ping(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        long start = System.nanoTime();
        out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] reply = new byte[7];
        int read = 0;
        while (read < reply.length) {
            int n = in.read(reply, read, reply.length - read);
            assertThat(n).as("reply bytes").isPositive();
            read += n;
        }
        assertThat(new String(reply, StandardCharsets.US_ASCII)).isEqualTo("+PONG\r\n");
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
