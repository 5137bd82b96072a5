package dev.redisintegration.service;

import dev.redisintegration.health.CheckReport;
import dev.redisintegration.health.HealthReport;
import dev.redisintegration.health.HealthStatus;
import dev.redisintegration.health.StatusTransition;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The human view of {@code GET /health} (a browser's {@code Accept: text/html}): overall status, each check with
 * status, reason, latency and cache age (failing checks first), and its history as a timeline, newest first. Rendered on the server: no JavaScript, no
 * external asset (it works offline and inside a cluster), one narrow column that reads on a phone. Every text that
 * comes from a check or from Redis (names, reasons, details) goes through {@link #escape(String)}.
 */
final class HealthPage {

    static final String CONTENT_TYPE = "text/html; charset=utf-8";

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private static final String STYLE = """
            :root{color-scheme:light dark;--up:#1a7f37;--down:#cf222e;--unknown:#9a6700;--muted:#6e7781;--line:#d0d7de}
            body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:52rem;padding:1rem}
            header{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1rem}
            h1{font-size:1.4rem;margin:0}h2{font-size:1.15rem;margin:0 0 .3rem}h3{font-size:1rem;margin:.8rem 0 .2rem}
            .badge{display:inline-block;padding:.05rem .6rem;border-radius:1rem;color:#fff;font-weight:600;font-size:.9em}
            .UP{background:var(--up)}.DOWN{background:var(--down)}.UNKNOWN{background:var(--unknown)}
            .check{border:1px solid var(--line);border-left:.45rem solid var(--muted);border-radius:.4rem;padding:.7rem .9rem;margin:1rem 0}
            .check.s-UP{border-left-color:var(--up)}.check.s-DOWN{border-left-color:var(--down)}.check.s-UNKNOWN{border-left-color:var(--unknown)}
            .reason{font-weight:600;overflow-wrap:anywhere;margin:.2rem 0 .5rem}
            dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;margin:.3rem 0}
            dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
            ol{list-style:none;margin:.3rem 0 0 .4rem;padding:0 0 0 1rem;border-left:2px solid var(--line)}
            li{position:relative;margin:.35rem 0;overflow-wrap:anywhere}
            li::before{content:"";position:absolute;left:-1.45rem;top:.4rem;width:.75rem;height:.75rem;border-radius:50%;background:var(--muted)}
            li.t-UP::before{background:var(--up)}li.t-DOWN::before{background:var(--down)}li.t-UNKNOWN::before{background:var(--unknown)}
            .muted{color:var(--muted);font-size:.9em}a{color:inherit}
            """;

    private HealthPage() {}

    /**
     * Renders the page.
     *
     * @param report the report {@code /health} would answer as JSON.
     * @param history each check's transitions, newest first.
     * @return the whole HTML document.
     */
    static String render(HealthReport report, Map<String, List<StatusTransition>> history) {
        StringBuilder html = new StringBuilder(8192);
        String status = report.status().name();
        Instant now = report.generatedAt();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>")
                .append(status)
                .append(" · redis-health-service</title>\n")
                .append("<style>\n")
                .append(STYLE)
                .append("</style>\n</head>\n<body>\n")
                .append("<header><h1>redis-health-service</h1>")
                .append(badge(report.status()))
                .append("</header>\n")
                .append("<p class=\"muted\">As of <time datetime=\"")
                .append(now)
                .append("\">")
                .append(TIME.format(now))
                .append(" UTC</time>");
        List<String> failing = report.failingChecks();
        if (!failing.isEmpty()) {
            html.append(" · failing: ").append(escape(String.join(", ", failing)));
        }
        html.append(" · <a href=\"\">reload</a> · <a href=\"health/history\">history as JSON</a></p>\n");
        // Failing checks first: at 3 a.m., on a phone, the reason must be above the fold.
        List<CheckReport> checks = report.checks().values().stream()
                .sorted(Comparator.comparing((CheckReport check) -> check.status() == HealthStatus.UP))
                .toList();
        for (CheckReport check : checks) {
            appendCheck(html, check, history.getOrDefault(check.name(), List.of()), now);
        }
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    private static void appendCheck(
            StringBuilder html, CheckReport check, List<StatusTransition> transitions, Instant now) {
        String status = check.status().name();
        html.append("<section class=\"check s-")
                .append(status)
                .append("\">\n<h2>")
                .append(escape(check.name()))
                .append(' ')
                .append(badge(check.status()))
                .append("</h2>\n");
        if (check.result().reason() != null) {
            html.append("<p class=\"reason\">")
                    .append(escape(check.result().reason()))
                    .append("</p>\n");
        }
        html.append("<dl>")
                .append(term("latency", duration(check.latency())))
                .append(term("result", check.cached() ? "cached, " + duration(check.age()) + " old" : "fresh"))
                .append(term("critical", check.critical() ? "yes" : "no"));
        check.result().details().forEach((key, value) -> html.append(term(escape(key), escape(detail(value)))));
        html.append("</dl>\n");
        if (!transitions.isEmpty()) {
            html.append("<h3>History</h3>\n<ol>\n");
            for (StatusTransition transition : transitions) {
                appendTransition(html, transition, now);
            }
            html.append("</ol>\n");
        }
        html.append("</section>\n");
    }

    private static void appendTransition(StringBuilder html, StatusTransition transition, Instant now) {
        html.append("<li class=\"t-")
                .append(transition.to().name())
                .append("\">")
                .append(badge(transition.to()))
                .append(" <time datetime=\"")
                .append(transition.at())
                .append("\">")
                .append(TIME.format(transition.at()))
                .append("</time> <span class=\"muted\">(")
                .append(duration(Duration.between(transition.at(), now)))
                .append(" ago)</span>");
        if (transition.from() == null) {
            html.append(" first result");
        } else {
            html.append(" after ")
                    .append(transition.from().name())
                    .append(" for ")
                    .append(duration(transition.previousDuration()));
        }
        if (transition.reason() != null) {
            html.append(": ").append(escape(transition.reason()));
        }
        html.append("</li>\n");
    }

    private static String badge(HealthStatus status) {
        return "<span class=\"badge " + status.name() + "\">" + status.name() + "</span>";
    }

    private static String term(String name, String value) {
        return "<dt>" + name + "</dt><dd>" + value + "</dd>";
    }

    private static String detail(Object value) {
        return value instanceof Duration duration ? duration(duration) : String.valueOf(value);
    }

    /**
     * A duration as people read it: {@code 850 ms}, {@code 12 s}, {@code 3 min 20 s}, {@code 2 h 5 min},
     * {@code 3 d 4 h}.
     *
     * @param duration not negative (a negative one, from clocks that disagree, reads as 0 ms).
     * @return the text.
     */
    static String duration(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 1_000) {
            return millis + " ms";
        }
        long seconds = millis / 1_000;
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3_600) {
            return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
        }
        if (seconds < 86_400) {
            return seconds / 3_600 + " h" + (seconds % 3_600 / 60 == 0 ? "" : " " + seconds % 3_600 / 60 + " min");
        }
        return seconds / 86_400 + " d" + (seconds % 86_400 / 3_600 == 0 ? "" : " " + seconds % 86_400 / 3_600 + " h");
    }

    /**
     * Escapes text for HTML element content and quoted attribute values.
     *
     * @param text any text, e.g. a reason carrying a server's reply.
     * @return the text with {@code & < > " '} replaced by character references.
     */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
