package org.cohesionbarometer.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.cohesionbarometer.schemas.indicator.ActivityGroupCell;
import org.cohesionbarometer.schemas.indicator.CityIndicators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two cities' days of the same date are two rows, each published for its own city. */
class CityDaysApartIT {
    private static final Instant DAY = Instant.parse("2026-11-14T00:00:00Z");

    @RegisterExtension
    static final MigratedDatabase database = new MigratedDatabase("city_daily", "city_attendance_daily");

    private static CityIndicators day(String city, long people, double theil) {
        return CityIndicators.newBuilder().setCity(city).setWindowStart(DAY).setWindowEnd(DAY.plus(Duration.ofDays(1)))
                .setHeadcount(people).setK(10).setIsFinal(true).setTheil(theil).setMultigroupDissimilarity(theil / 2)
                .setAttendance(List.of(new ActivityGroupCell("choir", "A", people))).build();
    }

    @Test
    void twoCitiesDaysOfOneDateAreStoredAndPublishedApart() throws SQLException {
        try (Connection db = database.postgres().connect()) {
            db.setAutoCommit(false);
            CityTable.upsert(db, List.of(day("Riverton", 40, 0.3), day("Lakeside", 25, 0.1)));
            CityTable.upsert(db, List.of(day("Riverton", 41, 0.31))); // a later update of one city leaves the other alone
            db.commit();
        }
        assertThat(database.postgres().queryForStrings(
                "SELECT city || ' ' || headcount FROM city_daily ORDER BY city"))
                .containsExactly("Lakeside 25", "Riverton 41");
        assertThat(database.postgres().queryForStrings(
                "SELECT city || ' ' || sum(headcount) FROM city_attendance_daily GROUP BY city ORDER BY city"))
                .containsExactly("Lakeside 25", "Riverton 41");
        assertThat(database.postgres().queryForStrings(
                "SELECT city || ' ' || visits || ' ' || theil FROM published_city_segregation_daily ORDER BY city"))
                .containsExactly("Lakeside 25 0.1", "Riverton 41 0.31");
    }
}
