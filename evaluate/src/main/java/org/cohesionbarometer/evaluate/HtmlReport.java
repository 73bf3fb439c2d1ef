package org.cohesionbarometer.evaluate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Self-contained HTML reports (inline SVG, no scripts, no network, printable on A4) that a council
 * can read, one per design: difference-in-differences with its event study, group-time effects for
 * staggered starts, and an interrupted time series. Each opens with a title naming the treated
 * units, the outcome and the start, then a plain-language headline with the estimate, its interval
 * and what it means; then the checks an evaluator expects (the pre-trend test and how to read it,
 * placebos in space and in time) and context that fits where the data came from.
 */
public final class HtmlReport {

    public record Series(List<String> periods, double[] treated, double[] control) {
    }

    /**
     * What the report is about.
     *
     * @param treatedUnits     the treated units in words ("old-town", "the 331 units with state = NJ")
     * @param outcomeUnit      what the outcome counts, for the axes; null if unknown
     * @param barometerFigures the barometer's published (suppressed) figures, rather than an outside CSV file
     * @param source           where the data came from: a file name, or the activity and indicator
     * @param dataHtml         a section on the data (controls chosen, notes), already escaped
     */
    public record Context(String title, String treatedUnits, String outcome, String outcomeUnit, String start,
                          boolean barometerFigures, String source, String dataHtml) {

        Context withDataHtml(String html) {
            return new Context(title, treatedUnits, outcome, outcomeUnit, start, barometerFigures, source, html);
        }

        String axisTitle() {
            return outcome + (outcomeUnit == null || outcomeUnit.isBlank() ? "" : " (" + outcomeUnit + ")");
        }

        String effectAxisTitle() {
            return "effect on " + outcome + (outcomeUnit == null || outcomeUnit.isBlank() ? "" : " (" + outcomeUnit + ")");
        }

        /** "2.75 employees per store", "0.069 (6.9 percentage points)" for a share from 0 to 1, or "2.75". */
        String amount(double v) {
            if (outcomeUnit == null || outcomeUnit.isBlank()) {
                return Chart.number(v);
            }
            if (outcomeUnit.contains("0 to 1")) {
                return Chart.number(v) + " (" + Chart.number(100 * v) + " percentage points)";
            }
            return Chart.number(v) + " " + outcomeUnit;
        }
    }

    // ------------------------------------------------------------------ difference-in-differences

    public static String differenceInDifferences(Context c, Series series, DifferenceInDifferences.Result did,
                                                 EventStudy.Result study, Placebo.Result placebo, Placebo.InTime inTime) {
        DifferenceInDifferences.Estimate e = did.pooled();
        StringBuilder html = head(c.title());
        html.append(subtitle(c, "difference-in-differences" + (study != null ? " with an event study" : "")));
        boolean doubtful = study != null && study.parallelTrendsDoubtful();
        html.append("<p class=\"estimate\" id=\"headline\">").append(String.format(Locale.ROOT,
                "After the start, <b>%s %s by %s more</b> in %s than in the comparison units (95%% interval %s to %s, %s). %s%s",
                escape(c.outcome()), e.effect() >= 0 ? "rose" : "fell", escape(c.amount(Math.abs(e.effect()))),
                escape(c.treatedUnits()), Chart.number(e.lower95()), Chart.number(e.upper95()), p(e.pValue()),
                verdict(e), doubtful ? " <b>But</b> the two groups were already drifting apart before the start (see the "
                        + "pre-trend test below), so part or all of this difference may be that drift, not the activity." : ""))
                .append(placebo != null && 1 / assignments(did) > 0.05 ? String.format(Locale.ROOT, " With only %d "
                        + "comparison units the interval leans on their changes being a fair guide to chance, which the "
                        + "placebo test cannot confirm (see below).", did.controlUnits()) : "")
                .append(inTime.share() > 0.2 ? String.format(Locale.ROOT, " Pretending the activity started earlier, when "
                        + "nothing happened, gave estimates at least this large %s of the time (placebo in time below), so an "
                        + "estimate of this size is not unusual here.", percent(inTime.share())) : "")
                .append("</p>");
        if (doubtful) {
            html.append(String.format(Locale.ROOT, "<p class=\"warning\"><b>Caution:</b> before the start, treated and control "
                    + "units were not moving in parallel (pre-trend test p = %s). The estimate above may reflect that earlier "
                    + "difference rather than the activity; read it as an upper or lower bound only together with the event "
                    + "study and the placebo in time below.</p>", pNumber(study.preTrendP())));
        }
        html.append("<h2>Before and after</h2><figure>").append(Chart.lines("mean " + c.outcome() + " per period",
                "period", c.axisTitle(), series.periods(), List.of(
                        new Chart.Line("treated: " + c.treatedUnits(), series.treated(), Chart.BLUE, "", true),
                        new Chart.Line("comparison units (mean)", series.control(), Chart.ORANGE, "8 4", true)),
                series.periods().indexOf(c.start()), "start: " + c.start()))
                .append("<figcaption>Mean ").append(escape(c.outcome())).append(" per period of the treated and the comparison "
                        + "units. Difference-in-differences compares how much each changed from before the start to after."
                        + "</figcaption></figure>");

        html.append("<h2>Were the groups moving in parallel before the start?</h2>");
        if (study != null) {
            html.append(String.format(Locale.ROOT, "<p id=\"pretrend\">Pre-trend test: <b>F(%d, %d) = %s, %s</b>. %s</p>",
                    study.preTrendDf(), study.preTrendDenominatorDf(), Chart.number(study.preTrendF()),
                    p(study.preTrendP()), study.parallelTrendsDoubtful()
                            ? "The differences before the start are larger than chance would make them: the groups were "
                            + "not moving in parallel, which the estimate assumes."
                            : study.preTrendP() < 0.10
                            ? "A weak sign that the groups moved differently before the start (p between 0.05 and 0.10): "
                            + "look at the points before the start below, and read the estimate with some caution."
                            : "No clear sign that the groups moved differently before the start (a large p-value does not "
                            + "prove they moved in parallel; with few periods or units the test has little power)."));
            List<Chart.Interval> items = new ArrayList<>();
            List<EventStudy.Coefficient> cs = new ArrayList<>(study.coefficients());
            cs.add(new EventStudy.Coefficient(-1, 0, 0, Double.NaN, Double.NaN));
            cs.sort((a, b) -> Integer.compare(a.relativePeriod(), b.relativePeriod()));
            for (EventStudy.Coefficient k : cs) {
                items.add(new Chart.Interval(String.format(Locale.ROOT, "%+d", k.relativePeriod()), k.effect(), k.lower95(),
                        k.upper95(), Double.NaN, Double.NaN, k.relativePeriod() < 0 ? Chart.GREY : Chart.BLUE));
            }
            html.append("<figure>").append(Chart.intervals("event study", "periods since the start (−1: the reference period)",
                    c.effectAxisTitle(), items, List.of(new String[] {"before the start (should be near 0)", Chart.GREY},
                            new String[] {"from the start on: the effect", Chart.BLUE}), false, "0 = no difference"))
                    .append("<figcaption>Event study: the difference between treated and comparison units in each period, "
                            + "relative to the period just before the start (−1, set to 0). Points left of the start should "
                            + "hover around the zero line; a steady slope there is a pre-trend.</figcaption></figure>");
        } else {
            html.append("<p id=\"pretrend\">Not testable from these data: with one period before the start there is no "
                    + "earlier change to compare. The estimate rests on the assumption that, without the activity, both "
                    + "groups would have changed alike.</p>");
        }

        html.append("<h2>Placebo tests</h2>");
        if (placebo != null) {
            html.append(String.format(Locale.ROOT, "<p id=\"placebo-space\"><b>In space:</b> the treatment given to %d random "
                    + "sets of units instead; %s of these made-up estimates are as large as the real one (permutation %s). "
                    + "%s</p>", placebo.placebos().length, percent(placebo.pValue()), p(placebo.pValue()),
                    placebo.pValue() < 0.05 ? "The real estimate stands out from what reshuffling produces."
                            : "The real estimate does not stand out from what reshuffling produces."));
            html.append("<figure>").append(Chart.histogram("placebo in space", c.effectAxisTitle() + " if other units had "
                    + "been treated", placebo.placebos(), placebo.estimate(), "real estimate " + Chart.number(placebo.estimate())))
                    .append("</figure>");
            double assignments = assignments(did);
            if (1 / assignments > 0.05) {
                html.append(String.format(Locale.ROOT, "<p class=\"warning\">With %d units of which %d treated there are "
                        + "only %.0f different ways to assign the treatment, so the placebo test cannot give a p-value "
                        + "below %.2f however large the effect. More comparable units would sharpen it.</p>",
                        did.treatedUnits() + did.controlUnits(), did.treatedUnits(), assignments, 1 / assignments));
            }
        } else {
            html.append("<p id=\"placebo-space\"><b>In space:</b> not run (--permutations 0).</p>");
        }
        html.append(placeboInTime(inTime.fakeStarts(), inTime.estimates(), inTime.realEstimate(), inTime.share(), c,
                "estimate"));

        html.append(String.format(Locale.ROOT, "<h2>Sample</h2><table><tr><th></th><th>units</th></tr>"
                        + "<tr><td>treated</td><td>%d</td></tr><tr><td>comparison</td><td>%d</td></tr>"
                        + "<tr><td>observations</td><td>%d</td></tr></table>",
                did.treatedUnits(), did.controlUnits(), did.observations()));
        html.append(c.dataHtml());
        html.append("<h2>How to read this</h2><ul><li>The method is difference-in-differences: how much more the "
                + "outcome changed in treated units than in the comparison units. It assumes that without the activity "
                + "both would have changed alike (parallel trends); the pre-trend test and the placebos check that as far "
                + "as data can.</li><li>" + (did.treatedUnits() == 1
                ? "With one treated " + (c.barometerFigures() ? "neighbourhood" : "unit") + ", its uncertainty is judged "
                + "from how much the comparison units changed among "
                + "themselves, so the interval is only as good as the comparison units are comparable."
                : "Standard errors are clustered by unit, because a unit's periods are related.") + "</li>"
                + context(c) + "</ul>");
        return html.append("</body></html>").toString();
    }

    /** How many ways the treatment could be given to as many units as were treated. */
    private static double assignments(DifferenceInDifferences.Result did) {
        return org.apache.commons.math3.util.CombinatoricsUtils.binomialCoefficientDouble(
                did.treatedUnits() + did.controlUnits(), did.treatedUnits());
    }

    private static String placeboInTime(List<String> fakeStarts, double[] estimates, double real, double share, Context c,
                                        String what) {
        if (estimates.length == 0) {
            return "<p id=\"placebo-time\"><b>In time:</b> not possible: it pretends the activity started earlier, which "
                    + "needs at least four periods before the real start (two on each side of a pretended start).</p>";
        }
        StringBuilder html = new StringBuilder(String.format(Locale.ROOT, "<p id=\"placebo-time\"><b>In time:</b> the "
                + "activity pretended to start at %d earlier period%s, using only data from before the real start; nothing "
                + "happened then, so these estimates show what noise and diverging trends produce alone. %s of them are as "
                + "large as the real %s (%s). %s</p>", estimates.length, estimates.length == 1 ? "" : "s", percent(share), what,
                Chart.number(real), share > 0.2 ? "The real estimate is not unusual among them: treat it with caution."
                        : share == 0 ? "The real estimate is larger than all of them."
                        : "The real estimate is larger than most of them."));
        html.append("<table class=\"numbers placebo-time\"><tr><th>pretended start</th><th>").append(escape(what))
                .append("</th></tr>");
        for (int i = 0; i < estimates.length; i++) {
            html.append("<tr><td>").append(escape(fakeStarts.get(i))).append("</td><td>").append(Chart.number(estimates[i]))
                    .append("</td></tr>");
        }
        html.append("<tr class=\"real\"><td>real start ").append(escape(c.start())).append("</td><td>")
                .append(Chart.number(real)).append("</td></tr></table>");
        return html.toString();
    }

    // ------------------------------------------------------------------ group-time effects

    public static String groupTime(Context c, GroupTimeEffects g, StaggeredSeries series) {
        DifferenceInDifferences.Estimate e = g.simple();
        StringBuilder html = head(c.title());
        html.append(subtitle(c, "group-time effects for staggered starts (Callaway & Sant'Anna), compared with "
                + g.comparisonGroup() + " units"));
        boolean doubtful = g.preTrend().parallelTrendsDoubtful();
        html.append("<p class=\"estimate\" id=\"headline\">").append(String.format(Locale.ROOT,
                "Averaged over the units that started and the periods since they started, <b>%s %s by %s</b> compared with "
                        + "%s units (95%% interval %s to %s, %s). %s%s",
                escape(c.outcome()), e.effect() >= 0 ? "rose" : "fell", escape(c.amount(Math.abs(e.effect()))),
                escape(g.comparisonGroup()), Chart.number(e.lower95()), Chart.number(e.upper95()), p(e.pValue()), verdict(e),
                doubtful ? " <b>But</b> before their starts the cohorts were already drifting away from the comparison units, "
                        + "so part of this may be that drift." : "")).append("</p>");
        if (doubtful) {
            html.append(String.format(Locale.ROOT, "<p class=\"warning\"><b>Caution:</b> cohorts were not moving in parallel "
                    + "with the %s units before their start (pre-trend test p = %s).</p>", escape(g.comparisonGroup()),
                    pNumber(g.preTrend().pValue())));
        }
        html.append("<h2>The series</h2><figure>");
        List<Chart.Line> lines = new ArrayList<>();
        int k = 0;
        for (var entry : series.meanByCohort().entrySet()) {
            boolean never = entry.getKey().equals(StaggeredSeries.NEVER);
            lines.add(new Chart.Line(entry.getKey(), entry.getValue(), never ? Chart.GREY : Chart.PALETTE.get(k % Chart.PALETTE.size()),
                    never ? "2 3" : Chart.DASHES.get(k % Chart.DASHES.size()), true));
            k += never ? 0 : 1;
        }
        html.append(Chart.lines("mean " + c.outcome() + " per cohort", "period", c.axisTitle(), series.periods(), lines, -1, ""))
                .append("<figcaption>Mean ").append(escape(c.outcome())).append(" per period of each cohort (units whose "
                        + "activity started in the same period) and of the units never treated.</figcaption></figure>");

        GroupTimeEffects.Aggregation dynamic = g.dynamic();
        html.append("<h2>Effect by time since the start</h2>");
        html.append(String.format(Locale.ROOT, "<p id=\"pretrend\">Pre-trend test: the largest |t| among %d effects before "
                + "the start is <b>%s, %s</b> (against its bootstrap distribution, as the uniform band). %s</p>",
                g.preTrend().effects(), Chart.number(g.preTrend().maxAbsT()), p(g.preTrend().pValue()), doubtful
                        ? "The cohorts differed from their comparison units before they started: the parallel-trends "
                        + "assumption looks violated."
                        : "No sign that cohorts moved differently from their comparison units before their start (which "
                        + "does not prove that they moved in parallel)."));
        html.append("<figure>").append(Chart.intervals("effect by periods since the start", "periods since the start",
                c.effectAxisTitle(), elements(dynamic, label -> label.startsWith("-") ? Chart.GREY : Chart.BLUE),
                List.of(new String[] {"before the start (placebo: should be near 0)", Chart.GREY},
                        new String[] {"from the start on: the effect", Chart.BLUE}), true, "0 = no effect"))
                .append("<figcaption>Average effect a given number of periods after the start, over the cohorts observed "
                        + "then (R's did: aggte type \"dynamic\"). Before the start (negative periods) each point is a "
                        + "placebo in time: the change from one period to the next, which should be near zero.</figcaption>"
                        + "</figure>");
        html.append("<h2>Effect by cohort</h2><figure>").append(Chart.intervals("effect by cohort",
                "cohort (first treated period)", c.effectAxisTitle(), elements(g.group(), label -> Chart.BLUE),
                List.<String[]>of(new String[] {"cohort's average effect since its start", Chart.BLUE}), true, "0 = no effect"))
                .append("<figcaption>").append(escape(capitalised(g.group().describes()))).append(" (aggte type \"group\"); "
                        + "overall ").append(Chart.number(g.group().overall().effect())).append(" (SE ")
                .append(Chart.number(g.group().overall().standardError())).append(").</figcaption></figure>");
        html.append("<h2>Effect by calendar period</h2>").append(aggregationTable(g.calendar(), "period"));
        html.append("<h2>Every cohort and period: ATT(g,t)</h2>").append(attGtTable(g));
        html.append(String.format(Locale.ROOT, "<p>A single two-way fixed-effects regression would say %s: it is biased when "
                + "effects change with time since the start, because it compares later cohorts with earlier, already "
                + "treated ones (Goodman-Bacon 2021).</p>", Chart.number(g.twoWayFixedEffects())));
        html.append("<h2>Placebo tests</h2><p id=\"placebo-time\"><b>In time:</b> the effects before the start in the chart "
                + "\"effect by time since the start\" are the placebos in time: each cohort, before it started, against its "
                + "comparison units.</p><p id=\"placebo-space\"><b>In space:</b> every ATT(g,t) compares a cohort with units that had not (yet) started, "
                + "and the uniform band shows how far estimates stray by chance across all of them at once.</p>");
        if (!g.notes().isEmpty()) {
            html.append("<ul>");
            g.notes().forEach(n -> html.append("<li>Note: ").append(escape(n)).append("</li>"));
            html.append("</ul>");
        }
        html.append(c.dataHtml());
        html.append("<h2>How to read this</h2><ul><li>Each cohort is compared only with units that had not started at the "
                + "time (" + escape(g.comparisonGroup()) + "), period by period, so no already treated unit serves as a "
                + "comparison. The headline averages these comparisons, weighting cohorts by their size (aggte type "
                + "\"simple\").</li><li>Intervals are from " + g.bootstrapDraws() + " bootstrap draws of whole units; a uniform "
                + "band covers all the effects of a chart at once with 95% probability, so a point whose band excludes zero "
                + "is not a fluke of looking at many points.</li>" + context(c) + "</ul>");
        return html.append("</body></html>").toString();
    }

    private static List<Chart.Interval> elements(GroupTimeEffects.Aggregation a,
                                                 java.util.function.Function<String, String> colour) {
        return a.elements().stream().map(e -> new Chart.Interval(e.label(), e.effect(), e.lower95(), e.upper95(),
                e.lowerBand(), e.upperBand(), colour.apply(e.label()))).toList();
    }

    private static String aggregationTable(GroupTimeEffects.Aggregation a, String keyName) {
        StringBuilder html = new StringBuilder("<p>").append(escape(capitalised(a.describes()))).append(" (aggte type \"")
                .append(a.kind()).append("\"); overall ").append(Chart.number(a.overall().effect())).append(" (SE ")
                .append(Chart.number(a.overall().standardError())).append(").</p><table class=\"numbers\"><tr><th>").append(keyName)
                .append("</th><th>effect</th><th>SE</th><th>95% interval</th><th>uniform 95% band</th></tr>");
        for (GroupTimeEffects.Element e : a.elements()) {
            html.append("<tr><td>").append(escape(e.label())).append("</td><td>").append(Chart.number(e.effect()))
                    .append("</td><td>").append(Chart.number(e.standardError())).append("</td><td>")
                    .append(Chart.number(e.lower95())).append(" to ").append(Chart.number(e.upper95())).append("</td><td>")
                    .append(Chart.number(e.lowerBand())).append(" to ").append(Chart.number(e.upperBand())).append("</td></tr>");
        }
        return html.append("</table>").toString();
    }

    private static String attGtTable(GroupTimeEffects g) {
        StringBuilder html = new StringBuilder("<table class=\"numbers attgt\"><tr><th>cohort</th><th>period</th><th>periods since "
                + "start</th><th>effect</th><th>SE</th><th>uniform 95% band</th><th>units (cohort / compared)</th></tr>");
        for (GroupTimeEffects.Cell cell : g.attGt()) {
            html.append("<tr><td>").append(escape(cell.cohort())).append("</td><td>").append(escape(cell.period()))
                    .append("</td><td>").append(String.format(Locale.ROOT, "%+d", cell.periodsSinceStart())).append("</td><td>")
                    .append(Chart.number(cell.effect())).append("</td><td>").append(Chart.number(cell.standardError()))
                    .append("</td><td>").append(Chart.number(cell.lowerBand())).append(" to ")
                    .append(Chart.number(cell.upperBand())).append("</td><td>").append(cell.treatedUnits()).append(" / ")
                    .append(cell.comparisonUnits()).append("</td></tr>");
        }
        return html.append("</table>").toString();
    }

    // ------------------------------------------------------------------ interrupted time series

    public static String interruptedTimeSeries(Context c, List<String> periods, double[] y, InterruptedTimeSeries.Result its,
                                               InterruptedTimeSeries.PlaceboInTime placebo) {
        DifferenceInDifferences.Estimate level = its.levelChange();
        DifferenceInDifferences.Estimate slope = its.slopeChange();
        StringBuilder html = head(c.title());
        html.append(subtitle(c, "interrupted time series (no comparison units)"));
        html.append("<p class=\"estimate\" id=\"headline\">").append(String.format(Locale.ROOT,
                "At the start, %s <b>%s by %s</b> compared with where its earlier trend was heading (95%% interval %s to %s, "
                        + "%s), and its trend per period changed by %s (95%% interval %s to %s, %s). %s</p>",
                escape(c.outcome()), level.effect() >= 0 ? "jumped up" : "dropped", escape(c.amount(Math.abs(level.effect()))),
                Chart.number(level.lower95()), Chart.number(level.upper95()), p(level.pValue()), Chart.number(slope.effect()),
                Chart.number(slope.lower95()), Chart.number(slope.upper95()), p(slope.pValue()),
                "Without comparison units this is descriptive: " + (level.lower95() > 0 || level.upper95() < 0
                        ? "the jump is larger than the series' noise, but anything else that changed at the start would look the same."
                        : "the interval includes no jump at all.")));
        if (placebo.share() > 0) {
            html.insert(html.lastIndexOf("</p>"), String.format(Locale.ROOT, " Pretending the start was earlier, when nothing "
                    + "happened, gave a jump at least this large at %d of %d earlier periods (placebo in time below).",
                    Math.round(placebo.share() * placebo.estimates().length), placebo.estimates().length));
        }
        html.append("<p class=\"warning\"><b>A weaker design:</b> ").append(escape(its.warning())).append(".</p>");
        int start = periods.indexOf(c.start());
        double[] counterfactual = new double[y.length];
        double[] fittedBefore = new double[y.length];
        double[] fittedAfter = new double[y.length];
        for (int t = 0; t < y.length; t++) {
            double trend = its.intercept() + its.preSlope() * t;
            counterfactual[t] = t >= start - 1 ? trend : Double.NaN;
            fittedBefore[t] = t < start ? trend : Double.NaN;
            fittedAfter[t] = t >= start ? trend + level.effect() + slope.effect() * (t - start) : Double.NaN;
        }
        html.append("<h2>The series</h2><figure>").append(Chart.lines(c.outcome() + " over time", "period", c.axisTitle(),
                periods, List.of(new Chart.Line("observed: " + c.treatedUnits(), y, Chart.BLUE, "", true),
                        new Chart.Line("fitted before the start", fittedBefore, Chart.GREY, "", false),
                        new Chart.Line("fitted after the start", fittedAfter, Chart.GREEN, "", false),
                        new Chart.Line("earlier trend continued", counterfactual, Chart.ORANGE, "8 4", false)),
                start, "start: " + c.start()))
                .append("<figcaption>Observed ").append(escape(c.outcome())).append(", the segmented regression's fit, and "
                        + "the earlier trend carried past the start: the gap between the fitted and the continued line is the "
                        + "estimated effect.</figcaption></figure>");
        html.append(String.format(Locale.ROOT, "<h2>The estimates</h2><table class=\"numbers\"><tr><th></th><th>estimate</th><th>SE</th>"
                        + "<th>95%% interval</th><th>p</th></tr>"
                        + "<tr><td>trend before the start, per period</td><td>%s</td><td></td><td></td><td></td></tr>"
                        + "<tr><td>level change at the start</td><td>%s</td><td>%s</td><td>%s to %s</td><td>%s</td></tr>"
                        + "<tr><td>change in trend per period</td><td>%s</td><td>%s</td><td>%s to %s</td><td>%s</td></tr></table>"
                        + "<p>Errors allowed to be autocorrelated (Prais–Winsten, AR(1), ρ = %s); %d periods before, %d after.</p>",
                Chart.number(its.preSlope()), Chart.number(level.effect()), Chart.number(level.standardError()),
                Chart.number(level.lower95()), Chart.number(level.upper95()), pNumber(level.pValue()),
                Chart.number(slope.effect()), Chart.number(slope.standardError()), Chart.number(slope.lower95()),
                Chart.number(slope.upper95()), pNumber(slope.pValue()), Chart.number(its.autocorrelation()),
                its.prePeriods(), its.postPeriods()));
        html.append("<h2>Were things steady before the start?</h2><p id=\"pretrend\">Without comparison units there is no "
                + "pre-trend test against others; the model assumes the trend before the start would have continued. The "
                + "placebo in time below checks how often a jump this large appears where nothing happened.</p>");
        html.append("<h2>Placebo tests</h2>").append(placeboInTime(placebo.fakeStarts().stream().map(periods::get).toList(),
                placebo.estimates(), placebo.realEstimate(), placebo.share(), c, "level change"));
        html.append("<p id=\"placebo-space\"><b>In space:</b> not possible without comparison units; with them, use "
                + "difference-in-differences instead.</p>");
        html.append(c.dataHtml());
        html.append("<h2>How to read this</h2><ul><li>An interrupted time series fits one line before the start and one "
                + "after (segmented regression) and reads the jump and the bend at the start as the activity's effect.</li>"
                + context(c) + "</ul>");
        return html.append("</body></html>").toString();
    }

    // ------------------------------------------------------------------ shared

    private static StringBuilder head(String title) {
        return new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title><style>body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:960px;"
                        + "margin:2em auto;padding:0 1em;color:#222;line-height:1.45}"
                        + "h1{font-size:1.55em;margin-bottom:.2em}.subtitle{color:#555;margin-top:0}"
                        + ".estimate{font-size:1.2em;background:#eef3f9;padding:1em;border-radius:6px}"
                        + ".warning{background:#fff4e5;border-left:4px solid #d55e00;padding:.8em}"
                        + ".note{color:#555}figure{margin:1.2em 0}figcaption{color:#555;font-size:.9em}"
                        + "svg.chart{max-width:100%;height:auto}"
                        + "table{border-collapse:collapse;margin:.5em 0}td,th{padding:.2em .8em;border-bottom:1px solid #ddd;"
                        + "text-align:right}table.numbers td{white-space:nowrap}table.attgt{font-size:.85em}td:first-child,th:first-child{text-align:left}tr.real td{font-weight:bold}"
                        + "@page{size:A4;margin:14mm}"
                        + "@media print{body{max-width:none;margin:0;font-size:10.5pt}figure,table,.estimate,.warning"
                        + "{break-inside:avoid}h2{break-after:avoid}}"
                        + "</style></head><body><h1>").append(escape(title)).append("</h1>");
    }

    private static String subtitle(Context c, String method) {
        return "<p class=\"subtitle\">Treated: " + escape(c.treatedUnits()) + " · outcome: " + escape(c.axisTitle())
                + " · start: " + escape(c.start()) + " · method: " + escape(method) + " · data: "
                + escape(c.barometerFigures() ? "the barometer's published figures (" + c.source() + ")"
                : c.source() + " (a CSV file from outside the barometer)") + "</p>";
    }

    /** Context that fits the data's source. */
    private static String context(Context c) {
        return c.barometerFigures()
                ? "<li>The barometer's indicators are proxies for intercultural contact, not a survey; figures for small "
                + "groups are withheld for privacy before any analysis and never filled in.</li>"
                : "<li>The data come from " + escape(c.source()) + ", outside the barometer: what the outcome measures and "
                + "how well is as its provider describes it; rows without a figure (empty or NA) were left out.</li>";
    }

    private static String verdict(DifferenceInDifferences.Estimate e) {
        return e.lower95() > 0 || e.upper95() < 0
                ? "The 95% interval does not include zero: a change this large is unlikely to be chance alone."
                : "The 95% interval includes zero: the data are also compatible with no effect at all.";
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }

    private static String p(double value) {
        return Double.isNaN(value) ? "p not available" : value < 0.001 ? "p < 0.001" : "p = " + pNumber(value);
    }

    private static String pNumber(double value) {
        return Double.isNaN(value) ? "n/a" : value < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", value);
    }

    static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private HtmlReport() {
    }
}
