package dev.redisintegration.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedisSettingsTest {

    private static final String SECRET = "s3cr3t-Pa55";
    private static final String SENTINEL_SECRET = "s3ntin3l-Pa55";
    private static final String ENDPOINT_FORMS = "Accepted forms: host, host:port, [ipv6]:port, "
            + "redis://[[user]:password@]host[:port][/db], rediss://[[user]:password@]host[:port][/db], "
            + "cluster seeds host:port,host:port,..., "
            + "redis-sentinel://[[user]:password@]host[:port][,host[:port]...][/db]#master";

    private static RedisSettings endpoint(String value) {
        return RedisSettings.fromEnvironment(Map.of(RedisSettings.ENV_ENDPOINT, value));
    }

    @Nested
    class Defaults {

        @Test
        void emptyEnvironmentMeansLocalhostWithEveryDefault() {
            RedisSettings settings = RedisSettings.fromEnvironment(Map.of());

            assertThat(settings.host()).isEqualTo("localhost");
            assertThat(settings.port()).isEqualTo(6379);
            assertThat(settings.ssl()).isFalse();
            assertThat(settings.database()).isZero();
            assertThat(settings.username()).isNull();
            assertThat(settings.password()).isNull();
            assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(settings.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(settings.pingTimeout()).isEqualTo(Duration.ofMillis(500));
            assertThat(settings.clientName()).isEqualTo("redis-integration");
            assertThat(settings.verifyInterval()).isEqualTo(Duration.ofSeconds(5));
            assertThat(settings.dnsMaxTtl()).isEqualTo(Duration.ofSeconds(5));
            assertThat(settings.expectedRole()).isEqualTo(ExpectedRole.PRIMARY);
            assertThat(settings.poolMaxTotal()).isEqualTo(8);
            assertThat(settings.tlsCaCertificate()).isNull();
            assertThat(settings.reconnectMaxDelay()).isEqualTo(Duration.ofSeconds(2));
            assertThat(settings.maskedUrl()).isEqualTo("redis://localhost:6379");
            assertThat(settings.mode()).isEqualTo(RedisMode.AUTO);
            assertThat(settings.nodes()).containsExactly(new RedisNode("localhost", 6379));
            assertThat(settings.sentinelMaster()).isNull();
            assertThat(settings.sentinelPassword()).isNull();
        }

        @Test
        void theListOfVariablesNamesTheTopologyOnes() {
            assertThat(RedisSettings.environmentVariables())
                    .contains(RedisSettings.ENV_MODE, RedisSettings.ENV_SENTINEL_PASSWORD)
                    .containsExactlyElementsOf(new java.util.LinkedHashSet<>(RedisSettings.environmentVariables()));
        }

        @Test
        void blankVariablesCountAsUnset() {
            Map<String, String> env = new HashMap<>();
            for (String name : new String[] {
                RedisSettings.ENV_ENDPOINT,
                RedisSettings.ENV_USERNAME,
                RedisSettings.ENV_PASSWORD,
                RedisSettings.ENV_CONNECT_TIMEOUT,
                RedisSettings.ENV_COMMAND_TIMEOUT,
                RedisSettings.ENV_PING_TIMEOUT,
                RedisSettings.ENV_CLIENT_NAME,
                RedisSettings.ENV_POOL_MAX_TOTAL,
                RedisSettings.ENV_TLS_CA_CERT
            }) {
                env.put(name, "  ");
            }

            assertThat(RedisSettings.fromEnvironment(env))
                    .isEqualTo(RedisSettings.builder().build());
        }

        @Test
        void builderDefaultsEqualTheEnvironmentDefaults() {
            assertThat(RedisSettings.builder().build()).isEqualTo(RedisSettings.fromEnvironment(Map.of()));
        }
    }

    @Nested
    class EndpointForms {

        @Test
        void hostAloneUsesTheDefaultPort() {
            RedisSettings settings = endpoint("cache.internal");

            assertThat(settings.host()).isEqualTo("cache.internal");
            assertThat(settings.port()).isEqualTo(6379);
            assertThat(settings.ssl()).isFalse();
        }

        @Test
        void hostAndPort() {
            RedisSettings settings = endpoint("10.0.0.7:6380");

            assertThat(settings.host()).isEqualTo("10.0.0.7");
            assertThat(settings.port()).isEqualTo(6380);
        }

        @Test
        void bracketedIpv6WithPort() {
            RedisSettings settings = endpoint("[2001:db8::1]:6381");

            assertThat(settings.host()).isEqualTo("2001:db8::1");
            assertThat(settings.port()).isEqualTo(6381);
            assertThat(settings.maskedUrl()).isEqualTo("redis://[2001:db8::1]:6381");
        }

        @Test
        void bracketedIpv6WithoutPort() {
            RedisSettings settings = endpoint("[::1]");

            assertThat(settings.host()).isEqualTo("::1");
            assertThat(settings.port()).isEqualTo(6379);
        }

        @Test
        void redisUrlWithHostOnly() {
            RedisSettings settings = endpoint("redis://cache");

            assertThat(settings.host()).isEqualTo("cache");
            assertThat(settings.port()).isEqualTo(6379);
            assertThat(settings.ssl()).isFalse();
            assertThat(settings.password()).isNull();
        }

        @Test
        void redisUrlWithPasswordAndDatabase() {
            RedisSettings settings = endpoint("redis://:" + SECRET + "@cache:6380/2");

            assertThat(settings.host()).isEqualTo("cache");
            assertThat(settings.port()).isEqualTo(6380);
            assertThat(settings.database()).isEqualTo(2);
            assertThat(settings.username()).isNull();
            assertThat(settings.password()).isEqualTo(SECRET);
            assertThat(settings.maskedUrl()).isEqualTo("redis://:****@cache:6380/2");
        }

        @Test
        void redisUrlWithUserAndPassword() {
            RedisSettings settings = endpoint("redis://app:" + SECRET + "@cache/3");

            assertThat(settings.username()).isEqualTo("app");
            assertThat(settings.password()).isEqualTo(SECRET);
            assertThat(settings.port()).isEqualTo(6379);
            assertThat(settings.database()).isEqualTo(3);
            assertThat(settings.maskedUrl()).isEqualTo("redis://app:****@cache:6379/3");
        }

        @Test
        void userInfoWithoutColonIsAPasswordAsInRedisCli() {
            RedisSettings settings = endpoint("redis://" + SECRET + "@cache");

            assertThat(settings.username()).isNull();
            assertThat(settings.password()).isEqualTo(SECRET);
        }

        @Test
        void percentEncodedPasswordIsDecodedAndPlusStaysPlus() {
            RedisSettings settings = endpoint("redis://:p%40ss%3Aw+rd@cache");

            assertThat(settings.password()).isEqualTo("p@ss:w+rd");
        }

        @Test
        void passwordMayContainAtSign() {
            RedisSettings settings = endpoint("redis://app:p@ss@cache:6390");

            assertThat(settings.password()).isEqualTo("p@ss");
            assertThat(settings.host()).isEqualTo("cache");
            assertThat(settings.port()).isEqualTo(6390);
        }

        @Test
        void redissMeansTls() {
            RedisSettings settings = endpoint("rediss://:" + SECRET + "@secure.example:6380/0");

            assertThat(settings.ssl()).isTrue();
            assertThat(settings.port()).isEqualTo(6380);
            assertThat(settings.maskedUrl()).isEqualTo("rediss://:****@secure.example:6380");
        }

        @Test
        void schemeIsCaseInsensitiveAndTrailingSlashMeansDatabaseZero() {
            RedisSettings settings = endpoint("REDIS://cache:6379/");

            assertThat(settings.host()).isEqualTo("cache");
            assertThat(settings.database()).isZero();
        }

        @Test
        void redisUrlWithIpv6Host() {
            RedisSettings settings = endpoint("redis://:" + SECRET + "@[::1]:6380/1");

            assertThat(settings.host()).isEqualTo("::1");
            assertThat(settings.port()).isEqualTo(6380);
            assertThat(settings.database()).isEqualTo(1);
        }

        @Test
        void surroundingWhitespaceIsIgnored() {
            assertThat(endpoint("  cache:6380 \n").port()).isEqualTo(6380);
        }
    }

    @Nested
    class EnvironmentOverrides {

        @Test
        void usernameAndPasswordVariablesOverrideTheUrlCredentials() {
            RedisSettings settings = RedisSettings.fromEnvironment(Map.of(
                    RedisSettings.ENV_ENDPOINT, "redis://old:oldpass@cache:6380",
                    RedisSettings.ENV_USERNAME, "app",
                    RedisSettings.ENV_PASSWORD, SECRET));

            assertThat(settings.username()).isEqualTo("app");
            assertThat(settings.password()).isEqualTo(SECRET);
            assertThat(settings.port()).isEqualTo(6380);
        }

        @Test
        void passwordVariableAloneAuthenticatesThePlainEndpoint() {
            RedisSettings settings = RedisSettings.fromEnvironment(
                    Map.of(RedisSettings.ENV_ENDPOINT, "cache:6380", RedisSettings.ENV_PASSWORD, SECRET));

            assertThat(settings.username()).isNull();
            assertThat(settings.password()).isEqualTo(SECRET);
            assertThat(settings.maskedUrl()).isEqualTo("redis://:****@cache:6380");
        }

        @Test
        void failoverSettingsFromTheEnvironment() {
            RedisSettings settings = RedisSettings.fromEnvironment(Map.of(
                    RedisSettings.ENV_VERIFY_INTERVAL, "2s",
                    RedisSettings.ENV_DNS_MAX_TTL, "0",
                    RedisSettings.ENV_EXPECTED_ROLE, "ANY"));

            assertThat(settings.verifyInterval()).isEqualTo(Duration.ofSeconds(2));
            assertThat(settings.dnsMaxTtl()).isZero();
            assertThat(settings.expectedRole()).isEqualTo(ExpectedRole.ANY);
            assertThat(RedisSettings.fromEnvironment(Map.of(RedisSettings.ENV_DNS_MAX_TTL, "30s"))
                            .dnsMaxTtl())
                    .isEqualTo(Duration.ofSeconds(30));
        }

        @ParameterizedTest
        @CsvSource({"500ms,500", "2s,2000", "1m,60000", "1h,3600000", "PT2S,2000", "pt0.25s,250", "3 S,3000"})
        void durationsInEveryForm(String value, long millis) {
            RedisSettings settings = RedisSettings.fromEnvironment(Map.of(
                    RedisSettings.ENV_CONNECT_TIMEOUT, value,
                    RedisSettings.ENV_COMMAND_TIMEOUT, value,
                    RedisSettings.ENV_PING_TIMEOUT, value));

            assertThat(settings.connectTimeout()).isEqualTo(Duration.ofMillis(millis));
            assertThat(settings.commandTimeout()).isEqualTo(Duration.ofMillis(millis));
            assertThat(settings.pingTimeout()).isEqualTo(Duration.ofMillis(millis));
        }

        @Test
        void clientNameAndPoolSize() {
            RedisSettings settings = RedisSettings.fromEnvironment(Map.of(
                    RedisSettings.ENV_CLIENT_NAME, "orders-service",
                    RedisSettings.ENV_POOL_MAX_TOTAL, "16"));

            assertThat(settings.clientName()).isEqualTo("orders-service");
            assertThat(settings.poolMaxTotal()).isEqualTo(16);
        }

        @Test
        void tlsCaCertificateWithRediss(@TempDir Path directory) throws IOException {
            Path ca = Files.writeString(directory.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");

            RedisSettings settings = RedisSettings.fromEnvironment(Map.of(
                    RedisSettings.ENV_ENDPOINT, "rediss://cache:6380", RedisSettings.ENV_TLS_CA_CERT, ca.toString()));

            assertThat(settings.tlsCaCertificate()).isEqualTo(ca);
        }
    }

    @Nested
    class BadInput {

        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                value = {
                    "http://cache:6379          | unknown scheme 'http'",
                    "cache:0                    | port 0 is out of range 1-65535",
                    "cache:65536                | port 65536 is out of range 1-65535",
                    "redis://cache:99999        | port 99999 is out of range 1-65535",
                    "cache:abc                  | port 'abc' is not a number",
                    "cache:                     | the port is empty",
                    "::1                        | an IPv6 address must be written in brackets",
                    "[::1                       | lacks its closing ']'",
                    "[cache]:6379               | 'cache' is not an IPv6 address",
                    "not a host                 | 'not a host' is not a valid host name",
                    "redis://                   | the host is missing",
                    "redis://cache/db1          | database 'db1' is not a non-negative number",
                    "redis://cache?timeout=5s   | query parameters and fragments are not supported",
                    "cache/2                    | need the redis:// or rediss:// form",
                    "rediss-sentinel://s1#m     | TLS to Sentinel (rediss-sentinel://) is not supported",
                    "a:7000,a:7000              | a:7000 is listed twice",
                    "a:7000,,b:7000             | the list of hosts has an empty entry",
                    "a:7000,                    | the list of hosts has an empty entry",
                    "redis-sentinel://s1#my m   | the primary's name 'my m' after '#' must not contain spaces",
                    "redis://a:7000#x           | query parameters and fragments are not supported",
                    "a:7000,b:x                 | port 'x' is not a number",
                })
        void badEndpointNamesTheVariableTheValueAndTheAcceptedForms(String value, String problem) {
            assertThatThrownBy(() -> endpoint(value))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("REDIS_PRIMARY_ENDPOINT='" + value.strip() + "' is invalid: ")
                    .hasMessageContaining(problem)
                    .hasMessageEndingWith(ENDPOINT_FORMS);
        }

        @Test
        void badEndpointMessageMasksThePassword() {
            assertThatThrownBy(() -> endpoint("redis://app:" + SECRET + "@cache:99999"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("REDIS_PRIMARY_ENDPOINT='redis://app:****@cache:99999' is invalid")
                    .hasMessageNotContaining(SECRET);
        }

        @Test
        void badSchemeMessageMasksAPasswordWithoutUser() {
            assertThatThrownBy(() -> endpoint("http://" + SECRET + "@cache"))
                    .hasMessageContaining("'http://****@cache'")
                    .hasMessageNotContaining(SECRET);
        }

        @Test
        void badEscapeInThePasswordIsReportedWithoutIt() {
            assertThatThrownBy(() -> endpoint("redis://:" + SECRET + "%zz@cache"))
                    .hasMessageContaining("the password has an invalid %-escape")
                    .hasMessageNotContaining(SECRET);
        }

        @Test
        void passwordPastedIntoAnotherVariableIsMaskedToo() {
            assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of(
                            RedisSettings.ENV_PASSWORD, SECRET,
                            RedisSettings.ENV_PING_TIMEOUT, SECRET)))
                    .hasMessageStartingWith("REDIS_PING_TIMEOUT='****' is invalid")
                    .hasMessageNotContaining(SECRET);
        }

        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                value = {
                    "soon  | not a duration",
                    "500   | the unit is missing",
                    "0s    | the duration must be positive",
                    "-1s   | not a duration",
                    "PT-2S | the duration must be positive",
                    "P2X   | not a valid ISO-8601 duration",
                })
        void badDurationNamesTheVariableAndTheForms(String value, String problem) {
            for (String variable : new String[] {
                RedisSettings.ENV_CONNECT_TIMEOUT, RedisSettings.ENV_COMMAND_TIMEOUT, RedisSettings.ENV_PING_TIMEOUT
            }) {
                assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of(variable, value)))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage(variable + "='" + value + "' is invalid: " + problem
                                + ". Accepted forms: a positive duration such as 500ms, 2s, 1m, 1h or ISO-8601 PT2S");
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"-3", "eight", "1.5"})
        void badPoolSize(String value) {
            assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of(RedisSettings.ENV_POOL_MAX_TOTAL, value)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("REDIS_POOL_MAX_TOTAL='" + value + "' is invalid: not a positive whole number. "
                            + "Accepted forms: a whole number from 1 to 999999, e.g. 8");
        }

        @Test
        void poolSizeBelowOneFailsOnTheBuildersOwnRuleNamingTheVariable() {
            assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of(RedisSettings.ENV_POOL_MAX_TOTAL, "0")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("REDIS_POOL_MAX_TOTAL='0' is invalid: poolMaxTotal must be at least 1: 0. "
                            + "Accepted forms: a whole number from 1 to 999999, e.g. 8");
            assertThatThrownBy(() -> RedisSettings.builder().poolMaxTotal(0).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("poolMaxTotal must be at least 1: 0");
        }

        @ParameterizedTest
        @ValueSource(strings = {"1500ms", "-1s", "soon"})
        void badDnsMaxTtl(String value) {
            assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of(RedisSettings.ENV_DNS_MAX_TTL, value)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("REDIS_DNS_MAX_TTL='" + value + "' is invalid: ")
                    .hasMessageContaining("Accepted forms: ");
        }

        @Test
        void badExpectedRole() {
            assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of(RedisSettings.ENV_EXPECTED_ROLE, "replica")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "REDIS_EXPECTED_ROLE='replica' is invalid: unknown role. Accepted forms: primary or any");
        }

        @Test
        void badVerifyInterval() {
            assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of(RedisSettings.ENV_VERIFY_INTERVAL, "0s")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("REDIS_VERIFY_INTERVAL='0s' is invalid: the duration must be positive");
        }

        @Test
        void clientNameWithSpaces() {
            assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of(RedisSettings.ENV_CLIENT_NAME, "my app")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("REDIS_CLIENT_NAME='my app' is invalid: ")
                    .hasMessageContaining("Accepted forms: printable ASCII without spaces");
        }

        @Test
        void usernameWithoutPassword() {
            assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of(RedisSettings.ENV_USERNAME, "app")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("REDIS_USERNAME='app' is set but no password is")
                    .hasMessageContaining("REDIS_PASSWORD");
        }

        @Test
        void caCertificateNeedsRediss(@TempDir Path directory) throws IOException {
            Path ca = Files.writeString(directory.resolve("ca.crt"), "pem");

            assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of(
                            RedisSettings.ENV_ENDPOINT, "cache:6380", RedisSettings.ENV_TLS_CA_CERT, ca.toString())))
                    .hasMessageStartingWith("REDIS_TLS_CA_CERT='" + ca + "' is invalid: TLS is off");
        }

        @Test
        void caCertificateMustBeReadable(@TempDir Path directory) {
            Path missing = directory.resolve("missing.crt");

            assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of(
                            RedisSettings.ENV_ENDPOINT,
                            "rediss://cache:6380",
                            RedisSettings.ENV_TLS_CA_CERT,
                            missing.toString())))
                    .hasMessage("REDIS_TLS_CA_CERT='" + missing + "' is invalid: no readable file there. "
                            + "Accepted forms: a readable PEM file with CA certificates");
        }

        @Test
        void builderRejectsBadValuesByComponentName() {
            assertThatThrownBy(() -> RedisSettings.builder().port(0).build())
                    .hasMessage("port 0 is out of range 1-65535");
            assertThatThrownBy(() ->
                            RedisSettings.builder().pingTimeout(Duration.ZERO).build())
                    .hasMessage("pingTimeout must be positive: PT0S");
            assertThatThrownBy(() -> RedisSettings.builder().host(" ").build()).hasMessage("host must not be blank");
            assertThatThrownBy(() -> RedisSettings.builder().poolMaxTotal(0).build())
                    .hasMessage("poolMaxTotal must be at least 1: 0");
            assertThatThrownBy(() -> RedisSettings.builder().endpoint("ftp://x").build())
                    .hasMessageStartingWith("endpoint='ftp://x' is invalid: unknown scheme 'ftp'");
        }
    }

    @Nested
    class Topologies {

        @Test
        void sentinelEndpointListsEverySentinelWithTheDefaultSentinelPort() {
            RedisSettings settings = endpoint("redis-sentinel://:" + SECRET + "@s1,s2:26380,[::1]/2#mymaster");

            assertThat(settings.mode()).isEqualTo(RedisMode.SENTINEL);
            assertThat(settings.nodes())
                    .containsExactly(
                            new RedisNode("s1", 26379), new RedisNode("s2", 26380), new RedisNode("::1", 26379));
            assertThat(settings.host()).isEqualTo("s1");
            assertThat(settings.port()).isEqualTo(26379);
            assertThat(settings.sentinelMaster()).isEqualTo("mymaster");
            assertThat(settings.password()).isEqualTo(SECRET);
            assertThat(settings.database()).isEqualTo(2);
            assertThat(settings.sentinelPassword()).isNull();
            assertThat(settings.maskedUrl())
                    .isEqualTo("redis-sentinel://:****@s1:26379,s2:26380,[::1]:26379/2#mymaster");
        }

        @Test
        void sentinelsHaveAPasswordOfTheirOwnThatNeverShows() {
            RedisSettings settings = RedisSettings.fromEnvironment(Map.of(
                    RedisSettings.ENV_ENDPOINT,
                    "redis-sentinel://s1:5000,s2:5000#orders",
                    RedisSettings.ENV_MODE,
                    "Sentinel",
                    RedisSettings.ENV_PASSWORD,
                    SECRET,
                    RedisSettings.ENV_SENTINEL_PASSWORD,
                    SENTINEL_SECRET));

            assertThat(settings.password()).isEqualTo(SECRET);
            assertThat(settings.sentinelPassword()).isEqualTo(SENTINEL_SECRET);
            assertThat(settings.maskedUrl()).isEqualTo("redis-sentinel://:****@s1:5000,s2:5000#orders");
            assertThat(settings.toString())
                    .contains("mode=SENTINEL, sentinelPassword=****")
                    .doesNotContain(SECRET)
                    .doesNotContain(SENTINEL_SECRET);
        }

        @Test
        void severalPlainHostsAreClusterSeeds() {
            RedisSettings settings = endpoint("10.0.0.1:7000, 10.0.0.2:7001,[::1]:7002");

            assertThat(settings.mode()).isEqualTo(RedisMode.CLUSTER);
            assertThat(settings.nodes())
                    .containsExactly(
                            new RedisNode("10.0.0.1", 7000),
                            new RedisNode("10.0.0.2", 7001),
                            new RedisNode("::1", 7002));
            assertThat(settings.maskedUrl()).isEqualTo("redis://10.0.0.1:7000,10.0.0.2:7001,[::1]:7002");
        }

        @Test
        void aTlsClusterWithPasswordInTheUrl() {
            RedisSettings settings = endpoint("rediss://:" + SECRET + "@node-1:7000,node-2:7000");

            assertThat(settings.mode()).isEqualTo(RedisMode.CLUSTER);
            assertThat(settings.ssl()).isTrue();
            assertThat(settings.maskedUrl()).isEqualTo("rediss://:****@node-1:7000,node-2:7000");
        }

        @Test
        void oneConfigurationEndpointIsAClusterWhenTheModeSaysSo() {
            RedisSettings settings = RedisSettings.fromEnvironment(Map.of(
                    RedisSettings.ENV_ENDPOINT,
                    "rediss://:" + SECRET + "@clustercfg.cache.example:6379",
                    RedisSettings.ENV_MODE,
                    "CLUSTER"));

            assertThat(settings.mode()).isEqualTo(RedisMode.CLUSTER);
            assertThat(settings.nodes()).containsExactly(new RedisNode("clustercfg.cache.example", 6379));
        }

        @ParameterizedTest
        @CsvSource({"standalone,STANDALONE", "auto,AUTO", " Auto ,AUTO", "cluster,CLUSTER"})
        void oneHostInEveryModeButSentinel(String mode, RedisMode expected) {
            RedisSettings settings = RedisSettings.fromEnvironment(
                    Map.of(RedisSettings.ENV_ENDPOINT, "cache:6380", RedisSettings.ENV_MODE, mode));

            assertThat(settings.mode()).isEqualTo(expected);
        }

        @Test
        void builderTakesNodesAndHostReplacesThemWithOne() {
            RedisSettings cluster = RedisSettings.builder()
                    .nodes(java.util.List.of(new RedisNode("a", 1), new RedisNode("b", 2)))
                    .build();
            RedisSettings single = cluster.toBuilder().host("c").build();

            assertThat(cluster.mode()).isEqualTo(RedisMode.CLUSTER);
            assertThat(single.nodes()).containsExactly(new RedisNode("c", 1));
            assertThat(single.toBuilder().build()).isEqualTo(single);
            RedisSettings sentinel = endpoint("redis-sentinel://s1,s2#m").toBuilder()
                    .sentinelPassword(SECRET)
                    .build();
            assertThat(sentinel.toBuilder().build()).isEqualTo(sentinel);
        }
    }

    @Nested
    class TopologyErrors {

        private static final String MODE_FORMS = "Accepted forms: standalone (one host), sentinel (a "
                + "redis-sentinel://…#master endpoint), cluster (seeds host:port,host:port,… or one redis:// or rediss:// URL; "
                + "database 0) or auto (the default: decided by the endpoint, one host at the first connect)";

        private RedisSettings read(String endpoint, String mode) {
            return RedisSettings.fromEnvironment(
                    Map.of(RedisSettings.ENV_ENDPOINT, endpoint, RedisSettings.ENV_MODE, mode));
        }

        @Test
        void unknownMode() {
            assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of(RedisSettings.ENV_MODE, "replicated")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("REDIS_MODE='replicated' is invalid: unknown mode. " + MODE_FORMS);
        }

        @ParameterizedTest
        @ValueSource(strings = {"cluster", "standalone"})
        void aSentinelEndpointWithAnotherModeNamesBothAndMasksThePassword(String mode) {
            assertThatThrownBy(() -> read("redis-sentinel://:" + SECRET + "@s1,s2#mymaster", mode))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("REDIS_MODE='" + mode
                            + "' does not fit REDIS_PRIMARY_ENDPOINT='redis-sentinel://:****@s1,s2"
                            + "#mymaster' (unset means localhost:6379): a Sentinel endpoint (redis-sentinel://…#mymaster) needs "
                            + "mode sentinel or auto, not " + mode + ". " + MODE_FORMS);
        }

        @Test
        void severalHostsWithStandalone() {
            assertThatThrownBy(() -> read("a:7000,b:7000", "standalone"))
                    .hasMessageStartingWith(
                            "REDIS_MODE='standalone' does not fit REDIS_PRIMARY_ENDPOINT='a:7000,b:7000'")
                    .hasMessageContaining(
                            "mode standalone takes one host, not 2: several hosts are cluster seeds (mode "
                                    + "cluster) or Sentinels (redis-sentinel://…#master)")
                    .hasMessageEndingWith(MODE_FORMS);
        }

        @Test
        void sentinelModeNeedsASentinelEndpoint() {
            assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of(RedisSettings.ENV_MODE, "sentinel")))
                    .hasMessageStartingWith("REDIS_MODE='sentinel' does not fit REDIS_PRIMARY_ENDPOINT='' (unset means "
                            + "localhost:6379): mode sentinel needs a Sentinel endpoint naming the primary");
        }

        @Test
        void aSentinelEndpointNeedsThePrimarysName() {
            for (String value : new String[] {"redis-sentinel://s1:26379,s2:26379", "redis-sentinel://s1#"}) {
                assertThatThrownBy(() -> endpoint(value))
                        .hasMessageStartingWith(
                                "REDIS_PRIMARY_ENDPOINT='" + value + "' is invalid: a Sentinel endpoint needs the "
                                        + "primary's name after '#', e.g. redis-sentinel://sentinel-1:26379,sentinel-2:26379#mymaster")
                        .hasMessageEndingWith(ENDPOINT_FORMS);
            }
        }

        @Test
        void aSentinelPasswordWithoutSentinelNamesItsVariableAndNeverShowsIt() {
            assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of(
                            RedisSettings.ENV_ENDPOINT,
                            "cache:6379",
                            RedisSettings.ENV_SENTINEL_PASSWORD,
                            SENTINEL_SECRET)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "REDIS_SENTINEL_PASSWORD='****' is invalid: a Sentinel password is set but the endpoint is not a "
                                    + "Sentinel endpoint (redis-sentinel://…#master). Accepted forms: the Sentinels' password, with a "
                                    + "redis-sentinel://…#master REDIS_PRIMARY_ENDPOINT");
        }

        @Test
        void aClusterHasOnlyDatabaseZero() {
            assertThatThrownBy(() -> read("redis://:" + SECRET + "@cfg:6379/2", "cluster"))
                    .hasMessageStartingWith(
                            "REDIS_MODE='cluster' does not fit REDIS_PRIMARY_ENDPOINT='redis://:****@cfg:6379/2'")
                    .hasMessageContaining("Redis Cluster has only database 0, not 2")
                    .hasMessageNotContaining(SECRET);
            assertThatThrownBy(() -> endpoint("redis://a:7000,b:7000/3"))
                    .hasMessageStartingWith(
                            "REDIS_PRIMARY_ENDPOINT='redis://a:7000,b:7000/3' is invalid: Redis Cluster has only "
                                    + "database 0, not 3 (several hosts are cluster seeds)");
        }

        @Test
        void aReaderEndpointIsStandaloneOnly() {
            assertThatThrownBy(() -> RedisSettings.fromEnvironment(Map.of(
                            RedisSettings.ENV_ENDPOINT, "a:7000,b:7000",
                            RedisSettings.ENV_EXPECTED_ROLE, "any")))
                    .hasMessageStartingWith(
                            "REDIS_EXPECTED_ROLE='any' is invalid: expectedRole any is for a standalone reader "
                                    + "endpoint; in mode cluster the topology names the primary");
        }

        @Test
        void builderRulesNameTheComponents() {
            assertThatThrownBy(() ->
                            RedisSettings.builder().nodes(java.util.List.of()).build())
                    .hasMessage("nodes must not be empty");
            assertThatThrownBy(() -> RedisSettings.builder()
                            .mode(RedisMode.SENTINEL)
                            .sentinelMaster("m")
                            .ssl(true)
                            .build())
                    .hasMessage("TLS with Sentinel is not supported");
            assertThatThrownBy(() -> RedisSettings.builder().mode(null).build())
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("mode must not be null");
        }
    }

    @Nested
    class Secrets {

        @Test
        void toStringShowsEverySettingButMasksThePassword() {
            RedisSettings settings = endpoint("rediss://app:" + SECRET + "@cache:6380/4");

            assertThat(settings.toString())
                    .doesNotContain(SECRET)
                    .isEqualTo("RedisSettings[url=rediss://app:****@cache:6380/4, mode=AUTO, connectTimeout=PT2S, "
                            + "commandTimeout=PT2S, pingTimeout=PT0.5S, clientName=redis-integration, poolMaxTotal=8, "
                            + "tlsCaCertificate=null, reconnectMaxDelay=PT2S, verifyInterval=PT5S, dnsMaxTtl=PT5S, "
                            + "expectedRole=PRIMARY]");
        }

        @Test
        void toBuilderRoundTrips() {
            RedisSettings settings = endpoint("redis://app:" + SECRET + "@cache:6380/4");

            assertThat(settings.toBuilder().build()).isEqualTo(settings);
            assertThat(settings.toBuilder()
                            .pingTimeout(Duration.ofSeconds(1))
                            .build()
                            .pingTimeout())
                    .isEqualTo(Duration.ofSeconds(1));
        }
    }
}
