package org.cohesionbarometer.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.cohesionbarometer.infra.InJvmPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The open-data export: the published figures of a period, as the dashboards' read-only role sees them. */
class OpenDataExportIT {
    private static InJvmPostgres postgres;

    @BeforeAll
    static void threeDaysOfTwoNeighbourhoods() throws Exception {
        postgres = InJvmPostgres.startTemporary();
        Migrations.apply(postgres.jdbcUrl(), postgres.user(), postgres.password());
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password())) {
            c.createStatement().execute("""
                    INSERT INTO neighbourhood_hourly (neighbourhood_id, window_start, window_end, check_ins, headcount,
                        contacts, cross_group_contacts, sentiment_taps, last_event_time) VALUES
                      ('north', '2026-03-13T09:00:00Z', '2026-03-13T10:00:00Z', 30, 30, 12, 6, 0, '2026-03-13T09:50:00Z'),
                      ('north', '2026-03-14T09:00:00Z', '2026-03-14T10:00:00Z', 20, 20, 12, 4, 0, '2026-03-14T09:50:00Z'),
                      ('south', '2026-03-14T09:00:00Z', '2026-03-14T10:00:00Z', 6, 6, 2, 1, 0, '2026-03-14T09:30:00Z'),
                      ('north', '2026-03-15T09:00:00Z', '2026-03-15T10:00:00Z', 40, 40, 12, 6, 0, '2026-03-15T09:50:00Z');
                    ALTER ROLE barometer_dashboard LOGIN PASSWORD 'open-data';
                    """);
        }
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    private static List<String> export(Path dir, String... args) throws Exception {
        Path csv = dir.resolve("export.csv");
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--out", csv.toString(), "--jdbc-url", postgres.jdbcUrl(),
                "--user", "barometer_dashboard", "--password", "open-data"));
        int exit = new CommandLine(new OpenDataExport()).execute(all.toArray(String[]::new));
        assertThat(exit).isZero();
        return Files.readAllLines(csv);
    }

    @Test
    void aDayIsExportedAsTheReadOnlyRoleSeesItWithSmallCellsWithheld(@TempDir Path dir) throws Exception {
        List<String> lines = export(dir, "--from", "2026-03-14", "--to", "2026-03-15");

        assertThat(lines.get(0)).startsWith("neighbourhood_id,bucket_start,is_final,k,check_ins,headcount,");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith("north,2026-03-14T00:00:00Z,false,10,20,20,");
        assertThat(lines.get(2)).startsWith("south,2026-03-14T00:00:00Z,false,10,,,")
                .endsWith(",headcount;diversity;mixing");
    }

    @Test
    void theWeekHoldsEveryDayOfIt(@TempDir Path dir) throws Exception {
        List<String> lines = export(dir, "--from", "2026-03-09", "--to", "2026-03-16", "--period", "weekly");

        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith("north,2026-03-09T00:00:00Z,false,10,90,90,");
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
