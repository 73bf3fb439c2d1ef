package org.cohesionbarometer.operations;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4 (no library on Maven Central
 * parses it in Java): every line is a # HELP, a # TYPE or a sample with a valid metric name, well
 * formed labels and a number; a TYPE comes before its samples, once. Anything else fails the test.
 */
public final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)( -?[0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ", 4);
                require(parts.length >= 3 && NAME.matcher(parts[2]).matches(), lineNumber, line);
                if (line.startsWith("# TYPE ")) {
                    require(parts.length == 4 && List.of("counter", "gauge", "histogram", "summary", "untyped").contains(parts[3]),
                            lineNumber, line);
                    require(types.put(parts[2], parts[3]) == null, lineNumber, line + " (a second TYPE)");
                }
                continue;
            }
            require(!line.startsWith("#"), lineNumber, line);
            Matcher m = SAMPLE.matcher(line);
            require(m.matches(), lineNumber, line);
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null && !m.group(3).isEmpty()) {
                Matcher l = LABEL.matcher(m.group(3));
                int at = 0;
                while (at < m.group(3).length()) {
                    require(l.find(at) && l.start() == at, lineNumber, line);
                    labels.put(l.group(1), l.group(2));
                    at = l.end();
                }
            }
            String name = m.group(1);
            String family = name.replaceAll("_(total|count|sum|bucket|created)$", "");
            require(types.containsKey(name) || types.containsKey(family), lineNumber, line + " (no TYPE before it)");
            samples.add(new Sample(name, labels, Double.parseDouble(m.group(4).replace("+Inf", "Infinity").replace("-Inf", "-Infinity"))));
        }
        return new PrometheusText(samples);
    }

    private static void require(boolean holds, int line, String text) {
        if (!holds) {
            throw new AssertionError("not Prometheus text format at line " + line + ": " + text);
        }
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The samples of one series name whose labels include {@code labels}. */
    public List<Sample> named(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    public double sum(String name, Map<String, String> labels) {
        return named(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    public boolean hasSeriesStartingWith(String prefix) {
        return samples.stream().anyMatch(s -> s.name().startsWith(prefix));
    }
}
