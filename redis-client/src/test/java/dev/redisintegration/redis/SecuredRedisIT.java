package dev.redisintegration.redis;

import static dev.redisintegration.redis.ItSupport.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.testing.LogCapture;
import dev.redisintegration.testing.redis.RedisServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Passwords, TLS and replication, each against its own real redis-server. */
class SecuredRedisIT {

    private static final String PASSWORD = "right-" + UUID.randomUUID();
    private static final String WRONG_PASSWORD = "wrong-" + UUID.randomUUID();

    private static RedisServer withPassword;
    private static RedisServer tls;

    private final List<RedisConnectionManager> managers = new ArrayList<>();

    @BeforeAll
    static void startServers() {
        withPassword = RedisServer.builder().password(PASSWORD).build();
        tls = RedisServer.builder().tls(true).build();
        try {
            LettuceWarmUp.once(withPassword);
        } catch (Exception e) {
            throw new IllegalStateException("warm-up failed", e);
        }
    }

    @AfterAll
    static void stopServers() {
        if (withPassword != null) {
            withPassword.close();
        }
        if (tls != null) {
            tls.close();
        }
    }

    @AfterEach
    void closeManagers() {
        managers.forEach(RedisConnectionManager::close);
    }

    private RedisConnectionManager manager(Map<String, String> env) {
        Map<String, String> settings = new HashMap<>(env);
        settings.putIfAbsent(RedisSettings.ENV_PING_TIMEOUT, "2s"); // TLS handshakes on a busy 2-core box
        RedisConnectionManager manager = RedisConnectionManager.create(RedisSettings.fromEnvironment(settings));
        managers.add(manager);
        return manager;
    }

    @Test
    void passwordInTheUrlAndADatabase() throws Exception {
        RedisConnectionManager manager = manager(Map.of(
                RedisSettings.ENV_ENDPOINT,
                "redis://:" + PASSWORD + "@" + withPassword.endpoint() + "/2",
                RedisSettings.ENV_CLIENT_NAME,
                "db-it"));

        assertThat(result(manager.ping())).isTrue();
        assertThat(withPassword.clientList())
                .filteredOn(line -> line.contains(" name=db-it "))
                .singleElement()
                .asString()
                .contains(" db=2 ");
        assertThat(manager.getConnectionUrl())
                .isEqualTo("redis://:****@" + withPassword.endpoint() + "/2")
                .doesNotContain(PASSWORD);
    }

    @Test
    void passwordFromTheEnvironmentWithAHostPortEndpoint() throws Exception {
        RedisConnectionManager manager = manager(
                Map.of(RedisSettings.ENV_ENDPOINT, withPassword.endpoint(), RedisSettings.ENV_PASSWORD, PASSWORD));

        assertThat(result(manager.ping())).isTrue();
    }

    @Test
    void aclUserAndPassword() throws Exception {
        withPassword.command("ACL", "SETUSER", "app", "on", ">" + PASSWORD, "~*", "+@all");
        RedisConnectionManager manager =
                manager(Map.of(RedisSettings.ENV_ENDPOINT, "redis://app:" + PASSWORD + "@" + withPassword.endpoint()));

        assertThat(result(manager.ping())).isTrue();
    }

    @Test
    void probeFallsBackToPingWhereAnAclRefusesRole() throws Exception {
        withPassword.command("ACL", "SETUSER", "no-role", "on", ">" + PASSWORD, "~*", "+@all", "-role");
        RedisConnectionManager manager = manager(
                Map.of(RedisSettings.ENV_ENDPOINT, "redis://no-role:" + PASSWORD + "@" + withPassword.endpoint()));

        RedisProbe probe = result(manager.probe());

        assertThat(probe.up()).isTrue();
        assertThat(probe.role()).isEqualTo(ReplicationRole.UNKNOWN);
    }

    @Test
    void autoModeWhereAnAclRefusesInfoStaysStandaloneAndSaysSoOnceNamingTheVariable() throws Exception {
        withPassword.command("ACL", "SETUSER", "no-info", "on", ">" + PASSWORD, "~*", "+@all", "-info");
        try (LogCapture logs = LogCapture.start()) {
            RedisConnectionManager manager = manager(
                    Map.of(RedisSettings.ENV_ENDPOINT, "redis://no-info:" + PASSWORD + "@" + withPassword.endpoint()));

            result(result(manager.getClient()).set("auto", "standalone"));
            RedisProbe probe = result(manager.probe());

            assertThat(probe.up()).isTrue();
            assertThat(probe.details()).containsEntry("mode", "standalone");
            assertThat(withPassword.command("GET", "auto")).isEqualTo("standalone");
            assertThat(logs.lines(
                            ch.qos.logback.classic.Level.INFO, "dev.redisintegration.redis.RedisConnectionManager"))
                    .filteredOn(line -> line.contains("refused INFO"))
                    .singleElement()
                    .asString()
                    .contains("permission denied (NOPERM)", "REDIS_MODE=standalone or REDIS_MODE=cluster")
                    .doesNotContain(PASSWORD);
        }
    }

    @Test
    void wrongPasswordIsFalseWithAnAuthenticationReasonAndNeverShowsAPassword() throws Exception {
        try (LogCapture logs = LogCapture.start()) {
            RedisConnectionManager manager = manager(Map.of(
                    RedisSettings.ENV_ENDPOINT, withPassword.endpoint(), RedisSettings.ENV_PASSWORD, WRONG_PASSWORD));

            boolean up = result(manager.ping());
            RedisProbe probe = result(manager.probe());
            manager.close();

            assertThat(up).isFalse();
            assertThat(probe.up()).isFalse();
            assertThat(probe.failureReason())
                    .contains("authentication failed")
                    .doesNotContain(WRONG_PASSWORD)
                    .doesNotContain(PASSWORD);
            assertThat(manager.getConnectionUrl()).doesNotContain(WRONG_PASSWORD);
            assertThat(manager.settings().toString()).doesNotContain(WRONG_PASSWORD);
            assertThat(logs.lines())
                    .isNotEmpty()
                    .noneMatch(line -> line.contains(WRONG_PASSWORD) || line.contains(PASSWORD));
        }
    }

    @Test
    void missingPasswordIsAnAuthenticationFailure() throws Exception {
        RedisConnectionManager manager = manager(Map.of(RedisSettings.ENV_ENDPOINT, withPassword.endpoint()));

        RedisProbe probe = result(manager.probe());

        assertThat(probe.up()).isFalse();
        assertThat(probe.failureReason()).startsWith("authentication failed");
    }

    @Test
    void redissWithTheFixtureCaIsUpAndPrimary() throws Exception {
        RedisConnectionManager manager = manager(Map.of(
                RedisSettings.ENV_ENDPOINT,
                tls.url(),
                RedisSettings.ENV_TLS_CA_CERT,
                tls.tlsCaCertificate().toString()));

        RedisProbe probe = result(manager.probe());

        assertThat(probe.up()).isTrue();
        assertThat(probe.role()).isEqualTo(ReplicationRole.PRIMARY);
        assertThat(manager.getConnectionUrl()).startsWith("rediss://");
    }

    @Test
    void redissWithoutTrustingTheCaFailsTheHandshake() throws Exception {
        RedisConnectionManager manager = manager(Map.of(RedisSettings.ENV_ENDPOINT, tls.url()));

        RedisProbe probe = result(manager.probe());

        assertThat(probe.up()).isFalse();
        assertThat(probe.failureReason()).startsWith("TLS handshake failed");
    }

    @Test
    void aReplicaIsDownUnlessAnyRoleIsExpected() throws Exception {
        try (RedisServer primary = RedisServer.start();
                RedisServer replica = RedisServer.builder().replicaOf(primary).build()) {
            RedisConnectionManager primaryManager = manager(Map.of(RedisSettings.ENV_ENDPOINT, primary.endpoint()));
            RedisConnectionManager replicaManager = manager(Map.of(RedisSettings.ENV_ENDPOINT, replica.endpoint()));
            RedisConnectionManager readerManager = manager(
                    Map.of(RedisSettings.ENV_ENDPOINT, replica.endpoint(), RedisSettings.ENV_EXPECTED_ROLE, "any"));

            RedisProbe replicaProbe = result(replicaManager.probe());
            RedisProbe readerProbe = result(readerManager.probe());
            RedisProbe primaryProbe = result(primaryManager.probe());

            assertThat(replicaProbe.up()).isFalse();
            assertThat(replicaProbe.failureReason()).isEqualTo("connected to a replica, not the primary");
            assertThat(replicaProbe.role()).isEqualTo(ReplicationRole.REPLICA);
            assertThat(readerProbe.up()).isTrue();
            assertThat(readerProbe.role()).isEqualTo(ReplicationRole.REPLICA);
            assertThat(primaryProbe.up()).isTrue();
            assertThat(primaryProbe.role()).isEqualTo(ReplicationRole.PRIMARY);
        }
    }
}
