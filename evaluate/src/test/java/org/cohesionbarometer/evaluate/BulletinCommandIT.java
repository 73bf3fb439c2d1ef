package org.cohesionbarometer.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.cohesionbarometer.infra.InJvmPostgres;
import org.cohesionbarometer.sink.Migrations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The report command on a fixture of two cities whose hours interleave: Riverton's November index
 * is its own neighbourhoods' (North at 60 and South at 40, 60 people each: 50; October 45), never
 * mixed with Lakeside's 90; a neighbourhood too small to publish is explained in words; wrong input
 * and an empty month end as the other commands do.
 */
class BulletinCommandIT {
    private static InJvmPostgres postgres;

    @TempDir
    Path out;

    @BeforeAll
    static void twoCities() throws SQLException {
        postgres = InJvmPostgres.startTemporary();
        Migrations.apply(postgres.jdbcUrl(), postgres.user(), postgres.password());
        try (Connection db = postgres.connect(); Statement st = db.createStatement()) {
            st.execute("""
                    ALTER ROLE barometer_dashboard LOGIN PASSWORD 'read-only';
                    INSERT INTO neighbourhoods (id, name, city) VALUES ('north', 'North', 'Riverton'),
                        ('south', 'South', 'Riverton'), ('tiny', 'Tiny Close', 'Riverton'), ('lake', 'Lakeshore', 'Lakeside');
                    INSERT INTO cities (id, name, in_network) VALUES ('Riverton', 'Riverton', true), ('Lakeside', 'Lakeside', true)""");
            for (int hour = 0; hour < 3; hour++) {
                hour(st, "north", "2026-11-1" + hour + "T18:00:00Z", 20, 60);
                hour(st, "lake", "2026-11-1" + hour + "T18:00:00Z", 30, 90);
                hour(st, "south", "2026-11-1" + hour + "T19:00:00Z", 20, 40);
                hour(st, "tiny", "2026-11-1" + hour + "T19:00:00Z", 5, 99);
                hour(st, "north", "2026-10-1" + hour + "T18:00:00Z", 20, 50);
                hour(st, "south", "2026-10-1" + hour + "T18:00:00Z", 20, 40);
            }
        }
    }

    private static void hour(Statement st, String hood, String start, int people, double index) throws SQLException {
        st.execute(("INSERT INTO neighbourhood_hourly (neighbourhood_id, window_start, window_end, check_ins, headcount, contacts, "
                + "cross_group_contacts, sentiment_taps, last_event_time, is_final, suppression_k, cohesion_index) VALUES "
                + "('%s', '%s', timestamptz '%s' + interval '1 hour', %d, %d, 0, 0, 0, '%s', true, 10, %s)")
                .formatted(hood, start, start, people, people, start, index));
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    private record Run(int exitCode, String stderr) {
    }

    private Run report(String... args) {
        PrintStream before = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine command = new CommandLine(new BulletinCommand());
        // the usage error as the barometer program's handler gets it (it prints the message, exit code 2)
        command.setParameterExceptionHandler((problem, arguments) -> {
            err.writeBytes((problem.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            return 2;
        });
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(args));
            all.addAll(java.util.List.of("--jdbc-url", postgres.jdbcUrl()));
            if (!all.contains("--password")) {
                all.addAll(java.util.List.of("--password", "read-only"));
            }
            return new Run(command.execute(all.toArray(String[]::new)), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(before);
        }
    }

    @Test
    void aCitysBulletinHoldsItsOwnNeighbourhoodsOnlyAndExplainsWhatWasWithheld() throws Exception {
        Path html = out.resolve("riverton.html");
        Run run = report("--city", "Riverton", "--month", "2026-11", "--out", html.toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        String bulletin = Files.readString(html);
        assertThat(bulletin).contains("data-figure=\"index\">50.0<", "data-figure=\"people\">120<",
                "data-figure=\"change\">+5.0<", "North", "South", "Tiny Close")
                .doesNotContain("Lakeshore", "90.0");
        assertThat(bulletin).as("the small neighbourhood, in words")
                .contains("Tiny Close: fewer than 10 people were counted in published hours this month, so its figures are "
                        + "withheld")
                .contains("3 of 9 neighbourhood-hours with activity this month had fewer than 10 people");
        assertThat(bulletin).as("ranked among the two cities taking part").contains("<td>2 of 2</td>");
    }

    @Test
    void aNeighbourhoodsBulletinIsAboutThatNeighbourhood() throws Exception {
        Path html = out.resolve("north.html");
        Run run = report("--city", "Riverton", "--month", "2026-11", "--neighbourhood", "north", "--out", html.toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(Files.readString(html)).contains("North, Riverton, November 2026", "data-figure=\"index\">60.0<",
                "data-figure=\"change\">+10.0<", "Week by week");
    }

    @Test
    void anUnknownCityOrNeighbourhoodIsAUsageErrorNamingThoseThereAre() {
        Run city = report("--city", "Atlantis", "--month", "2026-11", "--out", out.resolve("x.html").toString());
        Run hood = report("--city", "Riverton", "--month", "2026-11", "--neighbourhood", "east",
                "--out", out.resolve("y.html").toString());

        assertThat(city.exitCode()).as(city.toString()).isEqualTo(2);
        assertThat(city.stderr()).contains("--city: no neighbourhood is registered in 'Atlantis'; the cities are: Lakeside, Riverton");
        assertThat(hood.exitCode()).isEqualTo(2);
        assertThat(hood.stderr()).contains("--neighbourhood: 'east' is not a neighbourhood of Riverton", "north, south, tiny");
        assertThat(out.resolve("x.html")).doesNotExist();
    }

    @Test
    void aMonthWithNothingStoredOrARefusedLoginIsRefused() {
        // (the embedded PostgreSQL trusts local logins, so a role that does not exist stands for a refused login)
        Run empty = report("--city", "Riverton", "--month", "2025-01", "--out", out.resolve("z.html").toString());
        Run login = report("--city", "Riverton", "--month", "2026-11", "--user", "nobody", "--out",
                out.resolve("w.html").toString());

        assertThat(empty.exitCode()).isEqualTo(3);
        assertThat(empty.stderr()).contains("Nothing is published for Riverton in 2025-01");
        assertThat(out.resolve("z.html")).doesNotExist();
        assertThat(login.exitCode()).isEqualTo(3);
        assertThat(login.stderr()).contains("refused the login of 'nobody'", "--password or BAROMETER_EXPORT_PASSWORD");
    }
}
