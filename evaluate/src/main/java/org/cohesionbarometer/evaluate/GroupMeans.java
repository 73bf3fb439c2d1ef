package org.cohesionbarometer.evaluate;

/**
 * The mean outcome of treated and control units before and after, over every observation
 * (Card &amp; Krueger 1994, Table 3, rows 1–2), with standard errors of the means.
 */
public record GroupMeans(Mean controlBefore, Mean controlAfter, Mean treatedBefore, Mean treatedAfter) {

    public record Mean(int n, double mean, double standardError) {
    }

    public static GroupMeans of(Panel panel) {
        return new GroupMeans(mean(panel, false, false), mean(panel, false, true),
                mean(panel, true, false), mean(panel, true, true));
    }

    /** (treated after − treated before) − (control after − control before), from the group means. */
    public double differenceInDifferences() {
        return (treatedAfter.mean() - treatedBefore.mean()) - (controlAfter.mean() - controlBefore.mean());
    }

    private static Mean mean(Panel panel, boolean treated, boolean post) {
        double[] values = panel.observations().stream().filter(o -> o.treated() == treated && o.post() == post)
                .mapToDouble(Panel.Observation::outcome).toArray();
        int n = values.length;
        double mean = java.util.Arrays.stream(values).average().orElse(Double.NaN);
        double ss = java.util.Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        return new Mean(n, mean, n < 2 ? Double.NaN : Math.sqrt(ss / (n - 1) / n));
    }
}
