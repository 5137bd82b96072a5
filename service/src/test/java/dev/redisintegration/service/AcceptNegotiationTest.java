package dev.redisintegration.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Only a client that prefers text/html (a browser) gets the page; every probe and tool keeps getting JSON. */
class AcceptNegotiationTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                // Chromium, Firefox, Safari
                "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8",
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "text/html",
                "TEXT/HTML; charset=utf-8",
                "application/json;q=0.5, text/html"
            })
    void browsersGetThePage(String accept) {
        assertThat(ServiceHealthEndpoint.prefersHtml(List.of(accept))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "*/*", // curl, Kubernetes' httpGet probes
                "application/json",
                "application/json, text/plain, */*", // axios and friends
                "text/html, application/json", // a tie is JSON: the probe contract wins
                "text/html;q=0.5, */*",
                "text/html;q=0",
                "text/html;q=oops",
                "text/plain",
                ""
            })
    void everyoneElseGetsJson(String accept) {
        assertThat(ServiceHealthEndpoint.prefersHtml(List.of(accept))).isFalse();
    }

    @Test
    void noAcceptHeaderIsJson() {
        assertThat(ServiceHealthEndpoint.prefersHtml(List.of())).isFalse();
    }

    @Test
    void severalAcceptHeadersCountTogether() {
        assertThat(ServiceHealthEndpoint.prefersHtml(List.of("text/html", "*/*;q=0.1")))
                .isTrue();
        assertThat(ServiceHealthEndpoint.prefersHtml(List.of("text/html;q=0.1", "application/json")))
                .isFalse();
    }
}
