package org.cohesionbarometer.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.cohesionbarometer.infra.PgliteTimescale;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The rollups on TimescaleDB 2.23 (PGlite's WebAssembly build, over the PostgreSQL protocol):
 * hypertables, continuous aggregates kept fresh by their policy, compression and retention policies.
 */
@EnabledIf(value = "nodeAndNpmAreInstalled", disabledReason = "PGlite's TimescaleDB needs Node.js and npm on the PATH")
class RollupsOnTimescaleIT extends RollupsSpecification {
    private final PgliteTimescale timescale = PgliteTimescale.start(Path.of("target", "pglite-timescaledb"));

    static boolean nodeAndNpmAreInstalled() {
        return PgliteTimescale.unavailableBecause().isEmpty();
    }

    @Override
    Database database() {
        return new Database(timescale.jdbcUrl(), timescale.user(), timescale.password());
    }

    @Override
    void refreshRollups(Connection db) throws SQLException {
        for (String aggregate : Migrations.CONTINUOUS_AGGREGATES) {
            db.createStatement().execute("CALL refresh_continuous_aggregate('" + aggregate + "', NULL, NULL)");
        }
    }

    @AfterAll
    void stop() {
        timescale.close();
    }

    @Test
    void theTablesAreHypertablesAndTheRollupsContinuousAggregatesWithTheirPolicies() throws Exception {
        assertThat(number("SELECT count(*) FROM timescaledb_information.hypertables")).isEqualTo(Migrations.HYPERTABLES.size());
        assertThat(number("SELECT count(*) FROM timescaledb_information.continuous_aggregates")).isEqualTo(8);
        assertThat(number("SELECT count(*) FROM timescaledb_information.jobs WHERE proc_name = 'policy_refresh_continuous_aggregate'"))
                .isEqualTo(8);
        assertThat(number("SELECT count(*) FROM timescaledb_information.jobs WHERE proc_name = 'policy_compression'"))
                .isEqualTo(Migrations.HYPERTABLES.size());
        assertThat(number("SELECT count(*) FROM timescaledb_information.jobs WHERE proc_name = 'policy_retention'"))
                .as("retention is off by default").isZero();
    }

    @Test
    void theSinksUpsertUpdatesAWindowAlthoughTimescaleRefusesMergesUpdateOnCompressedHypertables() throws Exception {
        // The policies enable compression on every hypertable, and then MERGE ... WHEN MATCHED THEN UPDATE is
        // refused (SQLSTATE 0A000): the upsert must go the ON CONFLICT way instead of refusing every update.
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(1));
        Database db = database();
        try (Connection c = java.sql.DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            c.setAutoCommit(false);
            IndicatorTable.upsert(c, List.of(window(hour, 12)));
            c.commit();
            IndicatorTable.upsert(c, List.of(window(hour, 30)));
            c.commit();
        }
        assertThat(number("SELECT check_ins FROM neighbourhood_hourly WHERE neighbourhood_id = 'upserted'")).isEqualTo(30.0);
    }

    private static NeighbourhoodIndicators window(Instant start, long people) {
        return NeighbourhoodIndicators.newBuilder()
                .setNeighbourhoodId("upserted").setWindowStart(start).setWindowEnd(start.plus(Duration.ofHours(1)))
                .setCheckIns(people).setHeadcount(people).setGroupHeadcounts(new java.util.HashMap<>(Map.of("A", people)))
                .setLastEventTime(start)
                .build();
    }

    @Test
    void aLateCorrectionWithinTheRefreshWindowReachesTheDailyRollupAtTheNextRefresh() throws Exception {
        // Two days ago: within the refresh window (28 days by default), as late kiosk uploads are.
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(2));
        try (Connection db = database().connect(); Statement s = db.createStatement()) {
            s.execute("""
                    INSERT INTO neighbourhood_hourly (neighbourhood_id, window_start, window_end, check_ins, headcount,
                        contacts, cross_group_contacts, sentiment_taps, last_event_time)
                    VALUES ('east', '%1$s', '%2$s', 20, 20, 0, 0, 0, '%1$s')""".formatted(hour, hour.plusSeconds(3600)));
            s.execute("""
                    INSERT INTO neighbourhood_group_hourly (neighbourhood_id, window_start, group_code, headcount)
                    VALUES ('east', '%1$s', 'A', 10), ('east', '%1$s', 'B', 10)""".formatted(hour));
            refreshRollups(db);
            assertThat(number("SELECT gini_simpson FROM neighbourhood_daily WHERE neighbourhood_id = 'east'"))
                    .isCloseTo(0.5, within(1e-12));

            // Kiosks uploading late: the window is upserted again with more people of group A.
            s.execute("""
                    INSERT INTO neighbourhood_group_hourly (neighbourhood_id, window_start, group_code, headcount)
                    VALUES ('east', '%s', 'A', 30)
                    ON CONFLICT (neighbourhood_id, activity_id, window_start, group_code) DO UPDATE SET headcount = excluded.headcount""".formatted(hour));
            assertThat(number("SELECT gini_simpson FROM neighbourhood_daily WHERE neighbourhood_id = 'east'"))
                    .as("materialized, until the next refresh").isCloseTo(0.5, within(1e-12));

            // What the refresh policy does on its schedule: recompute the buckets of its window
            // (PGlite's 'CALL run_job' runs the job but does not pick up the invalidation: a quirk
            // of the WebAssembly build, so the test calls the refresh directly).
            for (String aggregate : Migrations.CONTINUOUS_AGGREGATES) {
                s.execute("CALL refresh_continuous_aggregate('" + aggregate + "', now() - interval '"
                        + TimescaleSettings.defaults().refreshWindow().toDays() + " days', NULL)");
            }
            // {A 30, B 10}: 1 - (0.75² + 0.25²)
            assertThat(number("SELECT gini_simpson FROM neighbourhood_daily WHERE neighbourhood_id = 'east'"))
                    .isCloseTo(1 - (0.75 * 0.75 + 0.25 * 0.25), within(1e-12));
        }
    }
}
