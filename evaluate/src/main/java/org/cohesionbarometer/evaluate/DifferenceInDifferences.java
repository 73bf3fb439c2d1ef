package org.cohesionbarometer.evaluate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * Difference-in-differences: how much more the outcome changed in treated units than in control
 * units from before to after the start.
 *
 * <p><b>Assumptions.</b> Parallel trends: without the activity, treated and control units would
 * have changed alike (check it with the event study's pre-period coefficients); no anticipation;
 * controls unaffected by the activity (no spill-over); treatment assignment not driven by
 * transient shocks to the outcome.
 *
 * <p>Two estimates are given:
 * <ul>
 *   <li><b>balanced</b>: units seen before and after; Δ_i = mean after − mean before; the effect is
 *       the coefficient of a regression of Δ on the treated dummy, with HC1 standard errors (as in
 *       Card &amp; Krueger 1994, Table 3, row 4);</li>
 *   <li><b>pooled</b>: y = β0 + β1·treated + β2·post + δ·treated×post on every observation, with
 *       HC1 and unit-clustered (CR1) standard errors; inference uses the clustered ones.</li>
 * </ul>
 * With a single treated unit (one neighbourhood, the barometer's usual case) clustering has
 * nothing to work with; both estimates then compare its change with the spread of the control
 * units' changes (see {@link #estimate}), and the placebo test carries more of the weight.
 */
public final class DifferenceInDifferences {

    /** An estimate with its uncertainty. */
    public record Estimate(double effect, double standardError, double lower95, double upper95, double pValue,
                           double degreesOfFreedom, String standardErrorKind) {
        static Estimate of(double effect, double se, double df, String kind) {
            TDistribution t = TDistribution.of(df);
            double q = t.inverseCumulativeProbability(0.975);
            double p = 2 * t.survivalProbability(Math.abs(effect / se));
            return new Estimate(effect, se, effect - q * se, effect + q * se, p, df, kind);
        }

        public boolean covers(double value) {
            return lower95 <= value && value <= upper95;
        }
    }

    /** The mean change of one group of units in the balanced panel, with its standard error. */
    public record Change(int units, double before, double after, double change, double standardError) {
    }

    public record Result(Change control, Change treated, Estimate balanced, Estimate pooled, Estimate pooledHc1,
                         int observations, int treatedUnits, int controlUnits) {
    }

    public static Result estimate(Panel panel) {
        Map<String, double[]> units = panel.beforeAfterByUnit();
        List<double[]> treatedRows = new ArrayList<>();
        List<double[]> controlRows = new ArrayList<>();
        units.values().forEach(u -> (u[2] == 1 ? treatedRows : controlRows).add(u));
        if (treatedRows.isEmpty() || controlRows.size() < 2) {
            throw new IllegalArgumentException("need at least one treated and two control units seen before and after; have "
                    + treatedRows.size() + " treated and " + controlRows.size() + " control");
        }

        // Balanced: regress the change on the treated dummy (HC1).
        double[][] x = new double[units.size()][];
        double[] y = new double[units.size()];
        List<String> ids = new ArrayList<>(units.keySet());
        for (int i = 0; i < ids.size(); i++) {
            double[] u = units.get(ids.get(i));
            x[i] = new double[] {1, u[2]};
            y[i] = u[1] - u[0];
        }
        LeastSquares changes = new LeastSquares(x, y, ids);
        Estimate balanced = Estimate.of(changes.beta[1], changes.seHc1(1), changes.n - changes.k, "HC1");

        // Pooled two-by-two regression on every observation, clustered by unit.
        List<Panel.Observation> obs = panel.observations();
        double[][] px = new double[obs.size()][];
        double[] py = new double[obs.size()];
        List<String> clusterOf = new ArrayList<>();
        for (int i = 0; i < obs.size(); i++) {
            Panel.Observation o = obs.get(i);
            double t = o.treated() ? 1 : 0;
            double p = o.post() ? 1 : 0;
            px[i] = new double[] {1, t, p, t * p};
            py[i] = o.outcome();
            clusterOf.add(o.unit());
        }
        LeastSquares pooledFit = new LeastSquares(px, py, clusterOf);
        Estimate pooledHc1 = Estimate.of(pooledFit.beta[3], pooledFit.seHc1(3), pooledFit.n - pooledFit.k, "HC1");
        if (treatedRows.size() == 1) {
            // One treated unit: no within-group spread to cluster on. Its change is compared with the
            // control units' changes, whose spread stands in for its own (Conley & Taber 2011):
            // SE = sd(control changes) · √(1 + 1/n_c), t with n_c − 1 df. Lean on the placebo test too.
            Change control = change(controlRows);
            double sd = control.standardError() * Math.sqrt(control.units());
            double effect = treatedRows.get(0)[1] - treatedRows.get(0)[0] - control.change();
            Estimate single = Estimate.of(effect, sd * Math.sqrt(1 + 1.0 / control.units()), control.units() - 1,
                    "one treated unit: spread of the control units' changes");
            return new Result(control, change(treatedRows), single, single, pooledHc1, obs.size(), 1, controlRows.size());
        }
        Estimate pooled = Estimate.of(pooledFit.beta[3], pooledFit.seClustered(3), pooledFit.clusters - 1, "clustered by unit (CR1)");

        return new Result(change(controlRows), change(treatedRows), balanced, pooled, pooledHc1, obs.size(),
                treatedRows.size(), controlRows.size());
    }

    private static Change change(List<double[]> rows) {
        int n = rows.size();
        if (n == 1) {
            return new Change(1, rows.get(0)[0], rows.get(0)[1], rows.get(0)[1] - rows.get(0)[0], Double.NaN);
        }
        double before = rows.stream().mapToDouble(r -> r[0]).average().orElse(Double.NaN);
        double after = rows.stream().mapToDouble(r -> r[1]).average().orElse(Double.NaN);
        double mean = after - before;
        double ss = rows.stream().mapToDouble(r -> Math.pow(r[1] - r[0] - mean, 2)).sum();
        return new Change(n, before, after, mean, Math.sqrt(ss / (n - 1) / n));
    }

    private DifferenceInDifferences() {
    }
}
