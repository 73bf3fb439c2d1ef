package org.cohesionbarometer.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The migrated schema on a real database — plain PostgreSQL, TimescaleDB in PGlite, or the official
 * TimescaleDB image — must answer the same: rollups exact, published views suppressed, the
 * dashboards' role confined to them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RollupsSpecification {

    /** Where the database is: JDBC URL, user, password. */
    record Database(String jdbcUrl, String user, String password) {
        Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl, user, password);
        }
    }

    /** The database under test, started. */
    abstract Database database();

    /** Brings the rollups up to date with the hourly rows (TimescaleDB: what its refresh policy does). */
    void refreshRollups(Connection db) throws SQLException {
    }

    @BeforeAll
    void twoHoursOfTwoNeighbourhoods() throws Exception {
        Migrations.apply(database().jdbcUrl(), database().user(), database().password());
        try (Connection c = database().connect(); Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO neighbourhood_hourly (neighbourhood_id, window_start, window_end, check_ins, headcount,
                        contacts, cross_group_contacts, sentiment_taps, last_event_time, gini_simpson) VALUES
                      ('north', '2026-03-14T09:00:00Z', '2026-03-14T10:00:00Z', 10, 10, 6, 2, 4, '2026-03-14T09:50:00Z', 0.32),
                      ('north', '2026-03-14T10:00:00Z', '2026-03-14T11:00:00Z', 10, 10, 6, 4, 0, '2026-03-14T10:50:00Z', 0.32),
                      ('south', '2026-03-14T09:00:00Z', '2026-03-14T10:00:00Z', 6, 6, 2, 1, 0, '2026-03-14T09:30:00Z', null)""");
            s.execute("""
                    INSERT INTO neighbourhood_group_hourly (neighbourhood_id, window_start, group_code, headcount) VALUES
                      ('north', '2026-03-14T09:00:00Z', 'A', 8), ('north', '2026-03-14T09:00:00Z', 'B', 2),
                      ('north', '2026-03-14T10:00:00Z', 'A', 2), ('north', '2026-03-14T10:00:00Z', 'B', 8),
                      ('south', '2026-03-14T09:00:00Z', 'A', 5), ('south', '2026-03-14T09:00:00Z', '?', 1)""");
            s.execute("""
                    INSERT INTO neighbourhood_mixing_hourly (neighbourhood_id, window_start, group_a, group_b, contacts) VALUES
                      ('north', '2026-03-14T09:00:00Z', 'A', 'A', 4), ('north', '2026-03-14T09:00:00Z', 'A', 'B', 2),
                      ('north', '2026-03-14T10:00:00Z', 'B', 'B', 2), ('north', '2026-03-14T10:00:00Z', 'A', 'B', 4)""");
            s.execute("""
                    INSERT INTO neighbourhood_sentiment_hourly (neighbourhood_id, window_start, question_code, scale, level, taps) VALUES
                      ('north', '2026-03-14T09:00:00Z', 'welcome', 5, 5, 3), ('north', '2026-03-14T09:00:00Z', 'welcome', 5, 3, 1)""");
            refreshRollups(c);
        }
    }

    double number(String sql) throws SQLException {
        try (Connection c = database().connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getDouble(1);
        }
    }

    @Test
    void theDailyRollupRecomputesDiversityFromSummedCountsNotByAveragingHours() throws Exception {
        // Hours: {A 8, B 2} and {A 2, B 8}, each Gini-Simpson 0.32; the day {A 10, B 10} is 0.5.
        double daily = number("SELECT gini_simpson FROM neighbourhood_daily WHERE neighbourhood_id = 'north'");
        double meanOfHours = number("SELECT avg(gini_simpson) FROM neighbourhood_hourly WHERE neighbourhood_id = 'north'");

        assertThat(daily).isCloseTo(0.5, within(1e-12));
        assertThat(meanOfHours).isCloseTo(0.32, within(1e-12));
        assertThat(number("SELECT gini_simpson_unbiased FROM neighbourhood_daily WHERE neighbourhood_id = 'north'"))
                .isCloseTo(1 - (90.0 + 90) / (20 * 19), within(1e-12));
        assertThat(number("SELECT evenness FROM neighbourhood_daily WHERE neighbourhood_id = 'north'")).isCloseTo(1.0, within(1e-12));
        assertThat(number("SELECT check_ins FROM neighbourhood_weekly WHERE neighbourhood_id = 'north'")).isEqualTo(20);
    }

    @Test
    void daysStartAtMidnightUtcAndWeeksOnMonday() throws Exception {
        assertThat(number("SELECT count(*) FROM neighbourhood_daily WHERE bucket_start = '2026-03-14T00:00:00Z'")).isEqualTo(2);
        // 2026-03-14 is a Saturday; its week began on Monday 2026-03-09.
        assertThat(number("SELECT count(*) FROM neighbourhood_weekly WHERE bucket_start = '2026-03-09T00:00:00Z'")).isEqualTo(2);
    }

    @Test
    void theDailyCrossGroupShareAndSentimentIndexComeFromSummedCounts() throws Exception {
        assertThat(number("SELECT cross_group_share FROM neighbourhood_daily WHERE neighbourhood_id = 'north'"))
                .isCloseTo(6.0 / 12, within(1e-12));
        assertThat(number("SELECT sentiment_index FROM neighbourhood_sentiment_daily WHERE neighbourhood_id = 'north'"))
                .isCloseTo((3 * 100 + 50) / 4.0, within(1e-12));
    }

    @Test
    void publishedViewsWithholdWhatRestsOnFewerThanKPeople() throws Exception {
        try (Connection c = database().connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT headcount, gini_simpson, withheld FROM published_neighbourhood_daily WHERE neighbourhood_id = 'south'")) {
            rs.next();
            assertThat(rs.getObject("headcount")).isNull();
            assertThat(rs.getObject("gini_simpson")).isNull();
            assertThat((String[]) rs.getArray("withheld").getArray()).contains("headcount", "diversity", "mixing");
        }
        assertThat(number("SELECT headcount FROM published_neighbourhood_daily WHERE neighbourhood_id = 'north'")).isEqualTo(20);
    }

    @Test
    void theDashboardRoleReadsThePublishedViewsAndNothingElse() throws Exception {
        try (Connection dashboard = database().connect()) {
            dashboard.setAutoCommit(false); // SET ROLE lasts for this transaction only
            dashboard.createStatement().execute("SET LOCAL ROLE barometer_dashboard");
            try (ResultSet rs = dashboard.createStatement().executeQuery(
                    "SELECT count(*) FROM published_neighbourhood_weekly WHERE neighbourhood_id IN ('north', 'south')")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
            for (String unpublished : new String[] {"neighbourhood_group_hourly", "neighbourhood_daily", "neighbourhood_counts_daily"}) {
                dashboard.createStatement().execute("SAVEPOINT probe");
                assertThatThrownBy(() -> dashboard.createStatement().executeQuery("SELECT * FROM " + unpublished))
                        .as(unpublished).isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
                dashboard.createStatement().execute("ROLLBACK TO SAVEPOINT probe");
            }
            dashboard.rollback();
        }
    }
}
