package org.cohesionbarometer.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.cohesionbarometer.infra.InJvmPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The migrated schema on a real PostgreSQL: exact rollups, suppressed views, the dashboards' role. */
class RollupsAndPublishedViewsIT {
    private static InJvmPostgres postgres;

    @BeforeAll
    static void twoHoursOfTwoNeighbourhoods() throws Exception {
        postgres = InJvmPostgres.startTemporary();
        Migrations.apply(postgres.jdbcUrl(), postgres.user(), postgres.password());
        try (Connection c = connect()) {
            c.createStatement().execute("""
                    INSERT INTO neighbourhood_hourly (neighbourhood_id, window_start, window_end, check_ins, headcount,
                        contacts, cross_group_contacts, sentiment_taps, last_event_time, gini_simpson) VALUES
                      ('north', '2026-03-14T09:00:00Z', '2026-03-14T10:00:00Z', 10, 10, 6, 2, 4, '2026-03-14T09:50:00Z', 0.32),
                      ('north', '2026-03-14T10:00:00Z', '2026-03-14T11:00:00Z', 10, 10, 6, 4, 0, '2026-03-14T10:50:00Z', 0.32),
                      ('south', '2026-03-14T09:00:00Z', '2026-03-14T10:00:00Z', 6, 6, 2, 1, 0, '2026-03-14T09:30:00Z', null);
                    INSERT INTO neighbourhood_group_hourly (neighbourhood_id, window_start, group_code, headcount) VALUES
                      ('north', '2026-03-14T09:00:00Z', 'A', 8), ('north', '2026-03-14T09:00:00Z', 'B', 2),
                      ('north', '2026-03-14T10:00:00Z', 'A', 2), ('north', '2026-03-14T10:00:00Z', 'B', 8),
                      ('south', '2026-03-14T09:00:00Z', 'A', 5), ('south', '2026-03-14T09:00:00Z', '?', 1);
                    INSERT INTO neighbourhood_mixing_hourly (neighbourhood_id, window_start, group_a, group_b, contacts) VALUES
                      ('north', '2026-03-14T09:00:00Z', 'A', 'A', 4), ('north', '2026-03-14T09:00:00Z', 'A', 'B', 2),
                      ('north', '2026-03-14T10:00:00Z', 'B', 'B', 2), ('north', '2026-03-14T10:00:00Z', 'A', 'B', 4);
                    INSERT INTO neighbourhood_sentiment_hourly (neighbourhood_id, window_start, question_code, scale, level, taps) VALUES
                      ('north', '2026-03-14T09:00:00Z', 'welcome', 5, 5, 3), ('north', '2026-03-14T09:00:00Z', 'welcome', 5, 3, 1);
                    """);
        }
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }

    private static double number(String sql) throws SQLException {
        try (Connection c = connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
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
    void theDailyCrossGroupShareAndSentimentIndexComeFromSummedCounts() throws Exception {
        assertThat(number("SELECT cross_group_share FROM neighbourhood_daily WHERE neighbourhood_id = 'north'"))
                .isCloseTo(6.0 / 12, within(1e-12));
        assertThat(number("SELECT sentiment_index FROM neighbourhood_sentiment_daily WHERE neighbourhood_id = 'north'"))
                .isCloseTo((3 * 100 + 50) / 4.0, within(1e-12));
    }

    @Test
    void publishedViewsWithholdWhatRestsOnFewerThanKPeople() throws Exception {
        try (Connection c = connect(); ResultSet rs = c.createStatement().executeQuery(
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
        try (Connection c = connect()) {
            c.createStatement().execute("ALTER ROLE barometer_dashboard LOGIN PASSWORD 'dashboards-only'");
        }
        try (Connection dashboard = DriverManager.getConnection(postgres.jdbcUrl(), "barometer_dashboard", "dashboards-only")) {
            try (ResultSet rs = dashboard.createStatement().executeQuery("SELECT count(*) FROM published_neighbourhood_daily")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
            assertThatThrownBy(() -> dashboard.createStatement().executeQuery("SELECT * FROM neighbourhood_group_hourly"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> dashboard.createStatement().executeQuery(
                    "SELECT * FROM neighbourhood_rollup('1 day', '2000-01-03')"))
                    .as("the unsuppressed rollup").isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
        }
    }
}
