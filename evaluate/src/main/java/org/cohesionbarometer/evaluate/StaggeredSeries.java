package org.cohesionbarometer.evaluate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Mean outcome per period of each cohort (units that started in the same period) and of never-treated units. */
record StaggeredSeries(List<String> periods, Map<String, double[]> meanByCohort, Map<String, Integer> startIndex) {

    static final String NEVER = "never treated";

    static StaggeredSeries of(StaggeredAdoption.Input input) {
        int n = input.periodLabels().size();
        TreeMap<Integer, double[][]> sums = new TreeMap<>(); // cohort -> [sum[], count[]]
        for (StaggeredAdoption.Observation o : input.observations()) {
            int g = input.firstTreated().getOrDefault(o.unit(), Integer.MAX_VALUE);
            if (g <= 0) {
                continue; // treated throughout: left out of the estimate as well
            }
            double[][] s = sums.computeIfAbsent(g, k -> new double[2][n]);
            s[0][o.period()] += o.outcome();
            s[1][o.period()] += 1;
        }
        Map<String, double[]> means = new LinkedHashMap<>();
        Map<String, Integer> starts = new LinkedHashMap<>();
        sums.forEach((g, s) -> {
            double[] mean = new double[n];
            for (int t = 0; t < n; t++) {
                mean[t] = s[1][t] == 0 ? Double.NaN : s[0][t] / s[1][t];
            }
            String label = g == Integer.MAX_VALUE ? NEVER
                    : g >= n ? NEVER : "started " + input.periodLabels().get(g);
            means.put(label, mean);
            starts.put(label, g >= n ? -1 : g);
        });
        return new StaggeredSeries(new ArrayList<>(input.periodLabels()), means, starts);
    }
}
