package org.cohesionbarometer.evaluate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVRecord;

/**
 * Outcomes of units (neighbourhoods, stores, ...) over periods, some units treated (an activity
 * started there), each period either before or after the start.
 */
public record Panel(List<Observation> observations) {

    /** One unit in one period. */
    public record Observation(String unit, String period, boolean treated, boolean post, double outcome) {
    }

    /** How to read a CSV panel: column names, which rows are treated units and post periods. */
    public record Columns(String unit, String period, String outcome, String treatedColumn, String treatedValue,
                          Set<String> postPeriods) {
    }

    /**
     * Reads a CSV panel ({@link CsvPanel}: separator detected, column names in any case). Rows whose
     * outcome is empty or {@code NA} are skipped (the unit did not report that period); any other
     * unreadable value is an error naming the row and column.
     */
    public static Panel fromCsv(Path file, Columns columns) throws IOException {
        CsvPanel table = CsvPanel.read(file, null);
        String unit = table.column("--unit", columns.unit());
        String period = table.column("--period", columns.period());
        String outcome = table.column("--outcome", columns.outcome());
        String treated = table.column("--treated", columns.treatedColumn());
        List<Observation> observations = new ArrayList<>();
        for (CSVRecord row : table.rows()) {
            if (!CsvPanel.missing(row.get(outcome))) {
                observations.add(new Observation(row.get(unit), row.get(period), row.get(treated).equals(columns.treatedValue()),
                        columns.postPeriods().contains(row.get(period)), table.number(row, outcome)));
            }
        }
        return new Panel(observations);
    }

    /**
     * Period labels in time order: numerically when every label is a number, as first seen when
     * they include "before" and "after" (as in Card &amp; Krueger's panel), else as ISO dates and
     * strings sort.
     */
    public static List<String> inTimeOrder(java.util.Collection<String> labels) {
        List<String> periods = new ArrayList<>(new LinkedHashSet<>(labels));
        if (periods.stream().allMatch(p -> p.matches("-?\\d+(\\.\\d+)?"))) {
            periods.sort(java.util.Comparator.comparingDouble(Double::parseDouble));
        } else if (!periods.containsAll(List.of("before", "after"))) {
            periods.sort(java.util.Comparator.naturalOrder());
        }
        return periods;
    }

    public Set<String> units(boolean treated) {
        Set<String> units = new LinkedHashSet<>();
        observations.stream().filter(o -> o.treated() == treated).forEach(o -> units.add(o.unit()));
        return units;
    }

    /** Per unit: its mean outcome before and after (only units seen in both). */
    public Map<String, double[]> beforeAfterByUnit() {
        Map<String, double[]> sums = new LinkedHashMap<>(); // pre sum, pre n, post sum, post n, treated
        for (Observation o : observations) {
            double[] s = sums.computeIfAbsent(o.unit(), u -> new double[5]);
            s[o.post() ? 2 : 0] += o.outcome();
            s[o.post() ? 3 : 1] += 1;
            s[4] = o.treated() ? 1 : 0;
        }
        Map<String, double[]> balanced = new LinkedHashMap<>();
        sums.forEach((unit, s) -> {
            if (s[1] > 0 && s[3] > 0) {
                balanced.put(unit, new double[] {s[0] / s[1], s[2] / s[3], s[4]});
            }
        });
        return balanced;
    }
}
