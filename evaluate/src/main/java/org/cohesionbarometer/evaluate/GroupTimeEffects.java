package org.cohesionbarometer.evaluate;

import java.util.List;
import java.util.Locale;

/**
 * Group-time effects with period labels instead of indices, as the console, the JSON and the
 * report show them: the ATT(g,t) table and the four aggregations of R's {@code did::aggte}
 * (simple, group, calendar, dynamic), each with pointwise intervals and uniform 95% bands.
 */
public record GroupTimeEffects(String comparisonGroup, DifferenceInDifferences.Estimate simple, List<Cell> attGt,
                               double attGtCriticalValue, Aggregation group, Aggregation calendar, Aggregation dynamic,
                               PreTrend preTrend, double twoWayFixedEffects, int bootstrapDraws, List<String> notes,
                               List<String> periods) {

    /** ATT(g,t): cohort = the period its units started, period = the period of the effect. */
    public record Cell(String cohort, String period, int periodsSinceStart, double effect, double standardError,
                       double lower95, double upper95, double lowerBand, double upperBand, int treatedUnits,
                       int comparisonUnits) {
    }

    /** One element: a cohort (group), a period (calendar) or periods since the start (dynamic). */
    public record Element(String label, double effect, double standardError, double lower95, double upper95,
                          double lowerBand, double upperBand) {
    }

    public record Aggregation(String kind, String describes, List<Element> elements, DifferenceInDifferences.Estimate overall,
                              double criticalValue) {
    }

    /** The largest |t| among pre-period event-time effects against its bootstrap distribution (uniform band). */
    public record PreTrend(double maxAbsT, int effects, double pValue, boolean parallelTrendsDoubtful) {
    }

    static GroupTimeEffects of(StaggeredAdoption.Result r, List<String> periods) {
        List<Cell> cells = r.cells().stream().map(c -> new Cell(periods.get(c.cohort()), periods.get(c.period()),
                c.period() - c.cohort(), c.effect(), c.standardError(), c.lower95(), c.upper95(), c.lowerBand(), c.upperBand(),
                c.treatedUnits(), c.comparisonUnits())).toList();
        return new GroupTimeEffects(r.comparison().label, r.overall(), cells, r.cellCriticalValue(),
                aggregation(r.group(), "each cohort's average effect over its periods since the start (cohort = first treated period)",
                        k -> periods.get(k)),
                aggregation(r.calendar(), "each period's average effect over the cohorts started by then", k -> periods.get(k)),
                aggregation(r.dynamic(), "the average effect a given number of periods after the start (0 = the first period)",
                        k -> String.format(Locale.ROOT, "%+d", k)),
                new PreTrend(r.preTrendMaxT(), r.preTrendEffects(), r.preTrendP(), r.parallelTrendsDoubtful()),
                r.twoWayFixedEffects(), r.bootstrapDraws(), r.notes(), periods);
    }

    private static Aggregation aggregation(StaggeredAdoption.Aggregation a, String describes,
                                           java.util.function.IntFunction<String> label) {
        return new Aggregation(a.kind(), describes, a.elements().stream().map(e -> new Element(label.apply(e.key()),
                e.estimate().effect(), e.estimate().standardError(), e.estimate().lower95(), e.estimate().upper95(),
                e.lowerBand(), e.upperBand())).toList(), a.overall(), a.criticalValue());
    }

    /** The tables as the console prints them. */
    String consoleTables() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "ATT(g,t): cohort (first treated period) x period; uniform 95%% band (critical "
                + "value %.2f)%n  %-12s %-12s %5s %10s %9s   %-24s %s%n", attGtCriticalValue, "cohort", "period", "e",
                "effect", "(SE)", "uniform band", "units (treated/compared)"));
        for (Cell c : attGt) {
            out.append(String.format(Locale.ROOT, "  %-12s %-12s %+5d %10.4f %9s   [%9.4f, %9.4f]  %d/%d%n", c.cohort(),
                    c.period(), c.periodsSinceStart(), c.effect(), "(" + fmt(c.standardError()) + ")", c.lowerBand(),
                    c.upperBand(), c.treatedUnits(), c.comparisonUnits()));
        }
        for (Aggregation a : List.of(group, calendar, dynamic)) {
            out.append(String.format(Locale.ROOT, "Aggregation '%s': %s; overall %.4f (%.4f); uniform band critical value %.2f%n",
                    a.kind(), a.describes(), a.overall().effect(), a.overall().standardError(), a.criticalValue()));
            for (Element e : a.elements()) {
                out.append(String.format(Locale.ROOT, "  %-12s %10.4f %9s   band [%9.4f, %9.4f]%n", e.label(), e.effect(),
                        "(" + fmt(e.standardError()) + ")", e.lowerBand(), e.upperBand()));
            }
        }
        return out.toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
