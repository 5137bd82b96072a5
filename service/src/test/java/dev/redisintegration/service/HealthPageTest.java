package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisintegration.health.CheckReport;
import dev.redisintegration.health.HealthReport;
import dev.redisintegration.health.HealthResult;
import dev.redisintegration.health.HealthStatus;
import dev.redisintegration.health.StatusTransition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HealthPageTest {

    private static final Instant NOW = Instant.parse("2026-01-01T03:00:00Z");
    private static final String HOSTILE = "<script>alert('x')</script> & \"quoted\"";

    @Test
    void everyTextFromACheckOrFromRedisIsEscaped() {
        HealthReport report = HealthReport.of(
                Map.of(
                        "redis",
                                check(
                                        "redis",
                                        HealthResult.down("ERR " + HOSTILE, Map.of("url<", "redis://" + HOSTILE))),
                        "a<b", check("a<b", HealthResult.up())),
                NOW);
        Map<String, List<StatusTransition>> history = Map.of(
                "redis",
                List.of(new StatusTransition(
                        "redis",
                        HealthStatus.UP,
                        HealthStatus.DOWN,
                        NOW.minusSeconds(90),
                        "ERR " + HOSTILE,
                        Duration.ofMinutes(5))));

        String html = HealthPage.render(report, history);

        assertThat(html)
                .doesNotContain("<script")
                .doesNotContain("url<")
                .doesNotContain("a<b")
                .contains("ERR &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;")
                .contains("url&lt;")
                .contains("a&lt;b");
    }

    @Test
    void showsStatusReasonLatencyCacheAgeAndTheTimelineFailingChecksFirst() {
        HealthReport report = HealthReport.of(
                Map.of(
                        "lifecycle",
                        check("lifecycle", HealthResult.up()),
                        "redis",
                        new CheckReport(
                                "redis",
                                HealthResult.down("connection refused"),
                                true,
                                Duration.ofMillis(12),
                                NOW.minusSeconds(40),
                                true,
                                Duration.ofSeconds(40))),
                NOW);
        Map<String, List<StatusTransition>> history = Map.of(
                "redis",
                List.of(
                        new StatusTransition(
                                "redis",
                                HealthStatus.UP,
                                HealthStatus.DOWN,
                                NOW.minusSeconds(40),
                                "connection refused",
                                Duration.ofMinutes(125)),
                        new StatusTransition(
                                "redis",
                                null,
                                HealthStatus.UP,
                                NOW.minusSeconds(40 + 125 * 60),
                                null,
                                Duration.ofMillis(300))));

        String html = HealthPage.render(report, history);

        assertThat(html)
                .contains("<title>DOWN · redis-health-service</title>")
                .contains("failing: redis")
                .contains("<p class=\"reason\">connection refused</p>")
                .contains("<dt>latency</dt><dd>12 ms</dd>")
                .contains("<dt>result</dt><dd>cached, 40 s old</dd>")
                .contains("2026-01-01 02:59:20</time> <span class=\"muted\">(40 s ago)</span> after UP for 2 h 5 min: "
                        + "connection refused")
                .contains("first result");
        assertThat(html.indexOf("<h2>redis"))
                .as("the failing check comes first")
                .isLessThan(html.indexOf("<h2>lifecycle"));
        assertThat(html.indexOf("after UP")).as("newest first").isLessThan(html.indexOf("first result"));
    }

    @Test
    void needsNothingFromElsewhere() {
        String html =
                HealthPage.render(HealthReport.of(Map.of("redis", check("redis", HealthResult.up())), NOW), Map.of());

        assertThat(html)
                .doesNotContain("<script")
                .doesNotContain("src=")
                .doesNotContain("<link")
                .doesNotContain("http://")
                .doesNotContain("https://")
                .doesNotContain("@import")
                .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0 ms",
        "999, 999 ms",
        "1000, 1 s",
        "59999, 59 s",
        "60000, 1 min",
        "200000, 3 min 20 s",
        "3600000, 1 h",
        "7500000, 2 h 5 min",
        "273600000, 3 d 4 h",
        "-5, 0 ms"
    })
    void durationsReadAsPeopleSayThem(long millis, String text) {
        assertThat(HealthPage.duration(Duration.ofMillis(millis))).isEqualTo(text);
    }

    private static CheckReport check(String name, HealthResult result) {
        return new CheckReport(name, result, true, Duration.ZERO, NOW, false, Duration.ZERO);
    }
}
