package org.cohesionbarometer.evaluate;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code evaluate}: did an activity change an indicator, compared with neighbourhoods without it?
 * Reads the barometer's database (published figures, automatic or chosen controls) or a CSV
 * panel; prints a summary, writes JSON and a self-contained HTML report, and stores the results
 * where the activity-impact dashboard reads them.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Did the indicator change more where an activity started than elsewhere? Difference-in-differences "
                + "with an event study and placebo tests; group-time effects when activities started at different dates; "
                + "an interrupted time series for one neighbourhood without controls.",
                "Data: the barometer's database (--activity or --neighbourhood/--start) or a CSV panel (--csv)."})
public final class EvaluateCommand implements Callable<Integer> {

    // ---- from the database
    @Option(names = "--activity", split = ",", description = "activity id(s): treated = its neighbourhood, start = its start date. "
            + "Several activities starting at different dates: group-time effects")
    List<String> activities = new ArrayList<>();

    @Option(names = "--neighbourhood", split = ",", description = "treated neighbourhood id(s), with --start")
    List<String> neighbourhoods = new ArrayList<>();

    @Option(names = "--start", description = "the date the intervention started (YYYY-MM-DD), with --neighbourhood")
    LocalDate start;

    @Option(names = "--indicator", defaultValue = "cross_group_share",
            description = "published indicator: one of check_ins, headcount, gini_simpson, gini_simpson_unbiased, shannon, "
                    + "evenness, cross_group_share (default ${DEFAULT-VALUE})")
    String indicator;

    @Option(names = "--periods", defaultValue = "weekly", description = "daily or weekly (default ${DEFAULT-VALUE})")
    String periods;

    @Option(names = "--periods-before", defaultValue = "8", description = "periods before the start (default ${DEFAULT-VALUE}, at least 3)")
    int pre;

    @Option(names = "--periods-after", defaultValue = "8", description = "periods from the start on (default ${DEFAULT-VALUE})")
    int postPeriods;

    @Option(names = "--controls", split = ",", description = "control neighbourhood ids; 'none' for an interrupted time "
            + "series; default: proposed automatically (closest pre-period trends)")
    List<String> controls = new ArrayList<>();

    @Option(names = "--control-count", defaultValue = "3", description = "how many controls to propose (default ${DEFAULT-VALUE})")
    int controlCount;

    @Option(names = "--jdbc-url", defaultValue = "${env:BAROMETER_JDBC_URL:-jdbc:postgresql://localhost:15432/barometer}",
            description = "the barometer's database (default: BAROMETER_JDBC_URL or the embedded run's)")
    String jdbcUrl;

    @Option(names = "--db-user", defaultValue = "${env:BAROMETER_JDBC_USER:-postgres}", description = "database user")
    String dbUser;

    @Option(names = "--db-password", defaultValue = "${env:BAROMETER_JDBC_PASSWORD:-postgres}", description = "database password")
    String dbPassword;

    @Option(names = "--no-store", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "store the results for the activity-impact dashboard (default: yes, for database input)")
    boolean store;

    // ---- from a CSV panel
    @Option(names = "--csv", description = "a panel: one row per unit and period")
    Path csv;

    @Option(names = "--unit", defaultValue = "unit", description = "CSV: unit column (default ${DEFAULT-VALUE})")
    String unit;

    @Option(names = "--period", defaultValue = "period", description = "CSV: period column (default ${DEFAULT-VALUE})")
    String period;

    @Option(names = "--outcome", defaultValue = "outcome", description = "CSV: outcome column (default ${DEFAULT-VALUE})")
    String outcome;

    @Option(names = "--treated", defaultValue = "treated=1",
            description = "CSV: which rows belong to treated units, as column=value (default ${DEFAULT-VALUE})")
    String treated;

    @Option(names = "--post", split = ",", description = "CSV: the period values after the start, comma-separated")
    Set<String> post = new LinkedHashSet<>();

    @Option(names = "--first-treated", description = "CSV: column with each unit's first treated period (empty: never); "
            + "gives group-time effects for staggered starts")
    String firstTreated;

    // ---- inference and output
    @Option(names = "--permutations", defaultValue = "999",
            description = "placebo reassignments of the treatment among units, and bootstrap draws (default ${DEFAULT-VALUE}; 0 to skip placebos)")
    int permutations;

    @Option(names = "--html", description = "also write a self-contained HTML report here")
    Path html;

    @Option(names = "--json", description = "also write the results as JSON here")
    Path json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        boolean fromDatabase = !activities.isEmpty() || !neighbourhoods.isEmpty();
        if (fromDatabase == (csv != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give either --csv (a panel file) or --activity / --neighbourhood with --start (the barometer's database)");
        }
        try {
            if (csv != null) {
                return firstTreated != null ? staggeredFromCsv() : fromCsv();
            }
            try (Connection db = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword)) {
                return activities.size() > 1 ? staggeredFromDatabase(db) : fromDatabase(db);
            }
        } catch (PublishedPanel.NotEnoughData refused) {
            System.err.println("Refused: " + refused.getMessage());
            return 3; // 'refused' in the barometer's table of exit codes (schemas' ExitCode.REFUSED)
        }
    }

    private Integer fromCsv() throws Exception {
        if (post.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--post is required with --csv (the period values after the start)");
        }
        String[] treatedRule = treated.split("=", 2);
        if (treatedRule.length != 2) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--treated must be column=value, not '" + treated + "'");
        }
        Panel panel = Panel.fromCsv(csv, new Panel.Columns(unit, period, outcome, treatedRule[0], treatedRule[1], post));
        List<String> inOrder = periodsInOrder(panel);
        String startPeriod = inOrder.stream().filter(post::contains).findFirst().orElseThrow();
        differenceInDifferences(panel, csv.getFileName().toString(), outcome, treatedRule[0] + "!=" + treatedRule[1],
                inOrder, startPeriod, "");
        return 0;
    }

    private Integer fromDatabase(Connection db) throws Exception {
        Intervention intervention = intervention(db);
        boolean its = controls.size() == 1 && controls.get(0).equals("none");
        PublishedPanel.Loaded loaded = PublishedPanel.load(db, new PublishedPanel.Request(indicator, period(),
                intervention.neighbourhoods(), intervention.start(), pre, postPeriods, its ? List.of() : controls,
                its ? 0 : controlCount));
        String label = intervention.label() + ", " + indicator + " (" + periods + ")";
        if (its) {
            return interruptedTimeSeries(db, intervention, loaded, label);
        }
        System.out.println(describeControls(loaded));
        if (loaded.controls().size() < PublishedPanel.MIN_CONTROLS) {
            throw new PublishedPanel.NotEnoughData("only " + loaded.controls().size() + " neighbourhood(s) with every "
                    + indicator + " figure published in the window could serve as controls; at least "
                    + PublishedPanel.MIN_CONTROLS + " are needed (or use --controls none for an interrupted time series, "
                    + "a weaker design)");
        }
        Map<String, Object> results = differenceInDifferences(loaded.panel(), label, indicator,
                String.join(", ", loaded.controls()), loaded.periods(), loaded.startPeriod(), controlsHtml(loaded));
        if (store) {
            EvaluationResults.store(db, EvaluationResults.fromDifferenceInDifferences(intervention, indicator, loaded, results));
            System.out.println("Stored in evaluation_results (the activity-impact dashboard shows them).");
        }
        return 0;
    }

    /** The treated neighbourhood(s) and start: from an activity, or given. */
    record Intervention(String activityId, List<String> neighbourhoods, LocalDate start, String label) {
    }

    private Intervention intervention(Connection db) throws SQLException {
        if (!activities.isEmpty()) {
            String id = activities.get(0);
            try (var st = db.prepareStatement("SELECT neighbourhood_id, starts_at, title FROM activities WHERE id = ?")) {
                st.setString(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        throw new CommandLine.ParameterException(spec.commandLine(), "--activity: no activity '" + id
                                + "' in the database (is the sink's data-quality feed running?)");
                    }
                    return new Intervention(id, List.of(rs.getString(1)),
                            rs.getObject(2, java.time.OffsetDateTime.class).toLocalDate(), rs.getString(3));
                }
            }
        }
        if (start == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--neighbourhood needs --start (YYYY-MM-DD)");
        }
        return new Intervention(null, neighbourhoods, start, String.join(", ", neighbourhoods) + " from " + start);
    }

    private PublishedPanel.Period period() {
        try {
            return PublishedPanel.Period.valueOf(periods.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--periods must be daily or weekly, not '" + periods + "'");
        }
    }

    private static String describeControls(PublishedPanel.Loaded loaded) {
        StringBuilder out = new StringBuilder("Controls (closest pre-period trends first; * = chosen)\n");
        for (PublishedPanel.Candidate c : loaded.candidates()) {
            out.append(String.format(java.util.Locale.ROOT, "  %s %-24s %s%n", c.chosen() ? "*" : " ", c.neighbourhood(),
                    c.excludedBecause() != null ? "not eligible: " + c.excludedBecause()
                            : String.format(java.util.Locale.ROOT, "distance from parallel %.4f", c.preTrendDistance())));
        }
        return out.toString();
    }

    private static String controlsHtml(PublishedPanel.Loaded loaded) {
        StringBuilder html = new StringBuilder("<h2>Controls</h2><p>Neighbourhoods without the activity, ranked by how "
                + "closely their series ran parallel to the treated one before the start (root-mean-square gap after "
                + "removing the average gap). Only neighbourhoods with every figure published could be used.</p>"
                + "<table><tr><th>neighbourhood</th><th>distance from parallel</th><th></th></tr>");
        for (PublishedPanel.Candidate c : loaded.candidates()) {
            html.append("<tr><td>").append(HtmlReport.escape(c.neighbourhood())).append("</td><td>")
                    .append(c.excludedBecause() == null ? String.format(java.util.Locale.ROOT, "%.4f", c.preTrendDistance()) : "")
                    .append("</td><td>").append(c.chosen() ? "chosen" : c.excludedBecause() == null ? ""
                            : HtmlReport.escape("not eligible: " + c.excludedBecause())).append("</td></tr>");
        }
        return html.append("</table>").toString();
    }

    /** The difference-in-differences report, shared by CSV and database input; returns what it found. */
    private Map<String, Object> differenceInDifferences(Panel panel, String source, String outcome, String controlLabel,
                                                        List<String> periods, String start, String dataHtml) throws Exception {
        GroupMeans means = GroupMeans.of(panel);
        DifferenceInDifferences.Result did = DifferenceInDifferences.estimate(panel);
        System.out.printf("""
                Difference-in-differences on %s (%d observations)

                Group means, every observation                before            after
                  %-42s %7.2f (%.2f)    %7.2f (%.2f)
                  treated                                    %7.2f (%.2f)    %7.2f (%.2f)
                  difference-in-differences of means: %.2f

                Balanced panel (%d treated, %d control units seen before and after)
                  control change  %6.2f (%.2f)
                  treated change  %6.2f (%s)
                  DiD             %6.2f (%.2f, %s)   95%% CI [%.2f, %.2f]   p = %.3f

                Pooled regression y = b0 + b1 treated + b2 post + d treated x post
                  d = %.2f   SE %.2f (%s)   95%% CI [%.2f, %.2f]   p = %.3f
                  (HC1 SE, ignoring that a unit's periods are related: %.2f)

                Standard errors in parentheses. The estimate rests on parallel trends: without the
                activity, treated and control units would have changed alike.
                """, source, did.observations(),
                abbreviate("control (" + controlLabel + ")", 42),
                means.controlBefore().mean(), means.controlBefore().standardError(),
                means.controlAfter().mean(), means.controlAfter().standardError(),
                means.treatedBefore().mean(), means.treatedBefore().standardError(),
                means.treatedAfter().mean(), means.treatedAfter().standardError(),
                means.differenceInDifferences(),
                did.treatedUnits(), did.controlUnits(),
                did.control().change(), did.control().standardError(),
                did.treated().change(), Double.isNaN(did.treated().standardError()) ? "one unit"
                        : String.format(java.util.Locale.ROOT, "%.2f", did.treated().standardError()),
                did.balanced().effect(), did.balanced().standardError(), did.balanced().standardErrorKind(),
                did.balanced().lower95(), did.balanced().upper95(), did.balanced().pValue(),
                did.pooled().effect(), did.pooled().standardError(), did.pooled().standardErrorKind(),
                did.pooled().lower95(), did.pooled().upper95(), did.pooled().pValue(),
                did.pooledHc1().standardError());
        EventStudy.Result study = null;
        if (periods.indexOf(start) >= 2) {
            study = EventStudy.estimate(panel, periods, start);
            System.out.println("Event study (effect per period relative to the start; reference: the period before)");
            for (EventStudy.Coefficient c : study.coefficients()) {
                System.out.printf("  %+3d  %7.2f  (%.2f)   95%% CI [%.2f, %.2f]%n", c.relativePeriod(), c.effect(),
                        c.standardError(), c.lower95(), c.upper95());
            }
            System.out.printf("  pre-trend test: F(%d, G-1) = %.2f, p = %.3f%s%n%n", study.preTrendDf(), study.preTrendF(),
                    study.preTrendP(), study.parallelTrendsDoubtful()
                            ? "  WARNING: treated and control units were not moving in parallel before the start;"
                            + " the difference-in-differences estimate is not trustworthy as it stands" : "");
        } else {
            System.out.printf("Event study: skipped, it needs at least two periods before the start (this panel has %d).%n%n",
                    periods.indexOf(start));
        }
        Placebo.Result placebo = null;
        if (permutations > 0) {
            placebo = Placebo.permuteUnits(panel, permutations, 20260314L);
            System.out.printf("Placebo: the treatment reassigned at random among units %d times; the real estimate %.2f is"
                            + " as extreme as %.1f%% of them (permutation p = %.3f).%n", permutations, placebo.estimate(),
                    100 * placebo.pValue(), placebo.pValue());
            double assignments = org.apache.commons.math3.util.CombinatoricsUtils.binomialCoefficientDouble(
                    did.treatedUnits() + did.controlUnits(), did.treatedUnits());
            if (1 / assignments > 0.05) {
                System.out.printf("  Note: with %d units of which %d treated there are only %.0f distinct assignments, so no"
                        + " permutation p-value can be below %.3f; more control neighbourhoods would sharpen this test.%n",
                        did.treatedUnits() + did.controlUnits(), did.treatedUnits(), assignments, 1 / assignments);
            }
        }
        Placebo.InTime inTime = Placebo.shiftStart(panel, periods, start);
        if (inTime.estimates().length > 0) {
            System.out.printf("Placebo in time: pretending the start was at each of %d earlier periods gives estimates from"
                            + " %.2f to %.2f; %.0f%% are at least as large as the real one.%n", inTime.estimates().length,
                    java.util.Arrays.stream(inTime.estimates()).min().orElse(Double.NaN),
                    java.util.Arrays.stream(inTime.estimates()).max().orElse(Double.NaN), 100 * inTime.share());
        }
        java.util.Map<String, Object> results = new java.util.LinkedHashMap<>();
        results.put("panel", source);
        results.put("outcome", outcome);
        results.put("start", start);
        results.put("groupMeans", means);
        results.put("differenceInDifferences", did);
        results.put("eventStudy", study);
        results.put("placebo", placebo == null ? null : java.util.Map.of("estimate", placebo.estimate(),
                "permutations", placebo.placebos().length, "pValue", placebo.pValue()));
        results.put("placeboInTime", inTime);
        results.put("warnings", study != null && study.parallelTrendsDoubtful()
                ? List.of("treated and control units were not moving in parallel before the start") : List.of());
        if (json != null) {
            new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), results);
            System.out.println("JSON results: " + json.toAbsolutePath());
        }
        if (html != null) {
            java.nio.file.Files.writeString(html, HtmlReport.render("Did the outcome change? " + source,
                    outcome, start, series(panel, periods), did, study, placebo, dataHtml));
            System.out.println("HTML report: " + html.toAbsolutePath());
        }
        return results;
    }

    /** One neighbourhood (or the mean of several) without controls: level and slope change at the start. */
    private Integer interruptedTimeSeries(Connection db, Intervention intervention, PublishedPanel.Loaded loaded, String label)
            throws Exception {
        double[] y = new double[loaded.periods().size()];
        for (double[] series : loaded.seriesByNeighbourhood().values()) {
            for (int t = 0; t < y.length; t++) {
                y[t] += series[t] / loaded.seriesByNeighbourhood().size();
            }
        }
        InterruptedTimeSeries.Result its = InterruptedTimeSeries.estimate(y, loaded.periods().indexOf(loaded.startPeriod()));
        System.out.printf(java.util.Locale.ROOT, """
                Interrupted time series: %s (%d periods before, %d after)
                  trend before the start  %.4f per period
                  level change            %.4f (%.4f)   95%% CI [%.4f, %.4f]   p = %.3f
                  slope change            %.4f (%.4f)   95%% CI [%.4f, %.4f]   p = %.3f
                  (%s)
                WARNING: %s
                """, label, its.prePeriods(), its.postPeriods(), its.preSlope(),
                its.levelChange().effect(), its.levelChange().standardError(), its.levelChange().lower95(),
                its.levelChange().upper95(), its.levelChange().pValue(),
                its.slopeChange().effect(), its.slopeChange().standardError(), its.slopeChange().lower95(),
                its.slopeChange().upper95(), its.slopeChange().pValue(), its.levelChange().standardErrorKind(), its.warning());
        if (json != null) {
            new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValue(json.toFile(), Map.of("source", label, "interruptedTimeSeries", its));
        }
        if (html != null) {
            System.err.println("No HTML report for an interrupted time series yet: the report's charts are those of a "
                    + "comparison with controls. The results above, and --json, have everything.");
        }
        if (store) {
            EvaluationResults.store(db, List.of(EvaluationResults.fromInterruptedTimeSeries(intervention, indicator, loaded, its)));
            System.out.println("Stored in evaluation_results (the activity-impact dashboard shows them).");
        }
        return 0;
    }

    /** Several activities starting at different dates: group-time effects against not-yet-treated neighbourhoods. */
    private Integer staggeredFromDatabase(Connection db) throws Exception {
        StaggeredSource source = StaggeredSource.fromDatabase(db, activities, indicator, period(), pre, postPeriods);
        return staggered(source.input(), "activities " + String.join(", ", activities) + ", " + indicator, db, source);
    }

    private Integer staggeredFromCsv() throws Exception {
        StaggeredSource source = StaggeredSource.fromCsv(csv, unit, period, outcome, firstTreated);
        return staggered(source.input(), csv.getFileName().toString(), null, source);
    }

    private Integer staggered(StaggeredAdoption.Input input, String label, Connection db, StaggeredSource source) throws Exception {
        StaggeredAdoption.Result result = StaggeredAdoption.estimate(input, Math.max(199, permutations), 20210601L);
        DifferenceInDifferences.Estimate overall = result.overall();
        System.out.printf(java.util.Locale.ROOT, """
                Group-time effects (staggered starts, compared with not-yet-treated units): %s
                  overall effect  %.4f (%.4f)   95%% CI [%.4f, %.4f]   p = %.3f   (%d bootstrap draws over units)
                  a single two-way fixed-effects regression would say %.4f (biased when effects vary over time)
                Effect by periods since the start
                """, label, overall.effect(), overall.standardError(), overall.lower95(), overall.upper95(),
                overall.pValue(), result.bootstrapDraws(), result.twoWayFixedEffects());
        for (StaggeredAdoption.EventTimeEffect e : result.eventTime()) {
            System.out.printf(java.util.Locale.ROOT, "  %+3d  %8.4f  (%.4f)   95%% CI [%.4f, %.4f]%n", e.relativePeriod(),
                    e.estimate().effect(), e.estimate().standardError(), e.estimate().lower95(), e.estimate().upper95());
        }
        System.out.printf(java.util.Locale.ROOT, "  pre-trend test: largest |t| %.2f among %d pre-period effects, p = %.3f%s%n",
                result.preTrendMaxT(), result.preTrendEffects(), result.preTrendP(), result.parallelTrendsDoubtful()
                        ? "  WARNING: cohorts were not moving in parallel with the not-yet-treated before their start" : "");
        result.notes().forEach(note -> System.out.println("  note: " + note));
        if (json != null) {
            new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValue(json.toFile(), Map.of("source", label, "groupTimeEffects", result));
        }
        if (html != null) {
            System.err.println("No HTML report for group-time effects yet: the report's charts are those of a single "
                    + "start date. The results above, and --json, have everything.");
        }
        if (db != null && store) {
            EvaluationResults.store(db, List.of(EvaluationResults.fromStaggered(source, indicator, pre, postPeriods, result)));
            System.out.println("Stored in evaluation_results (the activity-impact dashboard shows them).");
        }
        return 0;
    }

    private static String abbreviate(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 4) + "...)";
    }

    /** Mean outcome per period of treated and of control units. */
    static HtmlReport.Series series(Panel panel, List<String> periods) {
        double[] treated = new double[periods.size()];
        double[] control = new double[periods.size()];
        for (int t = 0; t < periods.size(); t++) {
            String period = periods.get(t);
            treated[t] = panel.observations().stream().filter(o -> o.treated() && o.period().equals(period))
                    .mapToDouble(Panel.Observation::outcome).average().orElse(Double.NaN);
            control[t] = panel.observations().stream().filter(o -> !o.treated() && o.period().equals(period))
                    .mapToDouble(Panel.Observation::outcome).average().orElse(Double.NaN);
        }
        return new HtmlReport.Series(periods, treated, control);
    }

    /** The panel's periods in time order ({@link Panel#inTimeOrder}). */
    static List<String> periodsInOrder(Panel panel) {
        return Panel.inTimeOrder(panel.observations().stream().map(Panel.Observation::period).toList());
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new EvaluateCommand()).execute(args));
    }
}
