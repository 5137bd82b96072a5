package dev.redisintegration.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One answer of {@code /prometheus}, read back: the samples of the Prometheus text format (version 0.0.4), enough
 * for tests to find a series by name and labels and read its value.
 */
record PrometheusScrape(List<Sample> samples) {

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    /** One line of the exposition: a metric name, its labels and a value. */
    record Sample(String name, Map<String, String> labels, double value) {}

    static PrometheusScrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw new IllegalArgumentException("not a Prometheus sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(4))));
        }
        return new PrometheusScrape(samples);
    }

    /** Every sample of a metric name. */
    List<Sample> named(String name) {
        return samples.stream().filter(sample -> sample.name().equals(name)).toList();
    }

    /** The one sample of {@code name} whose labels include {@code labels} (given as name, value, name, value...). */
    Optional<Sample> find(String name, String... labels) {
        return named(name).stream()
                .filter(sample -> {
                    for (int i = 0; i < labels.length; i += 2) {
                        if (!labels[i + 1].equals(sample.labels().get(labels[i]))) {
                            return false;
                        }
                    }
                    return true;
                })
                .findFirst();
    }

    /** The value of that sample, 0 when it does not exist (a counter that has not been created yet). */
    double value(String name, String... labels) {
        return find(name, labels).map(Sample::value).orElse(0.0);
    }

    /** The sum over every sample of {@code name}. */
    double sum(String name) {
        return named(name).stream().mapToDouble(Sample::value).sum();
    }
}
