package org.cohesionbarometer.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import org.cohesionbarometer.allinone.EmbeddedBarometer;
import org.cohesionbarometer.allinone.EmbeddedSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQL-only alternative counts exactly what the barometer counts, on the same signals in the same database. */
class SqlBaselineIT {
    @TempDir
    Path dataDir;

    @Test
    void theSqlBaselinesHourlyCountsEqualTheBarometersRowForRow() throws Exception {
        BenchCity city = new BenchCity(3, 400, 11);
        List<Signal> signals = SqlBaselineBenchmark.mix(city, 3_000, Duration.ofHours(3));
        try (EmbeddedBarometer barometer = EmbeddedBarometer.start(EmbeddedSettings.forTests(dataDir))) {
            BulkSender sender = new BulkSender(barometer.ingestUrl() + "/", barometer.adminToken());
            sender.seed(city);
            Thread.sleep(2_000); // the streams stage's global stores read the reference topics
            SqlBaselineBenchmark.postAll(sender, signals, 250, 2);

            try (Connection db = DriverManager.getConnection(barometer.jdbcUrl(), barometer.jdbcUser(), barometer.jdbcPassword())) {
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                        .until(() -> SqlBaseline.barometerTotal(db) == signals.size());
                SqlBaseline.create(db, city);
                SqlBaseline.copy(db, signals, 1_000);
                SqlBaseline.computeHourlyCounts(db);

                SqlBaseline.Comparison comparison = SqlBaseline.compare(db);
                assertThat(comparison.differences()).isEmpty();
                assertThat(comparison.sqlRows()).isEqualTo(comparison.barometerRows()).isGreaterThan(3 * 3 * 4);
                assertThat(SqlBaseline.count(db, "SELECT sum(check_ins + contacts + sentiment_taps) FROM sql_baseline.hourly "
                        + "WHERE activity_id = ''")).isEqualTo(signals.size());

                // and the comparison sees a single count that differs
                db.createStatement().execute("UPDATE neighbourhood_hourly SET contacts = contacts + 1, cross_group_contacts = cross_group_contacts + 1 "
                        + "WHERE (neighbourhood_id, activity_id, window_start) = (SELECT neighbourhood_id, activity_id, window_start "
                        + "FROM neighbourhood_hourly WHERE contacts > 0 LIMIT 1)");
                assertThat(SqlBaseline.compare(db).differences()).hasSize(2)
                        .anyMatch(d -> d.startsWith("only in SQL (hourly)")).anyMatch(d -> d.startsWith("only in the barometer (hourly)"));
            }
        }
    }
}
