package org.cohesionbarometer.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.cohesionbarometer.infra.InJvmPostgres;
import org.cohesionbarometer.schemas.indicator.MixingCell;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;
import org.cohesionbarometer.sink.IndicatorTable;
import org.cohesionbarometer.sink.Migrations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The evaluate command on the barometer's own database: sixteen weeks of published figures of
 * eight neighbourhoods, written through the sink. Old Town's language café starts on 2 March and
 * raises its cross-group share by 0.15; the Harbour's garden starts on 9 February with the same
 * effect. Two neighbourhoods drift (one up, one down) and one is too small to publish.
 */
class EvaluateFromDatabaseIT {
    private static final Instant FIRST_MONDAY = Instant.parse("2026-01-05T18:00:00Z");
    private static final Instant CAFE = Instant.parse("2026-03-02T00:00:00Z");
    private static final Instant GARDEN = Instant.parse("2026-02-09T00:00:00Z");
    private static InJvmPostgres postgres;

    private static final String EVALUATOR_PASSWORD = "evaluator-only";

    @TempDir
    Path out;

    @BeforeAll
    static void cityWithSixteenWeeksOfPublishedFigures() throws SQLException {
        postgres = InJvmPostgres.startTemporary();
        Migrations.apply(postgres.jdbcUrl(), postgres.user(), postgres.password());
        try (Connection db = postgres.connect()) {
            // evaluate runs as the evaluator's role (docs/security.md): whatever it needs beyond that role's grants fails here
            db.createStatement().execute("ALTER ROLE barometer_evaluator LOGIN PASSWORD '" + EVALUATOR_PASSWORD + "'");
        }
        SplittableRandom random = new SplittableRandom(1994);
        // In a fixed order: Map.of iterates in an order that changes from one JVM to the next, which
        // dealt the seeded noise to different neighbourhoods in every run.
        Map<String, Double> base = new java.util.TreeMap<>(Map.of("old-town", 0.30, "harbour", 0.25, "market", 0.32,
                "riverside", 0.28, "hillside", 0.22, "rising", 0.30, "falling", 0.30, "tiny", 0.30));
        List<NeighbourhoodIndicators> windows = new ArrayList<>();
        for (int day = 0; day < 16 * 7; day++) {
            Instant evening = FIRST_MONDAY.plus(Duration.ofDays(day));
            for (var hood : base.entrySet()) {
                double share = hood.getValue() + random.nextGaussian() * 0.03
                        + (hood.getKey().equals("old-town") && !evening.isBefore(CAFE) ? 0.15 : 0)
                        + (hood.getKey().equals("harbour") && !evening.isBefore(GARDEN) ? 0.15 : 0)
                        + (hood.getKey().equals("rising") ? 0.004 * day : 0)
                        + (hood.getKey().equals("falling") ? -0.002 * day : 0);
                long contacts = hood.getKey().equals("tiny") ? 1 : 40;
                long cross = Math.max(0, Math.min(contacts, Math.round(contacts * share)));
                windows.add(NeighbourhoodIndicators.newBuilder()
                        .setNeighbourhoodId(hood.getKey()).setWindowStart(evening).setWindowEnd(evening.plus(Duration.ofHours(1)))
                        .setCheckIns(30).setHeadcount(30).setGroupHeadcounts(new HashMap<>(Map.of("A", 15L, "B", 15L)))
                        .setContacts(contacts).setCrossGroupContacts(cross)
                        .setMixing(new ArrayList<>(List.of(new MixingCell("A", "B", cross), new MixingCell("A", "A", contacts - cross))))
                        .setSentiment(new ArrayList<>()).setLastEventTime(evening.plusSeconds(600)).setIsFinal(true)
                        .build());
            }
        }
        try (Connection db = postgres.connect()) {
            db.setAutoCommit(false);
            IndicatorTable.upsert(db, windows);
            db.createStatement().execute("""
                    INSERT INTO activities (id, title, type, neighbourhood_id, organiser_id, starts_at) VALUES
                      ('a-cafe', 'Language café', 'LANGUAGE_CAFE', 'old-town', 'ngo', '2026-03-02T18:00:00Z'),
                      ('b-garden', 'Urban garden', 'URBAN_GARDEN', 'harbour', 'ngo', '2026-02-09T18:00:00Z')""");
            db.commit();
        }
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @BeforeEach
    void noStoredResults() throws SQLException {
        try (Connection db = postgres.connect()) {
            db.createStatement().execute("TRUNCATE evaluation_results");
        }
    }

    @Test
    void anActivityIsComparedWithTheNeighbourhoodsWhoseTrendsMatchedAndTheResultIsStoredForTheDashboard() throws Exception {
        Run run = evaluate("--activity", "a-cafe", "--controls", "market,riverside,hillside", "--html",
                out.resolve("cafe.html").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Difference-in-differences", "Event study", "Placebo in time");
        Map<String, Object> did = storedRow("difference-in-differences (clustered by unit)");
        assertThat((Double) did.get("ci_lower")).isLessThan(0.15);
        assertThat((Double) did.get("ci_upper")).isGreaterThan(0.15);
        assertThat((Double) did.get("ci_lower")).as("the effect is clear").isGreaterThan(0);
        assertThat(did.get("activity_id")).isEqualTo("a-cafe");
        assertThat(storedRow("event study: pre-trend test").get("summary").toString()).startsWith("No sign");
        assertThat(Files.readString(out.resolve("cafe.html"))).contains("<h2>Controls</h2>", "hillside");
    }

    @Test
    void proposedControlsAreTheParallelOnesAndTheChoiceIsShown() throws Exception {
        Run run = evaluate("--activity", "a-cafe", "--control-count", "3");

        assertThat(run.exitCode()).as(run.err()).isZero();
        String controls = run.out().substring(run.out().indexOf("Controls"), run.out().indexOf("Difference-in-differences"));
        assertThat(controls).contains("tiny", "not eligible: 16 of 16 periods withheld or missing");
        List<String> chosen = controls.lines().filter(l -> l.trim().startsWith("*")).map(l -> l.trim().split("\\s+")[1]).toList();
        assertThat(chosen).hasSize(3).doesNotContain("rising", "falling", "tiny", "harbour");
        assertThat(controls).contains("harbour", "its own activity b-garden (2026-02-09) started in the window");
    }

    @Test
    void aNeighbourhoodWhoseFiguresWereWithheldIsRefusedWithTheReason() throws Exception {
        Run run = evaluate("--neighbourhood", "tiny", "--start", "2026-03-02");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("refused", "withheld for privacy", "suppressed cells are never filled in");
        assertThat(count()).isZero();
    }

    @Test
    void tooFewPeriodsBeforeTheStartAreRefused() throws Exception {
        Run run = evaluate("--activity", "a-cafe", "--periods-before", "2");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("at least 3 periods before the start");
    }

    @Test
    void withoutControlsItIsAnInterruptedTimeSeriesAndSaysItIsTheWeakerDesign() throws Exception {
        Run run = evaluate("--neighbourhood", "old-town", "--start", "2026-03-02", "--controls", "none", "--html",
                out.resolve("its.html").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Interrupted time series", "WARNING", "without control neighbourhoods");
        assertThat(Files.readString(out.resolve("its.html"))).contains("old-town", "2026-03-02", "A weaker design",
                "the barometer's published figures", "not a survey");
        Map<String, Object> its = storedRow("interrupted time series: level change");
        assertThat((Double) its.get("estimate")).isBetween(0.08, 0.22);
        assertThat(its.get("warnings").toString()).contains("descriptive");
    }

    @Test
    void twoActivitiesStartingAtDifferentDatesGiveGroupTimeEffects() throws Exception {
        Run run = evaluate("--activity", "a-cafe,b-garden", "--periods-before", "4", "--periods-after", "4",
                "--permutations", "199", "--html", out.resolve("staggered.html").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Group-time effects", "two-way fixed-effects", "ATT(g,t)", "Aggregation 'calendar'");
        assertThat(Files.readString(out.resolve("staggered.html"))).contains("a-cafe, b-garden", "ATT(g,t)",
                "not-yet-treated", "not a survey");
        Map<String, Object> overall = storedRow("group-time effects (staggered starts, not-yet-treated controls)");
        assertThat((Double) overall.get("ci_lower")).isLessThan(0.15);
        assertThat((Double) overall.get("ci_upper")).isGreaterThan(0.15);
    }

    record Run(int exitCode, String out, String err) {
    }

    private Run evaluate(String... arguments) {
        List<String> args = new ArrayList<>(List.of(arguments));
        args.addAll(List.of("--jdbc-url", postgres.jdbcUrl(), "--db-user", "barometer_evaluator", "--db-password", EVALUATOR_PASSWORD));
        if (!args.contains("--permutations")) {
            args.addAll(List.of("--permutations", "99"));
        }
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new EvaluateCommand()).execute(args.toArray(String[]::new));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    private static Map<String, Object> storedRow(String method) throws SQLException {
        try (Connection db = postgres.connect(); var st = db.prepareStatement("SELECT * FROM evaluation_results WHERE method = ?")) {
            st.setString(1, method);
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).as("a stored row for " + method).isTrue();
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                return row;
            }
        }
    }

    private static long count() throws SQLException {
        return postgres.queryForLong("SELECT count(*) FROM evaluation_results");
    }
}
