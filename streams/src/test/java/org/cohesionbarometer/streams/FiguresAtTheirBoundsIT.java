package org.cohesionbarometer.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cohesionbarometer.schemas.SmallCells;
import org.cohesionbarometer.schemas.indicator.ActivityGroupCell;
import org.cohesionbarometer.schemas.indicator.CityIndicators;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;
import org.cohesionbarometer.sink.CityTable;
import org.cohesionbarometer.sink.IndicatorTable;
import org.cohesionbarometer.sink.MigratedDatabase;
import org.cohesionbarometer.streams.indicators.CityDay;
import org.cohesionbarometer.streams.indicators.CohesionIndex;
import org.cohesionbarometer.streams.indicators.WindowIndicators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Figures that sit exactly at an end of their range — evenness 1, Theil's H 0 — computed by the
 * real formulas and written by the sink's real upsert: rounding must not make the database refuse
 * them and leave an earlier, partial update standing (issue #22).
 */
class FiguresAtTheirBoundsIT {
    private static final Instant SIX_PM = Instant.parse("2026-03-14T18:00:00Z");
    private static final Instant DAY = Instant.parse("2026-03-14T00:00:00Z");
    private static final SmallCells K10 = new SmallCells(10);
    private static final WindowIndicators INDICATORS = new WindowIndicators(K10, CohesionIndex.EQUAL_WEIGHTS);

    @RegisterExtension
    static final MigratedDatabase database = new MigratedDatabase(
            "neighbourhood_hourly", "neighbourhood_group_hourly", "city_daily", "city_attendance_daily");

    @Test
    void fiveEqualGroupsAreStoredWithEvennessOneAndTheIndexAtOneHundred() throws SQLException {
        // No tokens, no contacts, no taps: participation and mixing are withheld, the index is evenness alone.
        writeWindows(window(null, Map.of("A", 2L, "B", 1L, "C", 1L, "D", 1L, "E", 1L)),
                window("cafe", Map.of("A", 2L, "B", 1L, "C", 1L, "D", 1L, "E", 1L)));
        Map<String, Long> fiveEqual = Map.of("A", 10L, "B", 10L, "C", 10L, "D", 10L, "E", 10L);
        writeWindows(window(null, fiveEqual), window("cafe", fiveEqual));

        assertThat(database.postgres().queryForStrings("""
                SELECT activity_id || '|' || headcount || '|' || evenness || '|' || cohesion_index
                  FROM neighbourhood_hourly ORDER BY activity_id"""))
                .containsExactly("|50|1|100", "cafe|50|1|100");
    }

    @Test
    void fourEqualGroupsAreStoredWithEvennessOneAsBefore() throws SQLException {
        writeWindows(window(null, Map.of("A", 10L, "B", 10L, "C", 10L, "D", 10L)));

        assertThat(database.postgres().queryForStrings("SELECT headcount || '|' || evenness || '|' || cohesion_index FROM neighbourhood_hourly"))
                .containsExactly("40|1|100");
    }

    @Test
    void twoActivitiesInTheSameProportionsAreStoredWithTheilZero() throws SQLException {
        writeDays(day(false, cells("cafe", 5, 10, 20)));
        writeDays(day(false, cells("cafe", 10, 20, 60), cells("dinner", 40, 80, 240)),
                day(true, cells("cafe", 10, 20, 60), cells("dinner", 40, 80, 240)));

        assertThat(database.postgres().queryForStrings(
                "SELECT headcount || '|' || theil || '|' || multigroup_dissimilarity || '|' || is_final FROM city_daily"))
                .containsExactly("450|0|0|true");
        assertThat(database.postgres().queryForLong("SELECT sum(headcount) FROM city_attendance_daily")).isEqualTo(450);
    }

    private static NeighbourhoodIndicators window(String activityId, Map<String, Long> groups) {
        long people = groups.values().stream().mapToLong(Long::longValue).sum();
        NeighbourhoodIndicators counts = NeighbourhoodIndicators.newBuilder()
                .setNeighbourhoodId("north").setActivityId(activityId)
                .setWindowStart(SIX_PM).setWindowEnd(SIX_PM.plus(Duration.ofHours(1)))
                .setCheckIns(people).setHeadcount(people).setGroupHeadcounts(new HashMap<>(groups))
                .setLastEventTime(SIX_PM.plusSeconds(60))
                .build();
        counts.setIndicators(INDICATORS.derive(counts));
        return counts;
    }

    private static List<ActivityGroupCell> cells(String activity, long a, long b, long c) {
        return List.of(new ActivityGroupCell(activity, "A", a), new ActivityGroupCell(activity, "B", b),
                new ActivityGroupCell(activity, "C", c));
    }

    @SafeVarargs
    private static CityIndicators day(boolean isFinal, List<ActivityGroupCell>... activities) {
        List<ActivityGroupCell> attendance = new ArrayList<>();
        for (List<ActivityGroupCell> activity : activities) {
            activity.forEach(c -> attendance.add(ActivityGroupCell.newBuilder(c).build()));
        }
        CityIndicators day = CityIndicators.newBuilder()
                .setWindowStart(DAY).setWindowEnd(DAY.plus(Duration.ofDays(1)))
                .setHeadcount(attendance.stream().mapToLong(ActivityGroupCell::getHeadcount).sum())
                .setAttendance(attendance).setIsFinal(isFinal)
                .build();
        return CityDay.publish(day, K10);
    }

    private static void writeWindows(NeighbourhoodIndicators... windows) throws SQLException {
        try (Connection db = database.postgres().connect()) {
            db.setAutoCommit(false);
            IndicatorTable.upsert(db, List.of(windows));
            db.commit();
        }
    }

    /** Each update in its own transaction, as updates of one day arrive in successive batches. */
    private static void writeDays(CityIndicators... days) throws SQLException {
        for (CityIndicators day : days) {
            try (Connection db = database.postgres().connect()) {
                db.setAutoCommit(false);
                CityTable.upsert(db, List.of(day));
                db.commit();
            }
        }
    }
}
