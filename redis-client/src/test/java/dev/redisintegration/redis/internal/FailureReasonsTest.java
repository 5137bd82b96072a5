package dev.redisintegration.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class FailureReasonsTest {

    private static final String SECRET = "hunter2-secret";
    private final FailureReasons reasons = new FailureReasons("cache.example", SECRET, Duration.ofSeconds(2));

    private static RedisConnectionException connectFailure(Throwable cause) {
        return new RedisConnectionException("Unable to connect to cache.example:6379", cause);
    }

    @Test
    void connectionRefusedAnywhereInTheChain() {
        assertThat(reasons.describe(
                        new CompletionException(connectFailure(new ConnectException("Connection refused")))))
                .isEqualTo("connection refused");
    }

    @Test
    void unknownHostNamesTheHost() {
        assertThat(reasons.describe(connectFailure(new UnknownHostException("cache.example"))))
                .isEqualTo("unknown host cache.example");
    }

    @Test
    void wrongPasswordAndMissingPasswordAreAuthenticationFailures() {
        assertThat(reasons.describe(connectFailure(new RedisCommandExecutionException(
                        "WRONGPASS invalid username-password pair or user is disabled."))))
                .isEqualTo("authentication failed (WRONGPASS: wrong user name or password)");
        assertThat(reasons.describe(new RedisCommandExecutionException("NOAUTH Authentication required.")))
                .isEqualTo("authentication failed (NOAUTH: Redis requires a password)");
    }

    @Test
    void tlsFailures() {
        assertThat(reasons.describe(connectFailure(new SSLHandshakeException("PKIX path building failed"))))
                .isEqualTo("TLS handshake failed (certificate not trusted or does not match the host)");
        assertThat(reasons.describe(connectFailure(new SSLHandshakeException("Received fatal alert"))))
                .isEqualTo("TLS handshake failed");
    }

    @Test
    void timeouts() {
        assertThat(reasons.describe(new java.util.concurrent.TimeoutException("connect timed out after 2000 ms")))
                .isEqualTo("connect timed out after 2000 ms");
        assertThat(reasons.describe(new RedisCommandTimeoutException("Command timed out after 2 second(s)")))
                .isEqualTo("command timed out after 2000 ms");
    }

    @Test
    void rejectedWhileDisconnected() {
        assertThat(reasons.describe(new RedisException("Currently not connected. Commands are rejected.")))
                .isEqualTo("not connected (reconnecting in the background)");
        assertThat(reasons.describe(new RedisException("Connection disconnected")))
                .isEqualTo("not connected (the connection dropped while the command waited)");
    }

    @Test
    void anythingElseIsShortAndNeverShowsThePassword() {
        String reason = reasons.describe(new RedisException("strange failure near " + SECRET + " " + "x".repeat(500)));

        assertThat(reason)
                .startsWith("RedisException: strange failure near ****")
                .doesNotContain(SECRET);
        assertThat(reason.length()).isLessThanOrEqualTo(201);
    }

    @Test
    void sentinelAndClusterSayWhichStepFailedAndWhy() {
        assertThat(reasons.describe(
                        new RedisConnectionException("Cannot provide redisAddress using sentinel for masterId orders")))
                .isEqualTo("no Sentinel knows a primary named 'orders'");
        RedisConnectionException noSentinel = new RedisConnectionException(
                "Cannot connect to a Redis Sentinel: [s1, s2]",
                new RedisConnectionException(
                        "Cannot connect Redis Sentinel at redis://s1", new ConnectException("Connection refused")));
        assertThat(reasons.describe(noSentinel)).isEqualTo("no Sentinel reachable (connection refused)");
        RedisException seeds = new RedisException("Cannot retrieve cluster partitions from [redis://a:7000]");
        seeds.addSuppressed(new RedisConnectionException(
                "Unable to connect to a:7000", new ConnectException("Connection refused")));
        assertThat(reasons.describe(seeds))
                .isEqualTo("cannot load the cluster topology from any seed (connection refused)");
        assertThat(reasons.describe(new RedisCommandExecutionException("ERR SELECT is not allowed in cluster mode")))
                .isEqualTo(
                        "the server is a Redis Cluster node, which has only database 0: remove the database from the "
                                + "endpoint");
        assertThat(reasons.describe(new RedisCommandExecutionException("CLUSTERDOWN The cluster is down")))
                .isEqualTo("the cluster is down (CLUSTERDOWN)");
    }

    @Test
    void anUnknownHostIsNamedFromTheFailureWhenItSaysWhichOne() {
        assertThat(reasons.describe(
                        connectFailure(new UnknownHostException("Failed to resolve 'node-3.example' [A(1)]"))))
                .isEqualTo("unknown host node-3.example");
    }

    @Test
    void theSentinelPasswordIsRedactedToo() {
        FailureReasons both = new FailureReasons("s1", SECRET, "sentinel-" + SECRET, Duration.ofSeconds(2));

        assertThat(both.describe(new RedisException("odd sentinel-" + SECRET))).doesNotContain(SECRET);
    }
}
