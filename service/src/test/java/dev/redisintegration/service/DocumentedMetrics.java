package dev.redisintegration.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metrics table of service/README.md ("## Metrics"), read so that tests check every documented metric against
 * a real scrape: the README and the code cannot part silently.
 */
final class DocumentedMetrics {

    private static final Path README = Path.of("README.md");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /** One documented metric: its Prometheus name, Micrometer type and tag names. */
    record Metric(String name, String type, List<String> tags) {

        /** The sample names a scrape shows for this metric. */
        List<String> sampleNames() {
            return type.equals("timer") ? List.of(name + "_count", name + "_sum", name + "_max") : List.of(name);
        }
    }

    private DocumentedMetrics() {}

    static List<Metric> all() {
        List<String> lines;
        try {
            lines = Files.readAllLines(README);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + README.toAbsolutePath(), e);
        }
        List<Metric> metrics = new ArrayList<>();
        boolean inSection = false;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                inSection = line.equals("## Metrics");
                continue;
            }
            if (!inSection || !line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            // cells[0] is empty (the line starts with '|'): name, type, tags, meaning follow.
            Matcher name = CODE.matcher(cells[1]);
            if (!name.find()) {
                continue;
            }
            List<String> tags = new ArrayList<>();
            Matcher tag = CODE.matcher(cells[3]);
            while (tag.find()) {
                tags.add(tag.group(1));
            }
            metrics.add(new Metric(name.group(1), cells[2].trim(), tags));
        }
        if (metrics.isEmpty()) {
            throw new IllegalStateException("no metrics table under '## Metrics' in " + README.toAbsolutePath());
        }
        return metrics;
    }
}
