package org.cohesionbarometer.sink;

import static org.cohesionbarometer.sink.IndicatorTable.bind;
import static org.cohesionbarometer.sink.IndicatorTable.column;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cohesionbarometer.schemas.indicator.ActivityGroupCell;
import org.cohesionbarometer.schemas.indicator.CityIndicators;

/**
 * Writes each city's days the way {@link IndicatorTable} writes windows: one multi-row {@link Upsert}
 * per table, keyed by city and day, so that two cities' days never meet in one row.
 */
public final class CityTable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Upsert DAYS = new Upsert("city_daily", """
            SELECT city, window_start, window_end, headcount, is_final, suppression_k,
                   coalesce(string_to_array(nullif(withheld, ''), ','), '{}') AS withheld, theil, gini_simpson, evenness,
                   dissimilarity::jsonb AS dissimilarity, multigroup_dissimilarity, now() AS updated_at
              FROM unnest(?::text[], ?::timestamptz[], ?::timestamptz[], ?::bigint[], ?::boolean[], ?::int[], ?::text[],
                          ?::float8[], ?::float8[], ?::float8[], ?::text[], ?::float8[])
                AS u(city, window_start, window_end, headcount, is_final, suppression_k, withheld, theil, gini_simpson,
                     evenness, dissimilarity, multigroup_dissimilarity)
            """, List.of("city", "window_start"), List.of("city", "window_start", "window_end", "headcount", "is_final", "suppression_k",
            "withheld", "theil", "gini_simpson", "evenness", "dissimilarity", "multigroup_dissimilarity", "updated_at"),
            List.of("headcount"));
    private static final Upsert ATTENDANCE = new Upsert("city_attendance_daily", """
            SELECT * FROM unnest(?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::bigint[])
                AS u(city, window_start, activity_id, group_code, headcount)
            """, List.of("city", "window_start", "activity_id", "group_code"),
            List.of("city", "window_start", "activity_id", "group_code", "headcount"), List.of("headcount"));

    private record Cell(CityIndicators day, ActivityGroupCell cell) {
    }

    public static void upsert(Connection db, List<CityIndicators> days) throws SQLException {
        if (days.isEmpty()) {
            return;
        }
        Upsert.Batch batch = new Upsert.Batch(db).add(DAYS, st -> bind(db, st, days,
                    column("text", CityIndicators::getCity),
                    column("text", d -> d.getWindowStart().toString()),
                    column("text", d -> d.getWindowEnd().toString()),
                    column("bigint", CityIndicators::getHeadcount),
                    column("boolean", CityIndicators::getIsFinal),
                    column("int", CityIndicators::getK),
                    column("text", d -> String.join(",", d.getWithheld())),
                    column("float8", CityIndicators::getTheil),
                    column("float8", CityIndicators::getGiniSimpson),
                    column("float8", CityIndicators::getEvenness),
                    column("text", CityTable::dissimilarityJson),
                    column("float8", CityIndicators::getMultigroupDissimilarity)));
        List<Cell> cells = new ArrayList<>();
        days.forEach(d -> d.getAttendance().forEach(c -> cells.add(new Cell(d, c))));
        if (!cells.isEmpty()) {
            batch.add(ATTENDANCE, st -> bind(db, st, cells,
                    column("text", c -> c.day().getCity()),
                    column("text", c -> c.day().getWindowStart().toString()),
                    column("text", c -> c.cell().getActivityId()),
                    column("text", c -> c.cell().getGroupCode()),
                    column("bigint", c -> c.cell().getHeadcount())));
        }
        batch.write();
    }

    private static String dissimilarityJson(CityIndicators day) {
        try {
            return JSON.writeValueAsString(day.getDissimilarity().stream()
                    .map(d -> Map.of("groupA", d.getGroupA(), "groupB", d.getGroupB(), "index", d.getIndex())).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private CityTable() {
    }
}
