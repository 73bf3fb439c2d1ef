package org.cohesionbarometer.evaluate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Activities that start at different dates in different neighbourhoods: group-time average
 * effects in the spirit of Callaway &amp; Sant'Anna (2021, "Difference-in-differences with multiple
 * time periods", Journal of Econometrics 225(2)), compared against not-yet-treated units.
 *
 * <p>For the cohort g of units whose activity started in period g, and a period t:
 * <pre>ATT(g,t) = mean over cohort g of (Y_t − Y_b) − mean over comparison units of (Y_t − Y_b)</pre>
 * with base period b = g − 1 for t ≥ g (and b = t − 1 for the pre-period placebo cells t &lt; g), and
 * comparison units those not yet treated at max(t, b) — later cohorts and never-treated units.
 * Each comparison is a clean two-group, two-period difference, so the estimate is not biased by
 * effects that vary over time or between cohorts, as a single two-way fixed-effects regression
 * is (Goodman-Bacon 2021): that regression's estimate is reported next to it for comparison.
 *
 * <p>Comparison group ({@link Comparison}, R's {@code did}: {@code control_group}): units not yet
 * treated at max(t, b) (later cohorts and never-treated units, the default), or never-treated
 * units only.
 *
 * <p>Aggregations, as R's {@code did::aggte}: <i>simple</i> (the overall effect) averages the
 * post-period ATT(g,t) weighted by cohort size; <i>dynamic</i> averages ATT(g, g+e) over cohorts
 * (weighted by size) for each e, overall the mean over e ≥ 0; <i>group</i> averages each cohort's
 * ATT(g,t) over t ≥ g, overall weighted by cohort size; <i>calendar</i> averages the started
 * cohorts' ATT(g,t) (weighted by size) for each t, overall the mean over t. Uncertainty: a
 * bootstrap that resamples whole units (clustered by unit, so serial correlation is respected),
 * normal 95% intervals, and for the ATT(g,t) table and each aggregation a uniform 95% band whose
 * sup-t critical value is the bootstrap's 95th percentile of the largest |θ*−θ|/se (Callaway &amp;
 * Sant'Anna 2021, section 4.1); the pre-trend test takes the largest |t| among the pre-period
 * event-time effects and refers it to the bootstrap distribution of that maximum, which needs no
 * inverse of a noisy covariance matrix.
 *
 * <p><b>Assumptions.</b> Parallel trends between each cohort and the units not yet treated; no
 * anticipation (a unit does not change before its start); treatment stays on once started.
 */
public final class StaggeredAdoption {

    /** One unit's outcome in one period; periods are 0, 1, 2, … in time order. */
    public record Observation(String unit, int period, double outcome) {
    }

    /** First treated period per unit; units absent from the map were never treated. */
    public record Input(List<Observation> observations, Map<String, Integer> firstTreated, List<String> periodLabels) {
    }

    /**
     * Which units a cohort is compared with (R's {@code did}: {@code control_group}): units not yet
     * treated at the time (later cohorts and never-treated units), or never-treated units only.
     */
    public enum Comparison {
        NOT_YET_TREATED("not-yet-treated"), NEVER_TREATED("never-treated");

        public final String label;

        Comparison(String label) {
            this.label = label;
        }

        public static Comparison of(String text) {
            for (Comparison c : values()) {
                if (c.label.equalsIgnoreCase(text.trim()) || c.name().equalsIgnoreCase(text.trim())) {
                    return c;
                }
            }
            throw new IllegalArgumentException("--comparison must be not-yet-treated or never-treated, not '" + text + "'");
        }
    }

    /**
     * ATT(g,t) with its pointwise 95% interval and the uniform (simultaneous) 95% band over all
     * cells: the band covers every cell's effect at once with 95% probability.
     */
    public record Cell(int cohort, int period, double effect, double standardError, double lower95, double upper95,
                       double lowerBand, double upperBand, int treatedUnits, int comparisonUnits) {
    }

    public record EventTimeEffect(int relativePeriod, DifferenceInDifferences.Estimate estimate) {
    }

    /** One element of an aggregation (a cohort, a period or an event time) with its uniform band. */
    public record Element(int key, DifferenceInDifferences.Estimate estimate, double lowerBand, double upperBand) {
    }

    /**
     * An aggregation of the ATT(g,t) as R's {@code did::aggte} gives it: its elements, their overall
     * average (as {@code aggte} reports it) and the critical value of the uniform band.
     */
    public record Aggregation(String kind, List<Element> elements, DifferenceInDifferences.Estimate overall,
                              double criticalValue) {
    }

    public record Result(DifferenceInDifferences.Estimate overall, List<EventTimeEffect> eventTime, List<Cell> cells,
                         double preTrendMaxT, int preTrendEffects, double preTrendP, boolean parallelTrendsDoubtful,
                         double twoWayFixedEffects, int bootstrapDraws, List<String> notes, Comparison comparison,
                         Aggregation group, Aggregation calendar, Aggregation dynamic, double cellCriticalValue) {
    }

    public static Result estimate(Input input, int draws, long seed) {
        return estimate(input, Comparison.NOT_YET_TREATED, draws, seed);
    }

    public static Result estimate(Input input, Comparison comparison, int draws, long seed) {
        List<String> notes = new ArrayList<>();
        Data data = Data.of(input, notes, comparison);
        Point point = data.point();
        if (point.cells.isEmpty() || Double.isNaN(point.overall)) {
            throw new IllegalArgumentException("no cohort has both a period before its start and units not yet treated "
                    + "to compare with: the group-time effects cannot be estimated");
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Point> boot = new ArrayList<>();
        for (int b = 0; b < draws; b++) {
            boot.add(data.resample(random).point());
        }
        double overallSe = sd(boot.stream().mapToDouble(p -> p.overall).toArray());
        DifferenceInDifferences.Estimate overall = normal(point.overall, overallSe);

        List<EventTimeEffect> eventTime = new ArrayList<>();
        List<Integer> pre = new ArrayList<>();
        for (var e : point.eventTime.entrySet()) {
            double se = sd(boot.stream().mapToDouble(p -> p.eventTime.getOrDefault(e.getKey(), Double.NaN)).toArray());
            eventTime.add(new EventTimeEffect(e.getKey(), normal(e.getValue(), se)));
            if (e.getKey() < 0) {
                pre.add(e.getKey());
            }
        }
        List<CellKey> keys = new ArrayList<>(point.cells.keySet());
        double[] cellPoint = keys.stream().mapToDouble(k -> point.cells.get(k)[0]).toArray();
        List<double[]> cellDraws = boot.stream().map(bp -> keys.stream()
                .mapToDouble(k -> bp.cells.containsKey(k) ? bp.cells.get(k)[0] : Double.NaN).toArray()).toList();
        double[] cellSe = columnSd(cellDraws, keys.size());
        double cellCritical = uniformCriticalValue(cellPoint, cellSe, cellDraws);
        List<Cell> cells = new ArrayList<>();
        double q = 1.959963984540054;
        for (int i = 0; i < keys.size(); i++) {
            double[] v = point.cells.get(keys.get(i));
            double se = cellSe[i];
            cells.add(new Cell(keys.get(i).cohort(), keys.get(i).period(), v[0], se, v[0] - q * se, v[0] + q * se,
                    v[0] - cellCritical * se, v[0] + cellCritical * se, (int) v[1], (int) v[2]));
        }
        Aggregation group = aggregation("group", point.group, point.groupOverall, boot, bp -> bp.group, bp -> bp.groupOverall);
        Aggregation calendar = aggregation("calendar", point.calendar, point.calendarOverall, boot, bp -> bp.calendar,
                bp -> bp.calendarOverall);
        TreeMap<Integer, Double> dynamicPoint = point.eventTime;
        Aggregation dynamic = aggregation("dynamic", dynamicPoint, point.dynamicOverall, boot, bp -> bp.eventTime,
                bp -> bp.dynamicOverall);

        // Joint pre-trend test, as Callaway & Sant'Anna's uniform bands: the largest |t| among the
        // pre-period event-time effects against the bootstrap distribution of that maximum.
        double maxT = Double.NaN;
        double p = Double.NaN;
        if (!pre.isEmpty()) {
            double[] theta = pre.stream().mapToDouble(point.eventTime::get).toArray();
            double[] se = pre.stream().mapToDouble(e -> sd(boot.stream()
                    .mapToDouble(bp -> bp.eventTime.getOrDefault(e, Double.NaN)).toArray())).toArray();
            maxT = 0;
            for (int i = 0; i < theta.length; i++) {
                maxT = Math.max(maxT, Math.abs(theta[i] / se[i]));
            }
            int complete = 0;
            int asLarge = 0;
            for (Point bp : boot) {
                double m = 0;
                boolean ok = true;
                for (int i = 0; i < theta.length; i++) {
                    Double b = bp.eventTime.get(pre.get(i));
                    if (b == null || Double.isNaN(b)) {
                        ok = false;
                        break;
                    }
                    m = Math.max(m, Math.abs((b - theta[i]) / se[i]));
                }
                if (ok) {
                    complete++;
                    asLarge += m >= maxT ? 1 : 0;
                }
            }
            p = complete == 0 ? Double.NaN : (asLarge + 1.0) / (complete + 1.0);
        }
        return new Result(overall, eventTime, cells, maxT, pre.size(), p, !Double.isNaN(p) && p < 0.05,
                data.twoWayFixedEffects(), boot.size(), notes, comparison, group, calendar, dynamic, cellCritical);
    }

    private static Aggregation aggregation(String kind, TreeMap<Integer, Double> point, double overallPoint, List<Point> boot,
                                           java.util.function.Function<Point, TreeMap<Integer, Double>> of,
                                           java.util.function.ToDoubleFunction<Point> overallOf) {
        List<Integer> keys = new ArrayList<>(point.keySet());
        double[] theta = keys.stream().mapToDouble(point::get).toArray();
        List<double[]> draws = boot.stream().map(bp -> keys.stream()
                .mapToDouble(k -> of.apply(bp).getOrDefault(k, Double.NaN)).toArray()).toList();
        double[] se = columnSd(draws, keys.size());
        double critical = uniformCriticalValue(theta, se, draws);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            elements.add(new Element(keys.get(i), normal(theta[i], se[i]), theta[i] - critical * se[i],
                    theta[i] + critical * se[i]));
        }
        double overallSe = sd(boot.stream().mapToDouble(overallOf).toArray());
        return new Aggregation(kind, elements, normal(overallPoint, overallSe), critical);
    }

    private static double[] columnSd(List<double[]> draws, int columns) {
        double[] se = new double[columns];
        for (int j = 0; j < columns; j++) {
            final int column = j;
            se[j] = sd(draws.stream().mapToDouble(d -> d[column]).toArray());
        }
        return se;
    }

    /**
     * The sup-t critical value of a uniform 95% band (Callaway &amp; Sant'Anna 2021, section 4.1; Montiel
     * Olea &amp; Plagborg-Møller 2019): the 95th percentile over bootstrap draws of the largest
     * |θ*_k − θ_k| / se_k; draws where an element could not be computed are left out. Never below
     * the pointwise 1.96.
     */
    static double uniformCriticalValue(double[] theta, double[] se, List<double[]> draws) {
        List<Double> maxima = new ArrayList<>();
        for (double[] d : draws) {
            double m = 0;
            boolean ok = true;
            for (int k = 0; k < theta.length; k++) {
                if (Double.isNaN(d[k]) || !(se[k] > 0)) {
                    ok = false;
                    break;
                }
                m = Math.max(m, Math.abs(d[k] - theta[k]) / se[k]);
            }
            if (ok) {
                maxima.add(m);
            }
        }
        if (maxima.size() < 20) {
            return Double.NaN;
        }
        double[] sorted = maxima.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double q = new org.apache.commons.math3.stat.descriptive.rank.Percentile()
                .withEstimationType(org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType.R_7)
                .evaluate(sorted, 95);
        return Math.max(1.959963984540054, q);
    }

    private static DifferenceInDifferences.Estimate normal(double effect, double se) {
        double q = 1.959963984540054;
        double z = Math.abs(effect / se);
        double p = 2 * (1 - new org.apache.commons.math3.distribution.NormalDistribution().cumulativeProbability(z));
        return new DifferenceInDifferences.Estimate(effect, se, effect - q * se, effect + q * se, p,
                Double.POSITIVE_INFINITY, "bootstrap over units");
    }

    private static double sd(double[] values) {
        double[] finite = java.util.Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        if (finite.length < 2) {
            return Double.NaN;
        }
        return Math.sqrt(new org.apache.commons.math3.stat.descriptive.moment.Variance().evaluate(finite));
    }

    /** Point estimates: ATT(g,t) cells, their cohort-size-weighted aggregations. */
    private record Point(Map<CellKey, double[]> cells, double overall, TreeMap<Integer, Double> eventTime,
                         TreeMap<Integer, Double> group, double groupOverall, TreeMap<Integer, Double> calendar,
                         double calendarOverall, double dynamicOverall) {
    }

    private record CellKey(int cohort, int period) {
    }

    /** Units' outcomes by period (NaN where missing) and their cohorts (Integer.MAX_VALUE: never treated). */
    private record Data(List<double[]> outcomes, int[] cohort, int periods, Comparison comparison) {

        static Data of(Input input, List<String> notes, Comparison comparison) {
            Map<String, Integer> index = new LinkedHashMap<>();
            int periods = input.periodLabels().size();
            List<double[]> outcomes = new ArrayList<>();
            for (Observation o : input.observations()) {
                int i = index.computeIfAbsent(o.unit(), u -> {
                    double[] row = new double[periods];
                    java.util.Arrays.fill(row, Double.NaN);
                    outcomes.add(row);
                    return outcomes.size() - 1;
                });
                outcomes.get(i)[o.period()] = o.outcome();
            }
            int[] cohort = new int[outcomes.size()];
            List<String> alwaysTreated = new ArrayList<>();
            for (var unit : index.entrySet()) {
                Integer g = input.firstTreated().get(unit.getKey());
                cohort[unit.getValue()] = g == null ? Integer.MAX_VALUE : g;
                if (g != null && g <= 0) {
                    alwaysTreated.add(unit.getKey());
                }
            }
            if (!alwaysTreated.isEmpty()) {
                notes.add("left out, treated from the first period on (no period before to compare): " + alwaysTreated);
            }
            if (comparison == Comparison.NEVER_TREATED
                    && java.util.Arrays.stream(cohort).noneMatch(g -> g == Integer.MAX_VALUE)) {
                throw new IllegalArgumentException("--comparison never-treated: every unit is treated at some point, so "
                        + "there are no never-treated units to compare with; use --comparison not-yet-treated");
            }
            return new Data(outcomes, cohort, periods, comparison);
        }

        Data resample(SplittableRandom random) {
            List<double[]> rows = new ArrayList<>();
            int[] cohorts = new int[cohort.length];
            for (int i = 0; i < cohort.length; i++) {
                int pick = random.nextInt(cohort.length);
                rows.add(outcomes.get(pick));
                cohorts[i] = cohort[pick];
            }
            return new Data(rows, cohorts, periods, comparison);
        }

        Point point() {
            Map<CellKey, double[]> cells = new LinkedHashMap<>();
            TreeSet<Integer> cohorts = new TreeSet<>();
            for (int g : cohort) {
                if (g > 0 && g < periods) {
                    cohorts.add(g);
                }
            }
            double overallSum = 0;
            double overallWeight = 0;
            Map<Integer, double[]> byEventTime = new HashMap<>(); // weighted sum, weight
            for (int g : cohorts) {
                for (int t = 1; t < periods; t++) {
                    int base = t >= g ? g - 1 : t - 1;
                    double[] treated = meanChange(g, g, g, t, base);
                    double[] comparison = meanChange(this.comparison == Comparison.NEVER_TREATED ? Integer.MAX_VALUE
                            : Math.max(t, base) + 1, Integer.MAX_VALUE, g, t, base);
                    if (treated[1] == 0 || comparison[1] == 0) {
                        continue;
                    }
                    double att = treated[0] - comparison[0];
                    cells.put(new CellKey(g, t), new double[] {att, treated[1], comparison[1]});
                    double[] e = byEventTime.computeIfAbsent(t - g, k -> new double[2]);
                    e[0] += att * treated[1];
                    e[1] += treated[1];
                    if (t >= g) {
                        overallSum += att * treated[1];
                        overallWeight += treated[1];
                    }
                }
            }
            TreeMap<Integer, Double> eventTime = new TreeMap<>();
            byEventTime.forEach((e, s) -> eventTime.put(e, s[0] / s[1]));
            // aggte(type = "group"): each cohort's mean over its post periods, overall weighted by cohort size
            TreeMap<Integer, Double> group = new TreeMap<>();
            Map<Integer, Double> size = new HashMap<>();
            // aggte(type = "calendar"): each period's mean over started cohorts weighted by size, overall their mean
            Map<Integer, double[]> byPeriod = new TreeMap<>();
            for (int g : cohorts) {
                double sum = 0;
                int n = 0;
                for (var cell : cells.entrySet()) {
                    CellKey k = cell.getKey();
                    if (k.cohort() == g && k.period() >= g) {
                        sum += cell.getValue()[0];
                        n++;
                        size.put(g, cell.getValue()[1]);
                        double[] p = byPeriod.computeIfAbsent(k.period(), x -> new double[2]);
                        p[0] += cell.getValue()[0] * cell.getValue()[1];
                        p[1] += cell.getValue()[1];
                    }
                }
                if (n > 0) {
                    group.put(g, sum / n);
                }
            }
            double groupSum = 0;
            double groupWeight = 0;
            for (var g : group.entrySet()) {
                groupSum += g.getValue() * size.get(g.getKey());
                groupWeight += size.get(g.getKey());
            }
            TreeMap<Integer, Double> calendar = new TreeMap<>();
            byPeriod.forEach((t, p) -> calendar.put(t, p[0] / p[1]));
            double calendarOverall = calendar.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            // aggte(type = "dynamic"): overall, the mean of the event-time effects from the start on
            double dynamicOverall = eventTime.tailMap(0).values().stream().mapToDouble(Double::doubleValue).average()
                    .orElse(Double.NaN);
            return new Point(cells, overallWeight == 0 ? Double.NaN : overallSum / overallWeight, eventTime, group,
                    groupWeight == 0 ? Double.NaN : groupSum / groupWeight, calendar, calendarOverall, dynamicOverall);
        }

        /**
         * Mean of Y_t − Y_base over units whose cohort lies in [from, to] (to = MAX: never treated
         * included); a comparison group leaves out the cohort it is compared with.
         */
        private double[] meanChange(int from, int to, int self, int t, int base) {
            boolean comparison = from != self || to != self;
            double sum = 0;
            int n = 0;
            for (int i = 0; i < cohort.length; i++) {
                if (cohort[i] >= from && cohort[i] <= to && cohort[i] > 0 && !(comparison && cohort[i] == self)) {
                    double change = outcomes.get(i)[t] - outcomes.get(i)[base];
                    if (!Double.isNaN(change)) {
                        sum += change;
                        n++;
                    }
                }
            }
            return new double[] {n == 0 ? Double.NaN : sum / n, n};
        }

        /** y = unit + period + δ·treated-and-started: the single regression this estimator replaces. */
        double twoWayFixedEffects() {
            List<double[]> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            List<String> clusters = new ArrayList<>();
            int units = cohort.length;
            int reference = -1;
            for (int i = 0; i < units; i++) {
                if (cohort[i] <= 0) {
                    continue;
                }
                reference = reference < 0 ? i : reference;
                for (int t = 0; t < periods; t++) {
                    double value = outcomes.get(i)[t];
                    if (Double.isNaN(value)) {
                        continue;
                    }
                    double[] row = new double[1 + units + periods];
                    row[0] = t >= cohort[i] ? 1 : 0;
                    if (i != reference) {
                        row[1 + i] = 1;
                    }
                    row[1 + units + t] = 1; // period dummies absorb the intercept; one unit is the reference
                    x.add(row);
                    y.add(value);
                    clusters.add("u" + i);
                }
            }
            // drop columns that are all zero (units left out) so that X'X is invertible
            boolean[] used = new boolean[1 + units + periods];
            x.forEach(r -> {
                for (int j = 0; j < r.length; j++) {
                    used[j] |= r[j] != 0;
                }
            });
            int k = 0;
            for (boolean u : used) {
                k += u ? 1 : 0;
            }
            double[][] design = new double[x.size()][k];
            for (int r = 0; r < x.size(); r++) {
                int c = 0;
                for (int j = 0; j < used.length; j++) {
                    if (used[j]) {
                        design[r][c++] = x.get(r)[j];
                    }
                }
            }
            try {
                return new LeastSquares(design, y.stream().mapToDouble(Double::doubleValue).toArray(), clusters).beta[0];
            } catch (RuntimeException singular) {
                return Double.NaN;
            }
        }
    }

    private StaggeredAdoption() {
    }
}
