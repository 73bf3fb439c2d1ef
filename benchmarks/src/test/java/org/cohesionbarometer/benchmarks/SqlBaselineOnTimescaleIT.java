package org.cohesionbarometer.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.cohesionbarometer.allinone.EmbeddedBarometer;
import org.cohesionbarometer.allinone.EmbeddedSettings;
import org.cohesionbarometer.infra.PgliteTimescale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL-only alternative on TimescaleDB (PGlite's, over the PostgreSQL protocol): the signals in
 * a hypertable, the hourly counts as continuous aggregates, which count exactly what the barometer
 * counts.
 */
class SqlBaselineOnTimescaleIT {
    @TempDir
    Path dataDir;

    @Test
    void theContinuousAggregatesCountExactlyWhatTheBarometerCountsRowForRow() throws Exception {
        String unavailable = PgliteTimescale.unavailableBecause().orElse("");
        Assumptions.assumeTrue(unavailable.isEmpty(), unavailable);
        BenchCity city = new BenchCity(3, 400, 11);
        List<Signal> signals = SqlBaselineBenchmark.mix(city, 3_000, Duration.ofHours(3));
        try (EmbeddedBarometer barometer = EmbeddedBarometer.start(EmbeddedSettings.forTests(dataDir));
             PgliteTimescale timescale = PgliteTimescale.start(Path.of("target", "pglite-timescaledb"))) {
            BulkSender sender = new BulkSender(barometer.ingestUrl() + "/", barometer.adminToken());
            sender.seed(city);
            Thread.sleep(2_000); // the streams stage's global stores read the reference topics
            SqlBaselineBenchmark.postAll(sender, signals, 250, 2);

            try (Connection counted = DriverManager.getConnection(barometer.jdbcUrl(), barometer.jdbcUser(), barometer.jdbcPassword());
                 Connection db = timescale.connect()) {
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                        .until(() -> SqlBaseline.barometerTotal(counted) == signals.size());
                SqlBaselineOnTimescale.create(db, city);
                SqlBaselineOnTimescale.insert(db, signals, 500);
                SqlBaselineOnTimescale.refresh(db);
                SqlBaselineOnTimescale.copyBarometerCounts(counted, db);

                assertThat(SqlBaseline.count(db, "SELECT count(*) FROM timescaledb_information.hypertables "
                        + "WHERE hypertable_schema = 'sql_baseline' AND hypertable_name = 'signals'")).isOne();
                assertThat(SqlBaseline.count(db, "SELECT count(*) FROM timescaledb_information.continuous_aggregates "
                        + "WHERE view_schema = 'sql_baseline'")).isEqualTo(2);
                SqlBaseline.Comparison comparison = SqlBaselineOnTimescale.compare(db);
                assertThat(comparison.differences()).isEmpty();
                assertThat(comparison.sqlRows()).isEqualTo(comparison.barometerRows()).isGreaterThan(3 * 3 * 4);
                assertThat(SqlBaseline.count(db, "SELECT sum(check_ins + contacts + sentiment_taps) FROM sql_baseline.hourly "
                        + "WHERE activity_id = ''")).isEqualTo(signals.size());

                // and the comparison sees a single count that differs: one contact more, in an hour
                // the aggregates hold already, reaches them at the next refresh (their neighbourhood's
                // row and their activity's row)
                Signal extra = signals.stream().filter(s -> s.kind() == Signal.Kind.CONTACT).findFirst().orElseThrow();
                try (PreparedStatement insert = db.prepareStatement("INSERT INTO sql_baseline.signals "
                        + "(kind, event_id, event_time, activity_id, headcount, group_code, group_code_b) "
                        + "VALUES ('CONTACT', ?, ?, ?, 0, ?, ?)")) {
                    insert.setObject(1, UUID.randomUUID());
                    insert.setObject(2, extra.eventTime().atOffset(java.time.ZoneOffset.UTC));
                    insert.setString(3, extra.activityId());
                    insert.setString(4, extra.group());
                    insert.setString(5, extra.groupB());
                    insert.executeUpdate();
                }
                assertThat(SqlBaselineOnTimescale.compare(db).differences()).as("materialized only: unchanged until refreshed").isEmpty();
                SqlBaselineOnTimescale.refresh(db);
                assertThat(SqlBaselineOnTimescale.compare(db).differences()).hasSize(4)
                        .filteredOn(d -> d.startsWith("only in SQL (hourly)")).hasSize(2);
            }
        }
    }
}
