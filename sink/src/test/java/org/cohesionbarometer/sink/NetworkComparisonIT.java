package org.cohesionbarometer.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The network comparison, on a fixture whose answer is known: four cities take part (one of them
 * with too few people to publish), one does not. Every city's figure is its published hours'
 * headcount-weighted mean, and the network's distribution is that of the cities taking part.
 */
class NetworkComparisonIT {
    @RegisterExtension
    static final MigratedDatabase database = new MigratedDatabase("neighbourhood_hourly", "neighbourhoods", "cities",
            "reference_values");

    @BeforeEach
    void fiveCities() throws SQLException {
        try (Connection db = database.postgres().connect(); Statement st = db.createStatement()) {
            st.execute("""
                    INSERT INTO cities (id, name, in_network) VALUES
                        ('Alpha', 'Alpha', true), ('Beta', 'Beta', true), ('Gamma', 'Gamma', true),
                        ('Epsilon', 'Epsilon', true), ('Delta', 'Delta', false);
                    INSERT INTO neighbourhoods (id, name, city) VALUES
                        ('a1', 'A one', 'Alpha'), ('a2', 'A two', 'Alpha'), ('b1', 'B one', 'Beta'),
                        ('g1', 'G one', 'Gamma'), ('d1', 'D one', 'Delta'), ('e1', 'E one', 'Epsilon')""");
            // Alpha: 30 people at 70 and 20 at 45 -> (2100 + 900) / 50 = 60
            hour(st, "a1", "2026-11-10T18:00:00Z", 30, 70, 0.5);
            hour(st, "a2", "2026-11-10T18:00:00Z", 20, 45, 0.3);
            hour(st, "b1", "2026-11-10T18:00:00Z", 25, 40, 0.2);
            hour(st, "g1", "2026-11-10T18:00:00Z", 40, 50, 0.4);
            hour(st, "d1", "2026-11-10T18:00:00Z", 40, 90, 0.9);  // not in the network
            hour(st, "e1", "2026-11-10T18:00:00Z", 5, 99, 0.9);   // fewer than k = 10 people: withheld
        }
    }

    private static void hour(Statement st, String hood, String start, int people, double index, double crossShare)
            throws SQLException {
        st.execute(("INSERT INTO neighbourhood_hourly (neighbourhood_id, window_start, window_end, check_ins, headcount, "
                + "contacts, cross_group_contacts, sentiment_taps, last_event_time, is_final, suppression_k, cohesion_index, "
                + "cross_group_share) VALUES ('%s', '%s', timestamptz '%s' + interval '1 hour', %d, %d, 20, %d, 0, '%s', true, 10, "
                + "%s, %s)").formatted(hood, start, start, people, people, Math.round(20 * crossShare), start, index, crossShare));
    }

    private static List<String> comparison(String period, String indicator) throws SQLException {
        return database.postgres().queryForStrings("""
                SELECT city || ' ' || round(value::numeric, 2) || ' rank ' || rank || '/' || network_cities
                       || ' median ' || round(median::numeric, 2) || ' quartiles ' || round(lower_quartile::numeric, 2)
                       || '-' || round(upper_quartile::numeric, 2)
                  FROM published_network_comparison
                 WHERE period = '%s' AND indicator = '%s' AND basis = 'computed' ORDER BY rank""".formatted(period, indicator));
    }

    @Test
    void theCitiesTakingPartAreRankedAgainstTheirMedianAndQuartiles() throws SQLException {
        assertThat(comparison("month", "cohesion_index")).containsExactly(
                "Alpha 60.00 rank 1/3 median 50.00 quartiles 45.00-55.00",
                "Gamma 50.00 rank 2/3 median 50.00 quartiles 45.00-55.00",
                "Beta 40.00 rank 3/3 median 50.00 quartiles 45.00-55.00");
        assertThat(comparison("week", "cohesion_index")).as("the week of 9 November holds the same hour")
                .hasSize(3).first().asString().startsWith("Alpha 60.00 rank 1/3");
        assertThat(comparison("month", "mixing")).as("a component, ranked the same way: Alpha (0.5·30 + 0.3·20)/50 = 0.42")
                .containsExactly("Alpha 0.42 rank 1/3 median 0.40 quartiles 0.30-0.41",
                        "Gamma 0.40 rank 2/3 median 0.40 quartiles 0.30-0.41",
                        "Beta 0.20 rank 3/3 median 0.40 quartiles 0.30-0.41");
    }

    @Test
    void aCityThatDoesNotTakePartOrPublishesTooLittleIsNeitherRankedNorCounted() throws SQLException {
        assertThat(database.postgres().queryForStrings(
                "SELECT DISTINCT city FROM published_network_comparison WHERE basis = 'computed'"))
                .containsExactlyInAnyOrder("Alpha", "Beta", "Gamma");
        assertThat(database.postgres().queryForStrings("""
                SELECT coalesce(cohesion_index::text, 'withheld: ' || array_to_string(withheld, ','))
                  FROM published_period_figures WHERE city = 'Epsilon' AND neighbourhood_id = '' AND period = 'month'"""))
                .containsExactly("withheld: headcount");
    }

    @Test
    void aCitysFigureCarriesItsIntervalFromHowMuchItsHoursDiffer() throws SQLException {
        // two hours, weights 30 and 20, deviations +10 and -15: se = sqrt(2 · (900·100 + 400·225)) / 50 = 12
        assertThat(database.postgres().queryForStrings("""
                SELECT round(cohesion_index::numeric, 2) || ' ' || round(cohesion_index_lower95::numeric, 2) || '-'
                       || round(cohesion_index_upper95::numeric, 2) || ' people ' || people
                  FROM published_period_figures WHERE city = 'Alpha' AND neighbourhood_id = '' AND period = 'month'"""))
                .containsExactly("60.00 36.48-83.52 people 50");
    }

    @Test
    void handEnteredReferenceValuesStandBesideEveryCityLabelledAsSuch() throws SQLException {
        try (Connection db = database.postgres().connect(); Statement st = db.createStatement()) {
            st.execute("INSERT INTO reference_values (indicator, scope, value, source, as_of) "
                    + "VALUES ('cohesion_index', 'network', 55, 'ICC index survey', '2026-06-30')");
        }
        assertThat(database.postgres().queryForStrings("""
                SELECT city || ' ' || median || ' ' || source FROM published_network_comparison
                 WHERE basis = 'hand-entered' AND period = 'month' ORDER BY city"""))
                .containsExactly("Alpha 55 ICC index survey (as of 2026-06-30)", "Beta 55 ICC index survey (as of 2026-06-30)",
                        "Delta 55 ICC index survey (as of 2026-06-30)", "Gamma 55 ICC index survey (as of 2026-06-30)");
    }

    @Test
    void theDashboardRoleReadsTheComparison() throws SQLException {
        try (Connection db = database.postgres().connect(); Statement st = db.createStatement()) {
            st.execute("SET ROLE barometer_dashboard");
            try (var rs = st.executeQuery("SELECT count(*) FROM published_network_comparison")) {
                rs.next();
                assertThat(rs.getLong(1)).isPositive();
            }
            try (var rs = st.executeQuery("SELECT count(*) FROM published_period_figures")) {
                rs.next();
                assertThat(rs.getLong(1)).isPositive();
            }
        }
    }
}
