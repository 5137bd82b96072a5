package dev.redisintegration.testing.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisServerIT {

    private static final Duration SHORT = Duration.ofMillis(500);

    @Test
    void startsOnAFreePortAndAnswersPing() {
        List<RedisServer> servers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                servers.add(RedisServer.start());
            }
            for (RedisServer redis : servers) {
                assertThat(redis.port()).isNotEqualTo(6379).isPositive();
                assertThat(redis.endpoint()).isEqualTo(redis.host() + ":" + redis.port());
                assertThat(redis.url()).isEqualTo("redis://" + redis.endpoint());
                assertThat(redis.isRunning()).isTrue();
                assertThat(redis.command("PING")).isEqualTo("PONG");
            }
            assertThat(servers).extracting(RedisServer::port).doesNotHaveDuplicates();
        } finally {
            servers.forEach(RedisServer::close);
        }
    }

    @Test
    void rendersRepliesAsText() {
        try (RedisServer redis = RedisServer.start()) {
            assertThat(redis.command("SET", "greeting", "héllo wörld")).isEqualTo("OK");
            assertThat(redis.command("GET", "greeting")).isEqualTo("héllo wörld");
            assertThat(redis.command("GET", "missing")).isNull();
            assertThat(redis.command("INCR", "counter")).isEqualTo("1");
            redis.command("RPUSH", "list", "a", "b", "c");
            assertThat(redis.command("LRANGE", "list", "0", "-1")).isEqualTo("a\nb\nc");
        }
    }

    @Test
    void errorRepliesAreThrownWithTheirText() {
        try (RedisServer redis = RedisServer.start()) {
            assertThatThrownBy(() -> redis.command("NO-SUCH-COMMAND"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("unknown command");
        }
    }

    @Test
    void stoppedServerRefusesConnections() {
        try (RedisServer redis = RedisServer.start()) {
            redis.stop();

            assertThat(redis.isRunning()).isFalse();
            assertThatThrownBy(() -> redis.command("PING"))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("connection refused")
                    .hasCauseInstanceOf(ConnectException.class);
        }
    }

    @Test
    void restartAnswersOnTheSamePortAndStartsEmpty() {
        try (RedisServer redis = RedisServer.start()) {
            int port = redis.port();
            redis.command("SET", "key", "value");
            redis.stop();

            redis.restart();

            assertThat(redis.port()).isEqualTo(port);
            assertThat(redis.isRunning()).isTrue();
            assertThat(redis.command("PING")).isEqualTo("PONG");
            assertThat(redis.command("GET", "key")).isNull();
        }
    }

    @Test
    void restartOfARunningServerDropsItsClients() throws Exception {
        try (RedisServer redis = RedisServer.start();
                Socket client = new Socket(redis.host(), redis.port())) {
            client.setSoTimeout(2000);
            // One round trip first: a connection still in the listen backlog would be reset (RST), not closed (FIN).
            client.getOutputStream().write("PING\r\n".getBytes());
            assertThat(client.getInputStream().readNBytes(7)).asString().isEqualTo("+PONG\r\n");

            redis.restart();

            // The old process closed the connection (FIN); our write to it may draw a reset (RST) from the kernel
            // before the
            // read sees the end of stream. Either way the connection is gone, and nothing answers on it.
            client.getOutputStream().write("PING\r\n".getBytes());
            InputStream in = client.getInputStream();
            int read;
            try {
                read = in.read();
            } catch (java.net.SocketException reset) {
                assertThat(reset).hasMessageContaining("reset");
                read = -1;
            }
            assertThat(read).as("old connection closed by the restart").isEqualTo(-1);
            assertThat(redis.command("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void pausedServerAcceptsButNeverAnswersUntilResumed() {
        try (RedisServer redis = RedisServer.start()) {
            redis.pause();

            assertThat(redis.isPaused()).isTrue();
            assertThat(redis.isRunning()).isTrue();
            assertThatThrownBy(() -> redis.command("PING"))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("no reply within 2000 ms")
                    .hasCauseInstanceOf(SocketTimeoutException.class);

            redis.resume();

            assertThat(redis.isPaused()).isFalse();
            assertThat(redis.command("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void pausedServerCanBeRestarted() {
        try (RedisServer redis = RedisServer.start()) {
            redis.pause();

            redis.restart();

            assertThat(redis.isPaused()).isFalse();
            assertThat(redis.command("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void passwordIsRequiredAndHandledByCommand() {
        try (RedisServer redis = RedisServer.builder().password("s3cret-pw").build()) {
            try (RespClient anonymous = RespClient.connect(redis.host(), redis.port(), null, null, SHORT)) {
                assertThatThrownBy(() -> anonymous.call("PING"))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("NOAUTH");
            }
            assertThatThrownBy(() -> RespClient.connect(redis.host(), redis.port(), null, "wrong-pw", SHORT))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("WRONGPASS")
                    .hasMessageNotContaining("wrong-pw");

            assertThat(redis.command("PING")).isEqualTo("PONG");
            assertThat(redis.command("SET", "k", "v")).isEqualTo("OK");
            assertThat(redis.url()).isEqualTo("redis://:s3cret-pw@" + redis.endpoint());
            assertThat(redis.toString()).doesNotContain("s3cret-pw").contains(String.valueOf(redis.port()));
        }
    }

    @Test
    void tlsServerAnswersOverTlsOnly() throws Exception {
        try (RedisServer redis =
                RedisServer.builder().tls(true).password("tls-pw").build()) {
            assertThat(redis.isTls()).isTrue();
            assertThat(redis.url()).startsWith("rediss://");
            assertThat(redis.command("PING")).isEqualTo("PONG");

            assertThat(Files.readString(redis.tlsCaCertificate())).startsWith("-----BEGIN CERTIFICATE-----");
            RedisServer.TrustStore trustStore = redis.tlsTrustStore();
            KeyStore store = KeyStore.getInstance(trustStore.type());
            try (InputStream in = Files.newInputStream(trustStore.path())) {
                store.load(in, trustStore.passwordChars());
            }
            assertThat(store.size()).isEqualTo(1);

            // A plain-text client on the TLS port gets no RESP answer.
            try (RespClient plain = RespClient.connect(redis.host(), redis.port(), null, null, SHORT)) {
                assertThatThrownBy(() -> plain.call("PING")).isInstanceOf(RuntimeException.class);
            }
        }
    }

    @Test
    void plainServerHasNoCertificate() {
        try (RedisServer redis = RedisServer.start()) {
            assertThatThrownBy(redis::tlsCaCertificate)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("tls(true)");
        }
    }

    @Test
    void replicaFollowsItsPrimary() {
        try (RedisServer primary = RedisServer.builder().password("primary-pw").build();
                RedisServer replica = RedisServer.builder().replicaOf(primary).build()) {
            await().atMost(Duration.ofSeconds(15))
                    .untilAsserted(() -> assertThat(replica.command("INFO", "replication"))
                            .contains("role:slave")
                            .contains("master_link_status:up"));

            primary.command("SET", "replicated", "yes");

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() ->
                            assertThat(replica.command("GET", "replicated")).isEqualTo("yes"));
            assertThat(primary.command("INFO", "replication"))
                    .contains("role:master")
                    .contains("connected_slaves:1");
        }
    }

    @Test
    void tlsReplicaFollowsTlsPrimary() {
        try (RedisServer primary = RedisServer.builder().tls(true).build();
                RedisServer replica =
                        RedisServer.builder().tls(true).replicaOf(primary).build()) {
            await().atMost(Duration.ofSeconds(15))
                    .untilAsserted(() ->
                            assertThat(replica.command("INFO", "replication")).contains("master_link_status:up"));
        }
    }

    @Test
    void aPlainServerIsAMasterAndABuiltReplicaASlave() {
        try (RedisServer primary = RedisServer.start();
                RedisServer replica = RedisServer.builder().replicaOf(primary).build()) {
            assertThat(primary.role()).isEqualTo("master");
            assertThat(replica.role()).isEqualTo("slave");
        }
    }

    @Test
    void promoteAndReplicaOfSwapRolesAtRunTimeLikeAFailover() {
        try (RedisServer a = RedisServer.start();
                RedisServer b = RedisServer.builder().replicaOf(a).build()) {
            a.command("SET", "before", "1");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(b.command("GET", "before")).isEqualTo("1"));

            b.promote();
            a.replicaOf(b);

            assertThat(b.role()).isEqualTo("master");
            assertThat(a.role()).isEqualTo("slave");
            assertThat(a.command("INFO", "replication"))
                    .contains("master_link_status:up")
                    .contains("master_port:" + b.port());
            assertThatThrownBy(() -> a.command("SET", "k", "v"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("READONLY");
            assertThat(a.command("PING"))
                    .as("a demoted primary still answers PING")
                    .isEqualTo("PONG");
            assertThat(a.command("GET", "before"))
                    .as("synced from the new primary")
                    .isEqualTo("1");
            b.command("SET", "after", "2");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(a.command("GET", "after")).isEqualTo("2"));

            // and back again
            a.promote();
            b.replicaOf(a);
            assertThat(a.role()).isEqualTo("master");
            assertThat(b.role()).isEqualTo("slave");
            assertThat(a.command("SET", "k", "v")).isEqualTo("OK");
        }
    }

    @Test
    void aDemotedServerKeepsItsClientsConnected() throws Exception {
        try (RedisServer a = RedisServer.start();
                RedisServer b = RedisServer.start();
                RespClient client = RespClient.connect(a.host(), a.port(), null, null, Duration.ofSeconds(2))) {
            assertThat(client.call("SET", "k", "v")).isEqualTo("OK");

            a.replicaOf(b);

            assertThat(client.call("PING")).isEqualTo("PONG");
            assertThatThrownBy(() -> client.call("SET", "k", "v")).hasMessageContaining("READONLY");
        }
    }

    @Test
    void replicaOfAPasswordProtectedPrimarySetsMasterauth() {
        try (RedisServer primary = RedisServer.builder().password("primary-pw").build();
                RedisServer other = RedisServer.start()) {
            primary.command("SET", "secret-data", "x");

            other.replicaOf(primary);

            assertThat(other.command("GET", "secret-data")).isEqualTo("x");
        }
    }

    @Test
    void replicaOfFailsWithinItsBoundWhenThePrimaryIsGone() {
        try (RedisServer primary = RedisServer.start();
                RedisServer other = RedisServer.start()) {
            primary.stop();
            long start = System.nanoTime();

            assertThatThrownBy(() -> other.replicaOf(primary, Duration.ofMillis(500)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("master_link_status:up")
                    .hasMessageContaining(primary.endpoint())
                    .hasMessageContaining("within 500 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThatThrownBy(() -> other.replicaOf(other)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aPlainServerCannotReplicateFromATlsPrimary() {
        try (RedisServer primary = RedisServer.builder().tls(true).build();
                RedisServer plain = RedisServer.start()) {
            assertThatThrownBy(() -> plain.replicaOf(primary))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("tls(true)");
            assertThat(plain.role()).isEqualTo("master");
        }
    }

    @Test
    void twoServersListenOnTheSamePortAtTwoLoopbackAddresses() {
        int port = FreePorts.pick();
        try (RedisServer first = RedisServer.builder()
                        .bindAddress("127.0.0.2")
                        .port(port)
                        .build();
                RedisServer second = RedisServer.builder()
                        .bindAddress("127.0.0.3")
                        .port(port)
                        .build()) {
            assertThat(first.host()).isEqualTo("127.0.0.2");
            assertThat(first.endpoint()).isEqualTo("127.0.0.2:" + port);
            assertThat(second.endpoint()).isEqualTo("127.0.0.3:" + port);
            first.command("SET", "node", "first");
            assertThat(second.command("GET", "node")).as("two distinct servers").isNull();

            second.replicaOf(first);
            assertThat(second.command("GET", "node")).isEqualTo("first");

            first.restart();
            assertThat(first.endpoint()).as("restart keeps address and port").isEqualTo("127.0.0.2:" + port);
            assertThat(first.command("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void aChosenPortThatIsTakenFailsWithoutPickingAnother() {
        try (RedisServer first = RedisServer.builder().bindAddress("127.0.0.2").build()) {
            assertThatThrownBy(() -> RedisServer.builder()
                            .bindAddress("127.0.0.2")
                            .port(first.port())
                            .build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("chosen 127.0.0.2:" + first.port());
        }
    }

    @Test
    void bindAddressAndPortAreValidated() {
        assertThatThrownBy(() -> RedisServer.builder().bindAddress("10.0.0.1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("127.0.0.0/8");
        assertThatThrownBy(() -> RedisServer.builder().bindAddress("localhost"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisServer.builder().bindAddress("127.0.0.256"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisServer.builder().port(6379))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("developer");
        assertThatThrownBy(() -> RedisServer.builder().port(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bindAddressOnTheDockerBackendFailsClearly() {
        String before = System.getProperty(DockerDetection.BACKEND_PROPERTY);
        System.setProperty(DockerDetection.BACKEND_PROPERTY, "docker");
        try {
            assertThatThrownBy(
                            () -> RedisServer.builder().bindAddress("127.0.0.2").build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("bindAddress(127.0.0.2)")
                    .hasMessageContaining("redis-server binary")
                    .hasMessageContaining("=binary");
        } finally {
            if (before == null) {
                System.clearProperty(DockerDetection.BACKEND_PROPERTY);
            } else {
                System.setProperty(DockerDetection.BACKEND_PROPERTY, before);
            }
        }
    }

    @Test
    void commandCountCountsOnlyTheCallsMadeSinceStart() {
        try (RedisServer redis = RedisServer.start()) {
            assertThat(redis.commandCount("ping")).isZero();

            redis.command("PING");
            redis.command("ping");
            redis.command("PING");

            assertThat(redis.commandCount("ping")).isEqualTo(3);
            assertThat(redis.commandCount("PING")).isEqualTo(3);
            assertThat(redis.commandCount("get")).isZero();
        }
    }

    @Test
    void clientListShowsOtherConnectionsButNotItsOwn() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            assertThat(redis.clientList()).isEmpty();

            try (Socket client = new Socket()) {
                client.connect(new InetSocketAddress(redis.host(), redis.port()), 1000);
                await().atMost(Duration.ofSeconds(5))
                        .untilAsserted(() -> assertThat(redis.clientList()).hasSize(1));
                assertThat(redis.clientList().get(0))
                        .startsWith("id=")
                        .contains("addr=127.0.0.1:" + client.getLocalPort());
            }
        }
    }

    @Test
    void extraArgsReachTheServer() {
        try (RedisServer redis =
                RedisServer.builder().extraArgs("--maxclients", "42").build()) {
            assertThat(redis.command("CONFIG", "GET", "maxclients")).isEqualTo("maxclients\n42");
        }
    }

    @Test
    void aServerThatCannotStartFailsWithItsLog() {
        assertThatThrownBy(() -> RedisServer.builder()
                        .extraArgs("--no-such-directive", "x")
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited before answering PING")
                .hasMessageContaining("no-such-directive");
    }

    @Test
    void closeKillsTheServerAndIsIdempotent() {
        RedisServer redis = RedisServer.start();
        int port = redis.port();

        redis.close();
        redis.close();

        assertThat(redis.isRunning()).isFalse();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        assertThatThrownBy(redis::restart)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void closeKillsAPausedServer() {
        RedisServer redis = RedisServer.start();
        int port = redis.port();
        redis.pause();

        redis.close();

        assertThat(redis.isRunning()).isFalse();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }
}
