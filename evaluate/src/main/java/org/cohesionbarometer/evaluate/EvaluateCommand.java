package org.cohesionbarometer.evaluate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code evaluate}: a difference-in-differences estimate from a CSV panel, with its uncertainty. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Did the outcome change more in treated units than in controls? Difference-in-differences "
                + "on a CSV panel (one row per unit and period).")
public final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--csv", required = true, description = "the panel: one row per unit and period")
    Path csv;

    @Option(names = "--unit", defaultValue = "unit", description = "unit column (default ${DEFAULT-VALUE})")
    String unit;

    @Option(names = "--period", defaultValue = "period", description = "period column (default ${DEFAULT-VALUE})")
    String period;

    @Option(names = "--outcome", defaultValue = "outcome", description = "outcome column (default ${DEFAULT-VALUE})")
    String outcome;

    @Option(names = "--treated", defaultValue = "treated=1",
            description = "which rows belong to treated units, as column=value (default ${DEFAULT-VALUE})")
    String treated;

    @Option(names = "--post", required = true, split = ",", description = "the period values after the start, comma-separated")
    Set<String> post;

    @Option(names = "--permutations", defaultValue = "999",
            description = "placebo reassignments of the treatment among units (default ${DEFAULT-VALUE}; 0 to skip)")
    int permutations;

    @Option(names = "--html", description = "also write a self-contained HTML report here")
    Path html;

    @Option(names = "--json", description = "also write the results as JSON here")
    Path json;

    @Override
    public Integer call() throws Exception {
        String[] treatedRule = treated.split("=", 2);
        if (treatedRule.length != 2) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--treated must be column=value, not '" + treated + "'");
        }
        Panel panel = Panel.fromCsv(csv, new Panel.Columns(unit, period, outcome, treatedRule[0], treatedRule[1], post));
        GroupMeans means = GroupMeans.of(panel);
        DifferenceInDifferences.Result did = DifferenceInDifferences.estimate(panel);
        System.out.printf("""
                Difference-in-differences on %s (%d observations)

                Group means, every observation          before            after
                  control (%s)                     %7.2f (%.2f)    %7.2f (%.2f)
                  treated                                %7.2f (%.2f)    %7.2f (%.2f)
                  difference-in-differences of means: %.2f

                Balanced panel (%d treated, %d control units seen before and after)
                  control change  %6.2f (%.2f)
                  treated change  %6.2f (%.2f)
                  DiD             %6.2f (%.2f, %s)   95%% CI [%.2f, %.2f]   p = %.3f

                Pooled regression y = b0 + b1 treated + b2 post + d treated x post
                  d = %.2f   SE %.2f (%s)   95%% CI [%.2f, %.2f]   p = %.3f
                  (HC1 SE, ignoring that a unit's periods are related: %.2f)

                Standard errors in parentheses. The estimate rests on parallel trends: without the
                activity, treated and control units would have changed alike.
                """, csv.getFileName(), did.observations(),
                treatedRule[0] + "!=" + treatedRule[1],
                means.controlBefore().mean(), means.controlBefore().standardError(),
                means.controlAfter().mean(), means.controlAfter().standardError(),
                means.treatedBefore().mean(), means.treatedBefore().standardError(),
                means.treatedAfter().mean(), means.treatedAfter().standardError(),
                means.differenceInDifferences(),
                did.treatedUnits(), did.controlUnits(),
                did.control().change(), did.control().standardError(),
                did.treated().change(), did.treated().standardError(),
                did.balanced().effect(), did.balanced().standardError(), did.balanced().standardErrorKind(),
                did.balanced().lower95(), did.balanced().upper95(), did.balanced().pValue(),
                did.pooled().effect(), did.pooled().standardError(), did.pooled().standardErrorKind(),
                did.pooled().lower95(), did.pooled().upper95(), did.pooled().pValue(),
                did.pooledHc1().standardError());
        List<String> periods = periodsInOrder(panel);
        String start = periods.stream().filter(post::contains).findFirst().orElseThrow();
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
        }
        if (json != null) {
            java.util.Map<String, Object> results = new java.util.LinkedHashMap<>();
            results.put("panel", csv.getFileName().toString());
            results.put("outcome", outcome);
            results.put("start", start);
            results.put("groupMeans", means);
            results.put("differenceInDifferences", did);
            results.put("eventStudy", study);
            results.put("placebo", placebo == null ? null : java.util.Map.of("estimate", placebo.estimate(),
                    "permutations", placebo.placebos().length, "pValue", placebo.pValue()));
            results.put("warnings", study != null && study.parallelTrendsDoubtful()
                    ? List.of("treated and control units were not moving in parallel before the start") : List.of());
            new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), results);
            System.out.println("JSON results: " + json.toAbsolutePath());
        }
        if (html != null) {
            java.nio.file.Files.writeString(html, HtmlReport.render("Did the outcome change? " + csv.getFileName(),
                    outcome, start, series(panel, periods), did, study, placebo));
            System.out.println("HTML report: " + html.toAbsolutePath());
        }
        return 0;
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

    /** Periods in time order: numerically when every period is a number, else as ISO dates/strings sort. */
    static List<String> periodsInOrder(Panel panel) {
        List<String> periods = new ArrayList<>(new LinkedHashSet<>(panel.observations().stream().map(Panel.Observation::period).toList()));
        boolean numeric = periods.stream().allMatch(p -> p.matches("-?\\d+(\\.\\d+)?"));
        if (numeric) {
            periods.sort(Comparator.comparingDouble(Double::parseDouble));
        } else if (!periods.containsAll(List.of("before", "after"))) {
            periods.sort(Comparator.naturalOrder());
        }
        return periods;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new EvaluateCommand()).execute(args));
    }
}
