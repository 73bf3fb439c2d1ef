package org.cohesionbarometer.evaluate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.statistics.distribution.FDistribution;

/**
 * Event study: the effect in each period relative to the start, from a two-way fixed-effects
 * regression y_it = α_i + λ_t + Σ_{k ≠ −1} β_k · 1[i treated, t − start = k] + ε_it, with
 * unit-clustered (CR1) standard errors. The period just before the start (k = −1) is the reference.
 *
 * <p>The pre-period coefficients (k ≤ −2) should be near zero if treated and control units moved
 * in parallel before the activity; they are tested jointly with a Wald F test
 * (F = b'V⁻¹b / q against F(q, G − 1)). A small p-value means parallel trends look violated and
 * the difference-in-differences estimate should not be trusted as it stands.
 *
 * <p>With a single start date (all treated units start together) this is unbiased under parallel
 * trends; with staggered starts a single TWFE regression is biased, and group-time effects against
 * not-yet-treated units are needed instead.
 */
public final class EventStudy {

    /** β_k for one period relative to the start. */
    public record Coefficient(int relativePeriod, double effect, double standardError, double lower95, double upper95) {
    }

    /** @param preTrendDf the pre-trend F test's numerator degrees of freedom (q), {@code preTrendDenominatorDf} its denominator's (G − 1) */
    public record Result(List<Coefficient> coefficients, double preTrendF, int preTrendDf, int preTrendDenominatorDf,
                         double preTrendP, boolean parallelTrendsDoubtful) {
    }

    /** @param periodOrder every period, in time order; @param start the first period after the start */
    public static Result estimate(Panel panel, List<String> periodOrder, String start) {
        int startIndex = periodOrder.indexOf(start);
        if (startIndex < 0) {
            throw new IllegalArgumentException("the start period '" + start + "' is not among the periods " + periodOrder);
        }
        if (startIndex < 2) {
            throw new IllegalArgumentException("an event study needs at least two periods before the start; have " + startIndex);
        }
        List<String> units = new ArrayList<>(new TreeSet<>(panel.observations().stream().map(Panel.Observation::unit).toList()));
        List<Integer> relatives = new ArrayList<>();
        for (int t = 0; t < periodOrder.size(); t++) {
            if (t - startIndex != -1) {
                relatives.add(t - startIndex);
            }
        }
        int columns = 1 + (units.size() - 1) + (periodOrder.size() - 1) + relatives.size();
        List<double[]> rows = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<String> clusters = new ArrayList<>();
        for (Panel.Observation o : panel.observations()) {
            int t = periodOrder.indexOf(o.period());
            if (t < 0) {
                continue;
            }
            double[] x = new double[columns];
            x[0] = 1;
            int u = units.indexOf(o.unit());
            if (u > 0) {
                x[u] = 1;
            }
            if (t > 0) {
                x[units.size() - 1 + t] = 1;
            }
            if (o.treated() && t - startIndex != -1) {
                x[units.size() + periodOrder.size() - 1 + relatives.indexOf(t - startIndex)] = 1;
            }
            rows.add(x);
            y.add(o.outcome());
            clusters.add(o.unit());
        }
        if (panel.units(true).size() == 1) {
            return singleTreatedUnit(panel, periodOrder, startIndex);
        }
        LeastSquares fit = new LeastSquares(rows.toArray(double[][]::new), y.stream().mapToDouble(Double::doubleValue).toArray(), clusters);
        int first = units.size() + periodOrder.size() - 1;
        double q975 = org.apache.commons.statistics.distribution.TDistribution.of(fit.clusters - 1).inverseCumulativeProbability(0.975);
        List<Coefficient> coefficients = new ArrayList<>();
        Map<Integer, Integer> preColumns = new LinkedHashMap<>();
        for (int i = 0; i < relatives.size(); i++) {
            int j = first + i;
            double se = fit.seClustered(j);
            coefficients.add(new Coefficient(relatives.get(i), fit.beta[j], se, fit.beta[j] - q975 * se, fit.beta[j] + q975 * se));
            if (relatives.get(i) <= -2) {
                preColumns.put(relatives.get(i), j);
            }
        }
        int q = preColumns.size();
        RealVector b = new ArrayRealVector(q);
        RealMatrix v = new Array2DRowRealMatrix(q, q);
        List<Integer> cols = new ArrayList<>(preColumns.values());
        for (int a = 0; a < q; a++) {
            b.setEntry(a, fit.beta[cols.get(a)]);
            for (int c = 0; c < q; c++) {
                v.setEntry(a, c, fit.clustered.getEntry(cols.get(a), cols.get(c)));
            }
        }
        double wald = b.dotProduct(new LUDecomposition(v).getSolver().solve(b));
        double f = wald / q;
        double p = FDistribution.of(q, fit.clusters - 1).survivalProbability(f);
        return new Result(coefficients, f, q, fit.clusters - 1, p, p < 0.05);
    }

    /**
     * One treated unit: β_k = (y_T,k − y_T,−1) − mean over controls of (y_c,k − y_c,−1), the same as
     * the regression's, with SE = sd over controls of (y_c,k − y_c,−1) · √(1 + 1/n_c), t with n_c − 1
     * df. The pre-trend test sums the squared pre-period t statistics (F(q, n_c − 1), ignoring their
     * correlation: an approximation, said in the method notes).
     */
    private static Result singleTreatedUnit(Panel panel, List<String> periodOrder, int startIndex) {
        Map<String, double[]> byUnit = new LinkedHashMap<>();
        String treatedUnit = panel.units(true).iterator().next();
        for (Panel.Observation o : panel.observations()) {
            int t = periodOrder.indexOf(o.period());
            if (t >= 0) {
                byUnit.computeIfAbsent(o.unit(), u -> {
                    double[] row = new double[periodOrder.size()];
                    java.util.Arrays.fill(row, Double.NaN);
                    return row;
                })[t] = o.outcome();
            }
        }
        double[] treated = byUnit.remove(treatedUnit);
        int ref = startIndex - 1;
        List<double[]> controls = byUnit.values().stream().filter(r -> !Double.isNaN(r[ref])).toList();
        int nc = controls.size();
        if (nc < 2) {
            throw new IllegalArgumentException("an event study with one treated unit needs at least two control units");
        }
        double q975 = org.apache.commons.statistics.distribution.TDistribution.of(nc - 1).inverseCumulativeProbability(0.975);
        List<Coefficient> coefficients = new ArrayList<>();
        double sumT2 = 0;
        int q = 0;
        for (int t = 0; t < periodOrder.size(); t++) {
            if (t == ref) {
                continue;
            }
            final int period = t;
            double[] changes = controls.stream().mapToDouble(r -> r[period] - r[ref]).filter(v -> !Double.isNaN(v)).toArray();
            if (changes.length < 2 || Double.isNaN(treated[t])) {
                continue;
            }
            double mean = java.util.Arrays.stream(changes).average().orElseThrow();
            double sd = Math.sqrt(java.util.Arrays.stream(changes).map(c -> (c - mean) * (c - mean)).sum() / (changes.length - 1));
            double se = sd * Math.sqrt(1 + 1.0 / changes.length);
            double beta = treated[t] - treated[ref] - mean;
            coefficients.add(new Coefficient(t - startIndex, beta, se, beta - q975 * se, beta + q975 * se));
            if (t - startIndex <= -2 && se > 0) {
                sumT2 += (beta / se) * (beta / se);
                q++;
            }
        }
        double f = q == 0 ? Double.NaN : sumT2 / q;
        double p = q == 0 ? Double.NaN : FDistribution.of(q, nc - 1).survivalProbability(f);
        return new Result(coefficients, f, q, nc - 1, p, !Double.isNaN(p) && p < 0.05);
    }

    private EventStudy() {
    }
}
