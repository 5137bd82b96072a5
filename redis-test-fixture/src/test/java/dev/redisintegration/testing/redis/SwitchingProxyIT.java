package dev.redisintegration.testing.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SwitchingProxyIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static RedisServer a;
    private static RedisServer b;

    @BeforeAll
    static void startTwoNodes() {
        a = RedisServer.start();
        b = RedisServer.start();
        a.command("SET", "node", "a");
        b.command("SET", "node", "b");
    }

    @AfterAll
    static void stopNodes() {
        a.close();
        b.close();
    }

    @Test
    void newConnectionsGoToTheCurrentTargetWhileOpenOnesKeepTheirNode() {
        try (SwitchingProxy proxy = SwitchingProxy.start(a);
                RespClient first = connect(proxy)) {
            assertThat(proxy.endpoint()).isEqualTo("127.0.0.1:" + proxy.port());
            assertThat(proxy.host()).isEqualTo("127.0.0.1");
            assertThat(proxy.target()).isEqualTo(a.endpoint());
            assertThat(first.call("GET", "node")).isEqualTo("a");

            proxy.switchTo(b);

            assertThat(proxy.target()).isEqualTo(b.endpoint());
            try (RespClient second = connect(proxy)) {
                assertThat(second.call("GET", "node")).isEqualTo("b");
                assertThat(first.call("GET", "node"))
                        .as("an open connection keeps its node")
                        .isEqualTo("a");
                assertThat(proxy.openConnections()).isEqualTo(2);
                assertThat(proxy.openConnections(a)).isEqualTo(1);
                assertThat(proxy.openConnections(b)).isEqualTo(1);
                assertThat(proxy.acceptedConnections()).isEqualTo(2);
                assertThat(proxy.acceptedConnections(a)).isEqualTo(1);
                assertThat(proxy.acceptedConnections(b.host(), b.port())).isEqualTo(1);
            }
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(proxy.openConnections(b)).isZero());
            assertThat(proxy.acceptedConnections(b))
                    .as("accepted counts never go down")
                    .isEqualTo(1);
        }
    }

    @Test
    void dropConnectionsToResetsOnlyThatNodesConnections() {
        try (SwitchingProxy proxy = SwitchingProxy.start(a);
                RespClient onA = connect(proxy)) {
            assertThat(onA.call("PING")).isEqualTo("PONG");
            proxy.switchTo(b);
            try (RespClient onB = connect(proxy)) {
                assertThat(onB.call("PING")).isEqualTo("PONG");

                assertThat(proxy.dropConnectionsTo(a)).isEqualTo(1);

                assertThatThrownBy(() -> onA.call("PING"))
                        .isInstanceOf(UncheckedIOException.class)
                        .hasRootCauseInstanceOf(SocketException.class);
                assertThat(onB.call("GET", "node")).isEqualTo("b");
                assertThat(proxy.openConnections(a)).isZero();
                assertThat(proxy.openConnections(b)).isEqualTo(1);
            }
        }
    }

    @Test
    void dropAllResetsEveryConnectionAndKeepsAccepting() {
        try (SwitchingProxy proxy = SwitchingProxy.start(a)) {
            List<RespClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    clients.add(connect(proxy));
                    assertThat(clients.get(i).call("PING")).isEqualTo("PONG");
                }

                assertThat(proxy.dropAll()).isEqualTo(3);

                assertThat(proxy.openConnections()).isZero();
                for (RespClient client : clients) {
                    assertThatThrownBy(() -> client.call("PING")).isInstanceOf(UncheckedIOException.class);
                }
                try (RespClient again = connect(proxy)) {
                    assertThat(again.call("GET", "node")).isEqualTo("a");
                }
            } finally {
                clients.forEach(RespClient::close);
            }
        }
    }

    @Test
    void aTargetThatIsNotListeningClosesTheClientsConnection() throws Exception {
        int nothing = FreePorts.pick();
        try (SwitchingProxy proxy = SwitchingProxy.start("127.0.0.1", nothing);
                Socket socket = new Socket(proxy.host(), proxy.port())) {
            socket.setSoTimeout(5_000);

            assertThat(socket.getInputStream().read())
                    .as("end of stream: the target refused")
                    .isEqualTo(-1);
            assertThat(proxy.acceptedConnections("127.0.0.1", nothing)).isEqualTo(1);
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(proxy.openConnections()).isZero());
        }
    }

    @Test
    void replyDelayHoldsEveryReplyAndCanBeLifted() {
        try (SwitchingProxy proxy = SwitchingProxy.start(a);
                RespClient client = RespClient.connect(proxy.host(), proxy.port(), null, null, Duration.ofSeconds(5))) {
            assertThat(client.call("PING")).isEqualTo("PONG");

            proxy.replyDelay(Duration.ofMillis(400));
            long start = System.nanoTime();
            assertThat(client.call("PING")).isEqualTo("PONG");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));

            proxy.replyDelay(Duration.ZERO);
            start = System.nanoTime();
            assertThat(client.call("PING")).isEqualTo("PONG");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(400));
        }
    }

    @Test
    void rejectsANegativeDelay() {
        try (SwitchingProxy proxy = SwitchingProxy.start(a)) {
            assertThatThrownBy(() -> proxy.replyDelay(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("replyDelay");
        }
    }

    @Test
    void closeEndsEveryConnectionAndThreadAndIsIdempotent() throws Exception {
        SwitchingProxy proxy = SwitchingProxy.start(a);
        int port = proxy.port();
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                Socket socket = new Socket(proxy.host(), port);
                socket.setSoTimeout(5_000);
                sockets.add(socket);
                socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(socket.getInputStream().readNBytes(7))
                        .asString(StandardCharsets.US_ASCII)
                        .isEqualTo("+PONG\r\n");
            }
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(proxy.openConnections()).isEqualTo(5));
            assertThat(proxyThreads(port)).isPositive();

            proxy.close();
            proxy.close();

            assertThat(proxy.liveThreads()).isZero();
            assertThat(proxyThreads(port))
                    .as("threads named after the proxy still alive")
                    .isZero();
            assertThat(proxy.openConnections()).isZero();
            for (Socket socket : sockets) {
                InputStream in = socket.getInputStream();
                assertThat(in.read()).as("end of stream once the proxy closed").isEqualTo(-1);
            }
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
            assertThatThrownBy(() -> proxy.switchTo(b))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            assertThat(a.command("PING")).as("the target is untouched").isEqualTo("PONG");
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
            proxy.close();
        }
    }

    private static long proxyThreads(int port) {
        String prefix = "switching-proxy-" + port + "-";
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith(prefix))
                .count();
    }

    private static RespClient connect(SwitchingProxy proxy) {
        return RespClient.connect(proxy.host(), proxy.port(), null, null, TIMEOUT);
    }
}
