package org.cohesionbarometer.sink.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.cohesionbarometer.infra.InJvmPostgres;
import org.cohesionbarometer.sink.Migrations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The open-data export: the published figures of a period, as the dashboards' read-only role sees them. */
class OpenDataExportIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static InJvmPostgres postgres;

    @BeforeAll
    static void threeDaysOfTwoNeighbourhoods() throws Exception {
        postgres = InJvmPostgres.startTemporary();
        Migrations.apply(postgres.jdbcUrl(), postgres.user(), postgres.password());
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password())) {
            c.createStatement().execute("""
                    INSERT INTO neighbourhoods (id, name, city) VALUES ('north', 'Nordstadt', 'Riverton'),
                                                                      ('south', 'Südufer', 'Riverton');
                    INSERT INTO neighbourhood_hourly (neighbourhood_id, window_start, window_end, check_ins, headcount,
                        contacts, cross_group_contacts, sentiment_taps, last_event_time, cohesion_index, withheld) VALUES
                      ('north', '2026-03-13T09:00:00Z', '2026-03-13T10:00:00Z', 30, 30, 12, 6, 0, '2026-03-13T09:50:00Z', 55, '{}'),
                      ('north', '2026-03-14T09:00:00Z', '2026-03-14T10:00:00Z', 20, 20, 12, 4, 0, '2026-03-14T09:50:00Z', 40, '{}'),
                      ('north', '2026-03-14T10:00:00Z', '2026-03-14T11:00:00Z', 20, 20, 0, 0, 0, '2026-03-14T10:50:00Z', 60, '{}'),
                      ('south', '2026-03-14T09:00:00Z', '2026-03-14T10:00:00Z', 6, 6, 2, 1, 0, '2026-03-14T09:30:00Z', NULL,
                       '{participation,diversity,mixing,sentiment}'),
                      ('north', '2026-03-15T09:00:00Z', '2026-03-15T10:00:00Z', 40, 40, 12, 6, 0, '2026-03-15T09:50:00Z', 50, '{}');
                    INSERT INTO neighbourhood_mixing_hourly (neighbourhood_id, window_start, group_a, group_b, contacts) VALUES
                      ('north', '2026-03-14T09:00:00Z', 'A', 'A', 8), ('north', '2026-03-14T09:00:00Z', 'A', 'B', 4);
                    INSERT INTO neighbourhood_sentiment_hourly (neighbourhood_id, window_start, question_code, scale, level, taps) VALUES
                      ('north', '2026-03-14T09:00:00Z', 'welcome', 5, 5, 6), ('north', '2026-03-14T09:00:00Z', 'welcome', 5, 4, 4),
                      ('north', '2026-03-14T09:00:00Z', 'welcome', 5, 1, 2),
                      ('south', '2026-03-14T09:00:00Z', 'welcome', 5, 5, 3);
                    ALTER ROLE barometer_dashboard LOGIN PASSWORD 'open-data';
                    """);
        }
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    private record Run(int exit, String err, Path csv) {
    }

    private static Run export(Path dir, String... args) {
        Path csv = dir.resolve("export.csv");
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--out", csv.toString(), "--jdbc-url", postgres.jdbcUrl(), "--password", "open-data"));
        if (!all.contains("--user")) {
            all.addAll(List.of("--user", "barometer_dashboard"));
        }
        PrintStream stderr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(new OpenDataExport()).execute(all.toArray(String[]::new));
            return new Run(exit, err.toString(StandardCharsets.UTF_8), csv);
        } finally {
            System.setErr(stderr);
        }
    }

    /** The CSV read back as a spreadsheet reads it: a header row, then one record per row, by column name. */
    private static List<Map<String, String>> rows(Path csv) throws Exception {
        try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            List<Map<String, String>> rows = new ArrayList<>();
            for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
                rows.add(new HashMap<>(r.toMap()));
            }
            return rows;
        }
    }

    @Test
    void aDayIsExportedAsTheReadOnlyRoleSeesItWithSmallCellsWithheldAndFiguresRounded(@TempDir Path dir) throws Exception {
        Run run = export(dir, "--from", "2026-03-14", "--to", "2026-03-15");

        assertThat(run.exit()).isZero();
        List<Map<String, String>> rows = rows(run.csv());
        assertThat(rows).hasSize(2);
        Map<String, String> north = rows.get(0);
        assertThat(north).containsEntry("neighbourhood", "Nordstadt").containsEntry("city", "Riverton")
                .containsEntry("bucket_start", "2026-03-14T00:00:00Z").containsEntry("bucket_end", "2026-03-15T00:00:00Z")
                .containsEntry("k", "10").containsEntry("check_ins", "40").containsEntry("headcount", "40")
                .containsEntry("cross_group_share", "0.333")
                .containsEntry("withheld", "diversity").as("no group declared: diversity withheld").containsEntry("evenness", "");
        Map<String, String> south = rows.get(1);
        assertThat(south).containsEntry("neighbourhood", "Südufer").containsEntry("headcount", "")
                .containsEntry("cross_group_share", "").containsEntry("sentiment_index", "");
        assertThat(south.get("withheld").split(";")).containsExactly("headcount", "diversity", "mixing", "sentiment");
    }

    @Test
    void theCohesionIndexAndSentimentComeWithTheirIntervals(@TempDir Path dir) throws Exception {
        Map<String, String> north = rows(export(dir, "--from", "2026-03-14", "--to", "2026-03-15").csv()).get(0);

        // Two published hours of 20 people each, indices 40 and 60: mean 50, Var = 2/1 * (400*100 + 400*100) / 40^2.
        double se = Math.sqrt(2.0 * (400 * 100 + 400 * 100)) / 40;
        assertThat(Double.parseDouble(north.get("cohesion_index"))).isEqualTo(50.0);
        assertThat(Double.parseDouble(north.get("cohesion_index_lower95"))).isCloseTo(50 - 1.96 * se, within(0.05));
        assertThat(Double.parseDouble(north.get("cohesion_index_upper95"))).isCloseTo(50 + 1.96 * se, within(0.05));
        // 12 taps on a 5-point scale: six at 100, four at 75, two at 0.
        double mean = (6 * 100 + 4 * 75 + 2 * 0) / 12.0;
        double sd = Math.sqrt((6 * Math.pow(100 - mean, 2) + 4 * Math.pow(75 - mean, 2) + 2 * Math.pow(mean, 2)) / 11);
        assertThat(north).containsEntry("sentiment_taps", "12");
        assertThat(Double.parseDouble(north.get("sentiment_index"))).isCloseTo(mean, within(0.05));
        assertThat(Double.parseDouble(north.get("sentiment_index_lower95"))).isCloseTo(mean - 1.96 * sd / Math.sqrt(12), within(0.05));
        assertThat(north.get("sentiment_index")).matches("\\d+\\.\\d").as("one decimal, as an index is read");
    }

    @Test
    void aDayOfASinglePublishedHourHasItsCohesionIndexButNoIntervalFromItsHours(@TempDir Path dir) throws Exception {
        Map<String, String> north = rows(export(dir, "--from", "2026-03-13", "--to", "2026-03-14").csv()).get(0);

        assertThat(north).containsEntry("cohesion_index", "55.0")
                .containsEntry("cohesion_index_lower95", "").containsEntry("cohesion_index_upper95", "");
    }

    @Test
    void aMonthOfWeeksIncludesTheWeekThatBeganTheMonthBeforeAndSaysSo(@TempDir Path dir) throws Exception {
        // 2026-03-13 to 15 lie in the week that began on Monday 2026-03-09.
        Run run = export(dir, "--from", "2026-03-11", "--to", "2026-04-01", "--period", "weekly");

        assertThat(run.exit()).isZero();
        List<Map<String, String>> rows = rows(run.csv());
        assertThat(rows).extracting(r -> r.get("bucket_start")).containsOnly("2026-03-09T00:00:00Z");
        assertThat(rows.get(0)).containsEntry("headcount", "110");
        assertThat(run.err()).contains("weeks starting 2026-03-09 to 2026-03-09, every week that overlaps 2026-03-11 to 2026-03-31");
    }

    @Test
    void aDataDictionaryBesideTheCsvDescribesEveryColumnWithItsUnitAndWhenItIsWithheld(@TempDir Path dir) throws Exception {
        Run run = export(dir, "--from", "2026-03-14", "--to", "2026-03-15");

        JsonNode dictionary = JSON.readTree(OpenDataExport.dictionaryOf(run.csv()).toFile());
        assertThat(dictionary.path("url").asText()).isEqualTo("export.csv");
        assertThat(dictionary.path("dc:description").asText()).contains("fewer than k", "withheld");
        List<String> header = List.of(Files.readAllLines(run.csv()).get(0).split(","));
        List<String> described = new ArrayList<>();
        dictionary.at("/tableSchema/columns").forEach(c -> {
            described.add(c.path("name").asText());
            assertThat(c.path("dc:description").asText()).as(c.path("name").asText()).isNotBlank();
        });
        assertThat(described).isEqualTo(header);
        JsonNode share = dictionary.at("/tableSchema/columns").findParents("name").stream()
                .filter(c -> c.path("name").asText().equals("cross_group_share")).findFirst().orElseThrow();
        assertThat(share.path("dc:description").asText()).contains("Unit: share, 0 to 1", "withheld as 'mixing'");
        assertThat(share.path("datatype").asText()).isEqualTo("decimal");
        // Every cell reads as the datatype the dictionary declares.
        for (Map<String, String> row : rows(run.csv())) {
            dictionary.at("/tableSchema/columns").forEach(c -> {
                String value = row.get(c.path("name").asText());
                if (!value.isEmpty()) {
                    switch (c.path("datatype").asText()) {
                        case "integer" -> Long.parseLong(value);
                        case "decimal" -> Double.parseDouble(value);
                        case "boolean" -> assertThat(value).isIn("true", "false");
                        case "dateTime" -> Instant.parse(value);
                        default -> { }
                    }
                }
            });
        }
    }

    @Test
    void aRefusedLoginSaysWhatToDoAndLeavesNoFileBehind(@TempDir Path dir) throws Exception {
        // The embedded server trusts local logins whatever the password: a role that does not exist is refused.
        Run run = export(dir, "--from", "2026-03-14", "--to", "2026-03-15", "--user", "no_such_role");

        assertThat(run.exit()).isEqualTo(org.cohesionbarometer.schemas.ExitCode.REFUSED);
        assertThat(run.err()).contains("refused the login of 'no_such_role'", "--password");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void anUnreachableDatabaseIsNamedWithTheWayToGiveItsAddress(@TempDir Path dir) throws Exception {
        StringWriter ignored = new StringWriter();
        PrintStream stderr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = new CommandLine(new OpenDataExport()).setErr(new PrintWriter(ignored)).execute("--from", "2026-03-14",
                    "--to", "2026-03-15", "--out", dir.resolve("x.csv").toString(),
                    "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/barometer");
        } finally {
            System.setErr(stderr);
        }

        assertThat(exit).isEqualTo(org.cohesionbarometer.schemas.ExitCode.UNREACHABLE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Cannot reach the database at jdbc:postgresql://127.0.0.1:1/barometer",
                "--jdbc-url");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void anEmptyOrBackwardPeriodIsRefusedNamingTheOption() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new OpenDataExport()).setErr(new PrintWriter(err))
                .execute("--from", "2026-03-15", "--to", "2026-03-14", "--jdbc-url", postgres.jdbcUrl());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--to: 2026-03-14 must be after --from 2026-03-15");
    }
}
