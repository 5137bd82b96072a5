package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Probe failure reasons, as redis-client and health-core word them, reduced to the metric's reason classes. */
class ProbeFailureClassTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            timed out after 500 ms                                                                  | TIMEOUT
            connect timed out after 2000 ms                                                         | TIMEOUT
            command timed out after 2 s                                                             | TIMEOUT
            connect timed out                                                                       | TIMEOUT
            connection refused                                                                      | REFUSED
            connection failed                                                                       | REFUSED
            authentication failed (WRONGPASS: wrong user name or password)                          | AUTH
            authentication failed (NOAUTH: Redis requires a password)                               | AUTH
            permission denied (NOPERM)                                                              | AUTH
            connected to a replica, not the primary                                                 | REPLICA
            the replica lost its primary (MASTERDOWN)                                               | REPLICA
            TLS handshake failed (certificate not trusted or does not match the host)               | TLS
            TLS handshake failed                                                                    | TLS
            unknown host redis.example                                                              | DNS
            unknown host replica-timed-out.example                                                  | DNS
            not connected (reconnecting in the background)                                          | NOT_CONNECTED
            'not connected (reconnecting in the background), last attempt: connection refused'      | NOT_CONNECTED
            not connected (the connection dropped while the command waited)                         | NOT_CONNECTED
            connection closed                                                                       | NOT_CONNECTED
            connection reset by peer                                                                | NOT_CONNECTED
            client closed                                                                           | NOT_CONNECTED
            left node 10.0.0.5:6379 (the node is a replica (demoted by a failover?)); reconnecting through the endpoint | REPLICA
            left node replica-1:6379 (no reply to two verifications (500 ms and 1 s)); reconnecting through the endpoint | TIMEOUT
            left node timed-out-host:6379 (dropped); reconnecting through the endpoint              | NOT_CONNECTED
            no route to host replica.example                                                        | OTHER
            network unreachable                                                                     | OTHER
            Redis is loading its dataset (LOADING)                                                  | OTHER
            check threw IllegalStateException: boom                                                 | OTHER
            redis unavailable                                                                       | OTHER
            ''                                                                                      | OTHER
            """)
    void reasonsFallIntoOneClassEach(String reason, ProbeFailureClass expected) {
        assertThat(ProbeFailureClass.of(reason)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"NOT_CONNECTED, not_connected", "TIMEOUT, timeout", "DNS, dns"})
    void theTagIsTheLowerCaseName(ProbeFailureClass reason, String tag) {
        assertThat(reason.tag()).isEqualTo(tag);
    }
}
