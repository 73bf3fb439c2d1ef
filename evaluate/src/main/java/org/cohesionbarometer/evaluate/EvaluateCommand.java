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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.commons.math3.exception.MathIllegalArgumentException;
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

    @Option(names = "--start", paramLabel = "PERIOD", description = "the start: with --neighbourhood, the date (YYYY-MM-DD); "
            + "with --csv, the first period with the activity (every period from it on counts as after)")
    String start;

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

    @Option(names = "--outcome-unit", paramLabel = "TEXT", description = "what the outcome counts, for the report's axes "
            + "(e.g. 'employees per store'; default for database indicators: theirs)")
    String outcomeUnit;

    @Option(names = "--treated", defaultValue = "treated=1",
            description = "CSV: which rows belong to treated units, as column=value, the value in any case (default "
                    + "${DEFAULT-VALUE}); a 0/1 column that switches on within units is read as each unit's first treated period")
    String treated;

    @Option(names = "--post", split = ",", description = "CSV: the period values after the start, comma-separated; they "
            + "must be the last periods of the panel (prefer --start)")
    Set<String> post = new LinkedHashSet<>();

    @Option(names = "--first-treated", paramLabel = "COLUMN", description = "CSV: column with each unit's first treated "
            + "period; 0, empty or NA mean never treated; gives group-time effects for staggered starts")
    String firstTreated;

    @Option(names = "--comparison", paramLabel = "GROUP", defaultValue = "not-yet-treated", description = "staggered starts: compare each cohort "
            + "with not-yet-treated units (later cohorts and never-treated) or never-treated units only (default ${DEFAULT-VALUE})")
    String comparison;

    @Option(names = "--separator", paramLabel = "CHAR", description = "CSV: the separator (, ; tab |); default: detected from the header line")
    String separator;

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
                return fromCsv();
            }
            try (Connection db = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword)) {
                return activities.size() > 1 ? staggeredFromDatabase(db) : fromDatabase(db);
            }
        } catch (CsvPanel.Problem usage) {
            traceIfVerbose(usage);
            return usage(usage.getMessage());
        } catch (PublishedPanel.NotEnoughData | IllegalArgumentException refused) {
            traceIfVerbose(refused);
            // the estimators' own refusals: too few units or periods on a side, a design they cannot separate
            return refused(refused instanceof MathIllegalArgumentException
                    ? "the regression cannot tell the effect apart from the units and periods (" + refused.getMessage()
                    + "); check that each unit's treatment is fixed or switches on once, and that both groups have "
                    + "periods before and after the start"
                    : refused.getMessage());
        }
    }

    /** The barometer program's {@code --verbose} (inherited by its subcommands) adds the stack trace. */
    private void traceIfVerbose(Exception problem) {
        CommandLine.Model.OptionSpec verbose = spec.findOption("--verbose");
        if (verbose == null && spec.root() != null) {
            verbose = spec.root().findOption("--verbose");
        }
        if (verbose != null && Boolean.TRUE.equals(verbose.getValue())) {
            problem.printStackTrace(spec.commandLine().getErr());
        }
    }

    /** A usage error: one sentence naming the option to fix; exit code 2 (the program's table). */
    private int usage(String message) {
        spec.commandLine().getErr().println(spec.qualifiedName() + ": " + sentence(message));
        spec.commandLine().getErr().println("Try '" + spec.qualifiedName() + " --help'.");
        spec.commandLine().getErr().flush();
        return 2;
    }

    /** A refusal: the request was understood, the data cannot answer it; exit code 3 (the program's table). */
    private int refused(String message) {
        spec.commandLine().getErr().println(spec.qualifiedName() + ": refused: " + sentence(message));
        spec.commandLine().getErr().flush();
        return 3; // 'refused' in the barometer's table of exit codes (schemas' ExitCode.REFUSED)
    }

    private static String sentence(String message) {
        String m = message == null ? "" : message.strip();
        return m.endsWith(".") ? m : m + ".";
    }

    /**
     * A CSV panel: one start for all treated units (difference-in-differences, event study and
     * placebos; or an interrupted time series with {@code --controls none}), or staggered starts
     * (group-time effects) from {@code --first-treated} or a treatment column that switches on at
     * different periods.
     */
    private Integer fromCsv() throws Exception {
        CsvPanel table = CsvPanel.read(csv, separator);
        String unitColumn = table.column("--unit", unit);
        String periodColumn = table.column("--period", period);
        String outcomeColumn = table.column("--outcome", outcome);
        List<String> periods = Panel.inTimeOrder(table.values(periodColumn));
        if (firstTreated != null) {
            String column = table.column("--first-treated", firstTreated);
            return staggeredFromCsv(table, unitColumn, periodColumn, outcomeColumn, firstTreatedPeriods(table, unitColumn,
                    column, periods), "units by their first treated period in column '" + column + "'");
        }
        String[] rule = treated.split("=", 2);
        if (rule.length != 2 || rule[0].isBlank()) {
            throw new CsvPanel.Problem("--treated must be column=value (e.g. state=NJ), not '" + treated + "'");
        }
        String treatedColumn = table.column("--treated", rule[0].trim());
        String treatedValue = CsvPanel.match("--treated", "column '" + treatedColumn + "'", rule[1].trim(),
                table.values(treatedColumn));
        Map<String, java.util.TreeMap<Integer, Boolean>> treatment = new java.util.LinkedHashMap<>();
        for (var row : table.rows()) {
            treatment.computeIfAbsent(row.get(unitColumn), u -> new java.util.TreeMap<>())
                    .put(periods.indexOf(row.get(periodColumn)), row.get(treatedColumn).equals(treatedValue));
        }
        String treatedLabel = treatedColumn + " = " + treatedValue;
        Optional<CsvPanel.Switching> switching = CsvPanel.switching(treatment, periods, "--treated " + treated);
        Set<String> treatedUnits = new java.util.LinkedHashSet<>();
        String startPeriod;
        List<String> notes = new ArrayList<>();
        if (switching.isPresent()) {
            CsvPanel.Switching sw = switching.get();
            if (!sw.alwaysTreated().isEmpty()) {
                notes.add("left out, treated in every period they report (no period before to compare): "
                        + String.join(", ", sw.alwaysTreated()));
            }
            Set<String> starts = new java.util.TreeSet<>(java.util.Comparator.comparingInt(periods::indexOf));
            starts.addAll(sw.firstTreated().values());
            if (starts.size() > 1) {
                System.out.println("Column '" + treatedColumn + "' switches on at different periods (" + String.join(", ", starts)
                        + "): each unit is read as treated from its first period with " + treatedLabel
                        + ", and the starts are compared as group-time effects.");
                Map<String, String> first = new java.util.LinkedHashMap<>(sw.firstTreated());
                // treated in every period: no period before to compare; the estimator leaves them out and says so
                sw.alwaysTreated().forEach(u -> first.put(u, periods.get(0)));
                return staggeredFromCsv(table, unitColumn, periodColumn, outcomeColumn, first,
                        "units by the first period with " + treatedLabel);
            }
            startPeriod = starts.iterator().next();
            if (start != null || !post.isEmpty()) {
                String given = startFrom(periods);
                if (!given.equals(startPeriod)) {
                    throw new CsvPanel.Problem("--start: column '" + treatedColumn + "' switches on in " + startPeriod
                            + ", not in " + given + "; give --start " + startPeriod + " or correct the column");
                }
            }
            System.out.println("Column '" + treatedColumn + "' switches on in " + startPeriod + ": the units where it does are "
                    + "the treated ones, from " + startPeriod + " on.");
            treatedUnits.addAll(sw.firstTreated().keySet());
        } else {
            startPeriod = startFrom(periods);
            treatment.forEach((u, series) -> {
                if (series.containsValue(true)) {
                    treatedUnits.add(u);
                }
            });
        }
        Set<String> leftOut = switching.map(sw -> Set.copyOf(sw.alwaysTreated())).orElse(Set.of());
        int startIndex = periods.indexOf(startPeriod);
        List<Panel.Observation> observations = new ArrayList<>();
        for (var row : table.rows()) {
            if (CsvPanel.missing(row.get(outcomeColumn)) || leftOut.contains(row.get(unitColumn))) {
                continue;
            }
            observations.add(new Panel.Observation(row.get(unitColumn), row.get(periodColumn),
                    treatedUnits.contains(row.get(unitColumn)), periods.indexOf(row.get(periodColumn)) >= startIndex,
                    table.number(row, outcomeColumn)));
        }
        Panel panel = new Panel(observations);
        String who = describeUnits(treatedUnits, treatedLabel);
        HtmlReport.Context context = new HtmlReport.Context(title(outcomeColumn, who, startPeriod), who, outcomeColumn,
                outcomeUnit, startPeriod, false, csv.getFileName().toString(), notesHtml(notes));
        notes.forEach(n -> System.out.println("  note: " + n));
        if (controls.size() == 1 && controls.get(0).equalsIgnoreCase("none")) {
            return interruptedTimeSeriesFromCsv(panel, periods, startPeriod, context);
        }
        differenceInDifferences(panel, context, "units without " + treatedLabel, periods, startPeriod);
        return 0;
    }

    /** The start from --start (preferred) or --post, which must then be the panel's last periods. */
    private String startFrom(List<String> periods) {
        String fromStart = null;
        if (start != null) {
            fromStart = CsvPanel.match("--start", "the period column", start, periods);
        }
        String fromPost = null;
        if (!post.isEmpty()) {
            List<Integer> indices = new ArrayList<>();
            for (String p : post) {
                indices.add(periods.indexOf(CsvPanel.match("--post", "the period column", p, periods)));
            }
            java.util.Collections.sort(indices);
            int first = indices.get(0);
            List<String> shouldBe = periods.subList(first, periods.size());
            if (indices.size() != shouldBe.size() || indices.get(indices.size() - 1) != periods.size() - 1) {
                List<String> missed = shouldBe.stream().filter(p -> indices.stream().noneMatch(i -> periods.get(i).equals(p)))
                        .toList();
                throw new CsvPanel.Problem("--post names " + String.join(", ", post) + " but the panel runs on to "
                        + periods.get(periods.size() - 1) + ", so " + abbreviateList(missed) + " would count as before the "
                        + "start; give --start " + periods.get(first) + " (every period from it on is after)");
            }
            fromPost = periods.get(first);
        }
        if (fromStart != null && fromPost != null && !fromStart.equals(fromPost)) {
            throw new CsvPanel.Problem("--start " + fromStart + " and --post (from " + fromPost + ") disagree; give only --start");
        }
        String result = fromStart != null ? fromStart : fromPost;
        if (result == null) {
            throw new CsvPanel.Problem("--start: give the first period with the activity (every period from it on counts as "
                    + "after); the periods are " + CsvPanel.valuesText(periods));
        }
        if (periods.indexOf(result) == 0) {
            throw new CsvPanel.Problem("--start " + result + " is the panel's first period, so nothing comes before it; "
                    + "give a later period");
        }
        return result;
    }

    private static String abbreviateList(List<String> values) {
        return values.size() <= 4 ? String.join(", ", values)
                : values.get(0) + ", " + values.get(1) + ", ..., " + values.get(values.size() - 1);
    }

    /** Each unit's first treated period from the --first-treated column: 0, empty or NA = never treated. */
    private Map<String, String> firstTreatedPeriods(CsvPanel table, String unitColumn, String column, List<String> periods) {
        Map<String, String> first = new java.util.LinkedHashMap<>();
        Map<String, String> raw = new java.util.LinkedHashMap<>();
        boolean numeric = periods.stream().allMatch(p -> p.matches("-?\\d+(\\.\\d+)?"));
        for (var row : table.rows()) {
            String u = row.get(unitColumn);
            String value = row.get(column).trim();
            String before = raw.putIfAbsent(u, value);
            if (before != null && !before.equals(value)) {
                throw new CsvPanel.Problem("--first-treated: unit " + u + " has two first treated periods in column '" + column
                        + "' (" + before + " and " + value + "); give each unit one, the same on every row");
            }
        }
        List<String> afterWindow = new ArrayList<>();
        raw.forEach((u, value) -> {
            if (CsvPanel.missing(value) || value.equals("0")) {
                return;
            }
            if (numeric && value.matches("-?\\d+(\\.\\d+)?")
                    && Double.parseDouble(value) > Double.parseDouble(periods.get(periods.size() - 1))) {
                afterWindow.add(u);
                return;
            }
            try {
                first.put(u, CsvPanel.match("--first-treated", "the period column", value, periods));
            } catch (CsvPanel.Problem notAPeriod) {
                throw new CsvPanel.Problem("--first-treated: unit " + u + "'s first treated period '" + value + "' (column '"
                        + column + "') is not a period of the panel; use 0, empty or NA for never treated; the periods are "
                        + CsvPanel.valuesText(periods));
            }
        });
        if (!afterWindow.isEmpty()) {
            System.out.println("  note: treated only after the panel's last period, so compared as never treated: "
                    + abbreviateList(afterWindow));
        }
        return first;
    }

    private static String describeUnits(Set<String> units, String rule) {
        if (units.size() <= 3) {
            return String.join(", ", units) + " (" + rule + ")";
        }
        return "the " + units.size() + " units with " + rule;
    }

    private static String title(String outcome, String who, String start) {
        // a period named in words ("after", as in Card & Krueger's panel) reads as a name, not a date
        return "Did " + outcome + " change in " + who + " from " + (start.matches(".*\\d.*") ? start : "the period '" + start + "'")
                + " on?";
    }

    private static String notesHtml(List<String> notes) {
        StringBuilder html = new StringBuilder();
        notes.forEach(n -> html.append("<p class=\"note\">Note: ").append(HtmlReport.escape(n)).append(".</p>"));
        return html.toString();
    }

    private Integer fromDatabase(Connection db) throws Exception {
        Intervention intervention = intervention(db);
        boolean its = controls.size() == 1 && controls.get(0).equals("none");
        PublishedPanel.Loaded loaded = PublishedPanel.load(db, new PublishedPanel.Request(indicator, period(),
                intervention.neighbourhoods(), intervention.start(), pre, postPeriods, its ? List.of() : controls,
                its ? 0 : controlCount));
        String label = intervention.label() + ", " + indicator + " (" + periods + ")";
        String who = String.join(", ", intervention.neighbourhoods());
        HtmlReport.Context context = new HtmlReport.Context(
                (intervention.activityId() != null ? intervention.label() + ": did " + indicator + " change in " + who
                        : "Did " + indicator + " change in " + who) + " from " + loaded.startPeriod() + " on?",
                who, indicator, outcomeUnit != null ? outcomeUnit : PublishedPanel.unitOf(indicator), loaded.startPeriod(),
                true, label, "");
        if (its) {
            return interruptedTimeSeries(db, intervention, loaded, label, context);
        }
        System.out.println(describeControls(loaded));
        if (loaded.controls().size() < PublishedPanel.MIN_CONTROLS) {
            throw new PublishedPanel.NotEnoughData("only " + loaded.controls().size() + " neighbourhood(s) with every "
                    + indicator + " figure published in the window could serve as controls; at least "
                    + PublishedPanel.MIN_CONTROLS + " are needed (or use --controls none for an interrupted time series, "
                    + "a weaker design)");
        }
        Map<String, Object> results = differenceInDifferences(loaded.panel(), context.withDataHtml(controlsHtml(loaded)),
                String.join(", ", loaded.controls()), loaded.periods(), loaded.startPeriod());
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
        LocalDate date;
        try {
            date = LocalDate.parse(start.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--start: '" + start + "' is not a date; give it as "
                    + "YYYY-MM-DD (e.g. 2026-02-16)");
        }
        return new Intervention(null, neighbourhoods, date, String.join(", ", neighbourhoods) + " from " + date);
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
    private Map<String, Object> differenceInDifferences(Panel panel, HtmlReport.Context context, String controlLabel,
                                                        List<String> periods, String start) throws Exception {
        String source = context.source();
        String outcome = context.outcome();
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
            System.out.printf("  pre-trend test: F(%d, %d) = %.2f, p = %.3f%s%n%n", study.preTrendDf(),
                    study.preTrendDenominatorDf(), study.preTrendF(),
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
        results.put("treated", context.treatedUnits());
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
            java.nio.file.Files.writeString(html, HtmlReport.differenceInDifferences(context, series(panel, periods), did,
                    study, placebo, inTime));
            System.out.println("HTML report: " + html.toAbsolutePath());
        }
        return results;
    }

    /** One neighbourhood (or the mean of several) without controls: level and slope change at the start. */
    private Integer interruptedTimeSeries(Connection db, Intervention intervention, PublishedPanel.Loaded loaded, String label,
                                          HtmlReport.Context context) throws Exception {
        double[] y = new double[loaded.periods().size()];
        for (double[] series : loaded.seriesByNeighbourhood().values()) {
            for (int t = 0; t < y.length; t++) {
                y[t] += series[t] / loaded.seriesByNeighbourhood().size();
            }
        }
        InterruptedTimeSeries.Result its = interruptedTimeSeries(y, loaded.periods(), loaded.startPeriod(), context);
        if (store) {
            EvaluationResults.store(db, List.of(EvaluationResults.fromInterruptedTimeSeries(intervention, indicator, loaded, its)));
            System.out.println("Stored in evaluation_results (the activity-impact dashboard shows them).");
        }
        return 0;
    }

    /** --csv with --controls none: the treated units' mean series, level and slope change at the start. */
    private Integer interruptedTimeSeriesFromCsv(Panel panel, List<String> periods, String startPeriod, HtmlReport.Context context)
            throws Exception {
        double[] y = series(panel, periods).treated();
        for (int t = 0; t < y.length; t++) {
            if (Double.isNaN(y[t])) {
                throw new PublishedPanel.NotEnoughData("an interrupted time series needs a figure for every period, and the "
                        + "treated units have none in " + periods.get(t));
            }
        }
        interruptedTimeSeries(y, periods, startPeriod, context);
        return 0;
    }

    private InterruptedTimeSeries.Result interruptedTimeSeries(double[] y, List<String> periods, String startPeriod,
                                                               HtmlReport.Context context) throws Exception {
        InterruptedTimeSeries.Result its;
        try {
            its = InterruptedTimeSeries.estimate(y, periods.indexOf(startPeriod));
        } catch (IllegalArgumentException tooShort) {
            throw new PublishedPanel.NotEnoughData(tooShort.getMessage());
        }
        System.out.printf(java.util.Locale.ROOT, """
                Interrupted time series: %s (%d periods before, %d after)
                  trend before the start  %.4f per period
                  level change            %.4f (%.4f)   95%% CI [%.4f, %.4f]   p = %.3f
                  slope change            %.4f (%.4f)   95%% CI [%.4f, %.4f]   p = %.3f
                  (%s)
                WARNING: %s
                """, context.source(), its.prePeriods(), its.postPeriods(), its.preSlope(),
                its.levelChange().effect(), its.levelChange().standardError(), its.levelChange().lower95(),
                its.levelChange().upper95(), its.levelChange().pValue(),
                its.slopeChange().effect(), its.slopeChange().standardError(), its.slopeChange().lower95(),
                its.slopeChange().upper95(), its.slopeChange().pValue(), its.levelChange().standardErrorKind(), its.warning());
        InterruptedTimeSeries.PlaceboInTime placebo = InterruptedTimeSeries.placeboInTime(y, periods.indexOf(startPeriod));
        if (placebo.estimates().length > 0) {
            System.out.printf(java.util.Locale.ROOT, "Placebo in time: pretending the start was at each of %d earlier periods"
                    + " gives level changes from %.4f to %.4f; %.0f%% are at least as large as the real one.%n",
                    placebo.estimates().length, java.util.Arrays.stream(placebo.estimates()).min().orElse(Double.NaN),
                    java.util.Arrays.stream(placebo.estimates()).max().orElse(Double.NaN), 100 * placebo.share());
        }
        if (json != null) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            out.put("source", context.source());
            out.put("treated", context.treatedUnits());
            out.put("outcome", context.outcome());
            out.put("start", startPeriod);
            out.put("interruptedTimeSeries", its);
            out.put("placeboInTime", Map.of("fakeStarts", placebo.fakeStarts().stream().map(periods::get).toList(),
                    "levelChanges", placebo.estimates(), "share", placebo.share()));
            new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), out);
            System.out.println("JSON results: " + json.toAbsolutePath());
        }
        if (html != null) {
            java.nio.file.Files.writeString(html, HtmlReport.interruptedTimeSeries(context, periods, y, its, placebo));
            System.out.println("HTML report: " + html.toAbsolutePath());
        }
        return its;
    }

    /** Several activities starting at different dates: group-time effects against not-yet-treated neighbourhoods. */
    private Integer staggeredFromDatabase(Connection db) throws Exception {
        StaggeredSource source = StaggeredSource.fromDatabase(db, activities, indicator, period(), pre, postPeriods);
        String who = String.join(", ", source.treatedUnits());
        HtmlReport.Context context = new HtmlReport.Context("Did " + indicator + " change where activities " + String.join(", ",
                activities) + " started?", who, indicator, outcomeUnit != null ? outcomeUnit : PublishedPanel.unitOf(indicator),
                String.valueOf(source.firstStart()), true, "activities " + String.join(", ", activities) + ", " + indicator, "");
        return staggered(source.input(), context, db, source);
    }

    private Integer staggeredFromCsv(CsvPanel table, String unitColumn, String periodColumn, String outcomeColumn,
                                     Map<String, String> first, String rule) throws Exception {
        StaggeredSource source = StaggeredSource.fromCsv(table, unitColumn, periodColumn, outcomeColumn, first);
        List<String> periods = source.input().periodLabels();
        List<String> starts = first.values().stream().filter(p -> periods.indexOf(p) > 0).distinct()
                .sorted(java.util.Comparator.comparingInt(periods::indexOf)).toList();
        long starting = first.values().stream().filter(p -> periods.indexOf(p) > 0).count();
        String who = starting + " units starting at " + abbreviateList(starts);
        HtmlReport.Context context = new HtmlReport.Context("Did " + outcomeColumn + " change where activities started? "
                + who, who + " (" + rule + ")", outcomeColumn, outcomeUnit, starts.isEmpty() ? "" : starts.get(0), false,
                csv.getFileName().toString(), "");
        return staggered(source.input(), context, null, source);
    }

    private Integer staggered(StaggeredAdoption.Input input, HtmlReport.Context context, Connection db, StaggeredSource source)
            throws Exception {
        StaggeredAdoption.Comparison against;
        try {
            against = StaggeredAdoption.Comparison.of(comparison);
        } catch (IllegalArgumentException unknown) {
            throw new CsvPanel.Problem(unknown.getMessage());
        }
        StaggeredAdoption.Result result = StaggeredAdoption.estimate(input, against, Math.max(199, permutations), 20210601L);
        GroupTimeEffects labelled = GroupTimeEffects.of(result, input.periodLabels());
        DifferenceInDifferences.Estimate overall = result.overall();
        System.out.printf(java.util.Locale.ROOT, """
                Group-time effects (Callaway & Sant'Anna; staggered starts, compared with %s units): %s
                  overall effect (simple)  %.4f (%.4f)   95%% CI [%.4f, %.4f]   p = %.3f   (%d bootstrap draws over units)
                  a single two-way fixed-effects regression would say %.4f (biased when effects vary over time)
                """, against.label, context.source(), overall.effect(), overall.standardError(), overall.lower95(),
                overall.upper95(), overall.pValue(), result.bootstrapDraws(), result.twoWayFixedEffects());
        System.out.print(labelled.consoleTables());
        System.out.printf(java.util.Locale.ROOT, "  pre-trend test: largest |t| %.2f among %d pre-period effects, p = %.3f%s%n",
                result.preTrendMaxT(), result.preTrendEffects(), result.preTrendP(), result.parallelTrendsDoubtful()
                        ? "  WARNING: cohorts were not moving in parallel with the " + against.label + " before their start" : "");
        result.notes().forEach(note -> System.out.println("  note: " + note));
        if (json != null) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            out.put("source", context.source());
            out.put("treated", context.treatedUnits());
            out.put("outcome", context.outcome());
            out.put("groupTimeEffects", labelled);
            new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), out);
            System.out.println("JSON results: " + json.toAbsolutePath());
        }
        if (html != null) {
            java.nio.file.Files.writeString(html, HtmlReport.groupTime(context, labelled, StaggeredSeries.of(input)));
            System.out.println("HTML report: " + html.toAbsolutePath());
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
