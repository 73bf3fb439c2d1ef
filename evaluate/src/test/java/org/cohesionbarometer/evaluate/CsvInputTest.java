package org.cohesionbarometer.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A CSV panel as an evaluator hands it over (issue #19): the start given as a period, values in
 * any case, any common separator, a treatment column that switches on; and every mistake answered
 * with one sentence naming what to fix and the exit code from the program's table, never a stack
 * trace.
 */
class CsvInputTest {
    private static final Path CARD_KRUEGER = Path.of(System.getProperty("user.dir")).getParent()
            .resolve("docs/data/card-krueger-1994-fte.csv");

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
    }

    static Run evaluate(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            CommandLine command = new CommandLine(new EvaluateCommand());
            command.setErr(new PrintWriter(err, true));
            int code = command.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(stdout);
        }
    }

    /** A yearly panel 1980-2000: 4 treated states from 1989 (effect 5), 12 controls; a common trend. */
    private Path yearly(String separator, boolean switchingColumn) throws Exception {
        SplittableRandom random = new SplittableRandom(1989);
        StringBuilder csv = new StringBuilder(String.join(separator, "state", "year", switchingColumn ? "treated" : "group",
                "sales")).append('\n');
        for (int s = 0; s < 16; s++) {
            boolean treated = s < 4;
            double level = 100 + 10 * random.nextDouble();
            for (int year = 1980; year <= 2000; year++) {
                double y = level - 1.5 * (year - 1980) + (treated && year >= 1989 ? -5 : 0) + random.nextDouble();
                String group = switchingColumn ? (treated && year >= 1989 ? "1" : "0") : treated ? "California" : "Other";
                csv.append(String.join(separator, "s" + s, Integer.toString(year), group,
                        String.format(Locale.ROOT, "%.3f", y))).append('\n');
            }
        }
        Path file = dir.resolve(switchingColumn ? "switching.csv" : "yearly.csv");
        Files.writeString(file, csv);
        return file;
    }

    private static void assertOneSentenceNoStackTrace(Run run) {
        assertThat(run.err()).doesNotContain("Exception", "\tat ", "at org.", "at java.");
        assertThat(run.err().lines().count()).as("one sentence, and at most a pointer to --help").isLessThanOrEqualTo(2);
    }

    @Test
    void postNamingOnlyTheFirstAfterPeriodIsRefusedAndPointsToStart() throws Exception {
        Path file = yearly(",", false);

        Run run = evaluate("--csv", file.toString(), "--unit", "state", "--period", "year", "--outcome", "sales",
                "--treated", "group=California", "--post", "1989", "--permutations", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--post", "1990", "2000", "--start 1989");
        assertOneSentenceNoStackTrace(run);
    }

    @Test
    void startCountsEveryPeriodFromItOnAsAfterAndAgreesWithTheFullPostList() throws Exception {
        Path file = yearly(",", false);
        Path fromStart = dir.resolve("start.json");
        Path fromPost = dir.resolve("post.json");
        List<String> years = new ArrayList<>();
        for (int y = 1989; y <= 2000; y++) {
            years.add(Integer.toString(y));
        }

        assertThat(evaluate("--csv", file.toString(), "--unit", "state", "--period", "year", "--outcome", "sales",
                "--treated", "group=California", "--start", "1989", "--permutations", "0", "--json", fromStart.toString())
                .exitCode()).isZero();
        assertThat(evaluate("--csv", file.toString(), "--unit", "state", "--period", "year", "--outcome", "sales",
                "--treated", "group=California", "--post", String.join(",", years), "--permutations", "0", "--json",
                fromPost.toString()).exitCode()).isZero();

        double a = effect(fromStart);
        assertThat(a).isCloseTo(-5, org.assertj.core.api.Assertions.within(0.5));
        assertThat(effect(fromPost)).isEqualTo(a);
    }

    @Test
    void valuesMatchInAnyCaseAndAnUnknownOneIsNamedWithTheValidOnes() throws Exception {
        Path json = dir.resolve("nj.json");
        Run lower = evaluate("--csv", CARD_KRUEGER.toString(), "--unit", "store", "--outcome", "fte", "--treated", "state=nj",
                "--start", "AFTER", "--permutations", "0", "--json", json.toString());
        assertThat(lower.exitCode()).as(lower.err()).isZero();
        assertThat(effect(json)).isCloseTo(2.75, org.assertj.core.api.Assertions.within(0.005));

        Run unknown = evaluate("--csv", CARD_KRUEGER.toString(), "--unit", "store", "--outcome", "fte", "--treated",
                "state=california", "--start", "after", "--permutations", "0");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("--treated", "california", "NJ", "PA");
        assertOneSentenceNoStackTrace(unknown);
    }

    @Test
    void aPeriodThatIsNotInTheDataIsNamedWithThePeriodsThatAre() {
        Run run = evaluate("--csv", CARD_KRUEGER.toString(), "--unit", "store", "--outcome", "fte", "--treated", "state=NJ",
                "--start", "later", "--permutations", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--start", "later", "before", "after");
        assertOneSentenceNoStackTrace(run);

        Run post = evaluate("--csv", CARD_KRUEGER.toString(), "--unit", "store", "--outcome", "fte", "--treated", "state=NJ",
                "--post", "1993", "--permutations", "0");
        assertThat(post.exitCode()).isEqualTo(2);
        assertThat(post.err()).contains("--post", "1993");
        assertOneSentenceNoStackTrace(post);
    }

    @Test
    void aSemicolonSeparatedFileIsReadLikeACommaSeparatedOne() throws Exception {
        Path comma = yearly(",", false);
        Path semicolon = Files.writeString(dir.resolve("semicolon.csv"), Files.readString(comma).replace(',', ';'));
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        String[] common = {"--unit", "state", "--period", "year", "--outcome", "sales", "--treated", "group=California",
            "--start", "1989", "--permutations", "0", "--json"};

        assertThat(evaluate(concat(new String[] {"--csv", comma.toString()}, common, a.toString())).exitCode()).isZero();
        Run detected = evaluate(concat(new String[] {"--csv", semicolon.toString()}, common, b.toString()));
        assertThat(detected.exitCode()).as(detected.err()).isZero();
        assertThat(effect(b)).isEqualTo(effect(a));

        Run given = evaluate(concat(new String[] {"--csv", semicolon.toString(), "--separator", ";"}, common, b.toString()));
        assertThat(given.exitCode()).isZero();
        Run wrong = evaluate(concat(new String[] {"--csv", semicolon.toString(), "--separator", ","}, common, b.toString()));
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("--unit", "--separator");
        assertOneSentenceNoStackTrace(wrong);
    }

    @Test
    void aTreatmentColumnThatSwitchesOnIsReadAsTheFirstTreatedPeriod() throws Exception {
        Path switching = yearly(",", true);
        Path json = dir.resolve("switching.json");

        Run run = evaluate("--csv", switching.toString(), "--unit", "state", "--period", "year", "--outcome", "sales",
                "--treated", "treated=1", "--permutations", "0", "--json", json.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("switches on in 1989");
        Path reference = dir.resolve("reference.json");
        evaluate("--csv", yearly(",", false).toString(), "--unit", "state", "--period", "year", "--outcome", "sales",
                "--treated", "group=California", "--start", "1989", "--permutations", "0", "--json", reference.toString());
        assertThat(effect(json)).isEqualTo(effect(reference));
    }

    @Test
    void aTreatmentColumnThatSwitchesOnAtDifferentPeriodsGivesGroupTimeEffects() throws Exception {
        StringBuilder csv = new StringBuilder("unit,period,treated,y\n");
        for (int u = 0; u < 10; u++) {
            int start = u < 3 ? 3 : u < 6 ? 5 : u == 9 ? 1 : 99; // u9 treated throughout
            for (int t = 1; t <= 6; t++) {
                csv.append(String.format(Locale.ROOT, "u%d,%d,%d,%.1f%n", u, t, t >= start ? 1 : 0, u + 0.5 * t + (t >= start ? 2 : 0)));
            }
        }
        Path file = Files.writeString(dir.resolve("switching-staggered.csv"), csv);
        Path json = dir.resolve("switching-staggered.json");

        Run run = evaluate("--csv", file.toString(), "--outcome", "y", "--permutations", "0", "--json", json.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("switches on at different periods (3, 5)", "Group-time effects", "u9");
        JsonNode effects = new ObjectMapper().readTree(json.toFile()).path("groupTimeEffects");
        assertThat(effects.path("simple").path("effect").asDouble()).isCloseTo(2, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void aTreatmentThatStopsAgainIsRefusedInOneSentence() throws Exception {
        Path file = dir.resolve("off-again.csv");
        Files.writeString(file, "unit,period,treated,outcome\n" + "a,1,0,1\na,2,1,2\na,3,0,3\n" + "b,1,0,1\nb,2,0,1\nb,3,0,1\n"
                + "c,1,0,2\nc,2,0,2\nc,3,0,2\n");

        Run run = evaluate("--csv", file.toString(), "--permutations", "0");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("unit a", "stays on");
        assertOneSentenceNoStackTrace(run);
    }

    @Test
    void firstTreatedTakesZeroEmptyOrNaAsNeverTreatedAndSaysSoInHelp() throws Exception {
        StringBuilder csv = new StringBuilder("unit,period,first,y\n");
        String[] never = {"0", "", "NA"};
        for (int u = 0; u < 9; u++) {
            String first = u < 3 ? "3" : u < 6 ? "5" : never[u - 6];
            for (int t = 1; t <= 6; t++) {
                double effect = !first.matches("\\d") || first.equals("0") || t < Integer.parseInt(first) ? 0 : 2;
                csv.append(String.format(Locale.ROOT, "u%d,%d,%s,%.1f%n", u, t, first, u + 0.5 * t + effect));
            }
        }
        Path file = Files.writeString(dir.resolve("staggered.csv"), csv);
        Path json = dir.resolve("staggered.json");

        Run run = evaluate("--csv", file.toString(), "--period", "period", "--outcome", "y", "--first-treated", "first",
                "--permutations", "0", "--json", json.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode effects = new ObjectMapper().readTree(json.toFile()).path("groupTimeEffects");
        assertThat(effects.path("simple").path("effect").asDouble()).isCloseTo(2, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(effects.path("comparisonGroup").asText()).isEqualTo("not-yet-treated");
        assertThat(effects.path("attGt").get(0).path("cohort").asText()).as("labels, not 0-based indices").isEqualTo("3");
        assertThat(effects.path("attGt").get(0).path("period").asText()).isEqualTo("2");
        assertThat(evaluate("--help").out()).contains("0, empty or NA mean never treated");
    }

    @Test
    void theComparisonGroupIsSelectableAndNamed() throws Exception {
        Path file = dir.resolve("staggered.csv");
        StringBuilder csv = new StringBuilder("unit,period,first,y\n");
        for (int u = 0; u < 9; u++) {
            String first = u < 3 ? "3" : u < 6 ? "5" : "";
            for (int t = 1; t <= 6; t++) {
                csv.append(String.format(Locale.ROOT, "u%d,%d,%s,%.1f%n", u, t, first, u + 0.5 * t + (u % 2) * 0.1 * t));
            }
        }
        Files.writeString(file, csv);
        Path json = dir.resolve("never.json");

        Run run = evaluate("--csv", file.toString(), "--outcome", "y", "--first-treated", "first", "--comparison",
                "never-treated", "--permutations", "0", "--json", json.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("compared with never-treated units");
        JsonNode effects = new ObjectMapper().readTree(json.toFile()).path("groupTimeEffects");
        assertThat(effects.path("comparisonGroup").asText()).isEqualTo("never-treated");
        for (JsonNode cell : effects.path("attGt")) {
            assertThat(cell.path("comparisonUnits").asInt()).as("only the three never-treated units").isEqualTo(3);
        }
        for (String kind : List.of("group", "calendar", "dynamic")) {
            assertThat(effects.path(kind).path("elements").size()).as(kind).isPositive();
            assertThat(effects.path(kind).path("criticalValue").asDouble()).as(kind).isGreaterThanOrEqualTo(1.96);
        }
    }

    @Test
    void anUnknownComparisonGroupIsAUsageErrorNamingTheChoices() throws Exception {
        Path file = Files.writeString(dir.resolve("s.csv"), "unit,period,first,y\na,1,2,1\na,2,2,2\nb,1,,1\nb,2,,1\n");

        Run run = evaluate("--csv", file.toString(), "--outcome", "y", "--first-treated", "first", "--comparison", "everyone");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--comparison", "not-yet-treated", "never-treated");
        assertOneSentenceNoStackTrace(run);
    }

    @Test
    void theConsoleNamesThePreTrendTestsDegreesOfFreedom() throws Exception {
        Path file = yearly(",", false);

        Run run = evaluate("--csv", file.toString(), "--unit", "state", "--period", "year", "--outcome", "sales",
                "--treated", "group=California", "--start", "1989", "--permutations", "0");

        assertThat(run.out()).doesNotContain("G-1").containsPattern("F\\(\\d+, 15\\)");
    }

    private static double effect(Path json) throws Exception {
        return new ObjectMapper().readTree(json.toFile()).path("differenceInDifferences").path("pooled").path("effect").asDouble();
    }

    private static String[] concat(String[] a, String[] b, String last) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        all.add(last);
        return all.toArray(String[]::new);
    }
}
