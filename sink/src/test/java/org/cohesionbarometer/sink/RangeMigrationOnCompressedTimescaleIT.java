package org.cohesionbarometer.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.cohesionbarometer.infra.PgliteTimescale;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Migration V8 on a TimescaleDB database that has run for a while: compression enabled on every
 * hypertable, chunks compressed, and a row stored before the ranges were checked with an evenness a
 * rounding error above 1. V8 must bring that row into range and add its checks all the same.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf(value = "nodeAndNpmAreInstalled", disabledReason = "PGlite's TimescaleDB needs Node.js and npm on the PATH")
class RangeMigrationOnCompressedTimescaleIT {
    private final PgliteTimescale timescale = PgliteTimescale.start(Path.of("target", "pglite-timescaledb"));

    static boolean nodeAndNpmAreInstalled() {
        return PgliteTimescale.unavailableBecause().isEmpty();
    }

    @AfterAll
    void stop() {
        timescale.close();
    }

    @Test
    void aRoundingErrorStoredInACompressedChunkIsBroughtIntoRangeAndTheChecksAreAdded() throws SQLException {
        migrate("7");
        try (Connection db = timescale.connect(); Statement s = db.createStatement()) {
            s.execute("""
                    INSERT INTO neighbourhood_hourly (neighbourhood_id, window_start, window_end, check_ins, headcount,
                        contacts, cross_group_contacts, sentiment_taps, last_event_time, evenness, cohesion_index)
                    VALUES ('north', '2026-03-02T18:00:00Z', '2026-03-02T19:00:00Z', 50, 50, 0, 0, 0,
                            '2026-03-02T18:00:00Z', 1.0000000000000002, 90)""");
            s.execute("""
                    INSERT INTO city_daily (window_start, window_end, headcount, suppression_k, evenness)
                    VALUES ('2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z', 50, 10, 1.0000000000000002)""");
            s.execute("INSERT INTO neighbourhoods (id, name, city) VALUES ('north', 'North', 'Riverton')");
            for (Map.Entry<String, String> table : Map.of("neighbourhood_hourly", "neighbourhood_id, activity_id",
                    "city_daily", "").entrySet()) {
                s.execute("ALTER TABLE " + table.getKey() + " SET (timescaledb.compress"
                        + (table.getValue().isEmpty() ? "" : ", timescaledb.compress_segmentby = '" + table.getValue() + "'")
                        + ", timescaledb.compress_orderby = 'window_start DESC')");
                s.execute("SELECT compress_chunk(c) FROM show_chunks('" + table.getKey() + "') c");
            }
        }

        Migrations.apply(timescale.jdbcUrl(), timescale.user(), timescale.password());

        try (Connection db = timescale.connect(); Statement s = db.createStatement()) {
            assertThat(value(s, "SELECT evenness FROM neighbourhood_hourly")).isEqualTo(1.0);
            assertThat(value(s, "SELECT evenness FROM city_daily")).isEqualTo(1.0);
            assertThat(value(s, "SELECT count(*) FROM pg_constraint WHERE conname LIKE '%\\_range' "
                    + "AND conrelid IN ('neighbourhood_hourly'::regclass, 'city_daily'::regclass)")).isEqualTo(14.0);
            // V11 (#20): the compressed city days were decompressed, keyed by city, and given to the one city there is
            try (java.sql.ResultSet rs = s.executeQuery("SELECT city FROM city_daily")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("Riverton");
            }
        }
    }

    private void migrate(String target) {
        FluentConfiguration flyway = Flyway.configure()
                .dataSource(timescale.jdbcUrl(), timescale.user(), timescale.password())
                .locations("classpath:db/migration")
                .target(target)
                .placeholders(Map.of("suppression_k", "10", "timescale", "auto"));
        flyway.getConfigurationExtension(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
        flyway.load().migrate();
    }

    private static double value(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getDouble(1);
        }
    }
}
