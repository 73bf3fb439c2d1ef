package org.cohesionbarometer.sink;

import static org.cohesionbarometer.sink.IndicatorTable.bind;
import static org.cohesionbarometer.sink.IndicatorTable.column;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cohesionbarometer.schemas.indicator.ActivityGroupCell;
import org.cohesionbarometer.schemas.indicator.CityIndicators;

/** Writes the city's days the way {@link IndicatorTable} writes windows: one multi-row upsert per table. */
final class CityTable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String UPSERT_DAYS = """
            INSERT INTO city_daily AS t (window_start, window_end, headcount, is_final, suppression_k, withheld, theil,
                gini_simpson, evenness, dissimilarity, updated_at)
            SELECT ws, we, hc, fin, k, coalesce(string_to_array(nullif(w, ''), ','), '{}'), th, gs, ev, d::jsonb, now()
              FROM unnest(?::timestamptz[], ?::timestamptz[], ?::bigint[], ?::boolean[], ?::int[], ?::text[],
                          ?::float8[], ?::float8[], ?::float8[], ?::text[]) AS u(ws, we, hc, fin, k, w, th, gs, ev, d)
            ON CONFLICT (window_start) DO UPDATE SET window_end = EXCLUDED.window_end, headcount = EXCLUDED.headcount,
                is_final = EXCLUDED.is_final, suppression_k = EXCLUDED.suppression_k, withheld = EXCLUDED.withheld,
                theil = EXCLUDED.theil, gini_simpson = EXCLUDED.gini_simpson, evenness = EXCLUDED.evenness,
                dissimilarity = EXCLUDED.dissimilarity, updated_at = now()
            WHERE t.headcount <= EXCLUDED.headcount
            """;
    private static final String UPSERT_ATTENDANCE = """
            INSERT INTO city_attendance_daily AS t (window_start, activity_id, group_code, headcount)
            SELECT * FROM unnest(?::timestamptz[], ?::text[], ?::text[], ?::bigint[])
            ON CONFLICT (window_start, activity_id, group_code) DO UPDATE SET headcount = EXCLUDED.headcount
            WHERE t.headcount <= EXCLUDED.headcount
            """;

    private record Cell(CityIndicators day, ActivityGroupCell cell) {
    }

    static void upsert(Connection db, List<CityIndicators> days) throws SQLException {
        if (days.isEmpty()) {
            return;
        }
        try (PreparedStatement st = db.prepareStatement(UPSERT_DAYS)) {
            bind(db, st, days,
                    column("text", d -> d.getWindowStart().toString()),
                    column("text", d -> d.getWindowEnd().toString()),
                    column("bigint", CityIndicators::getHeadcount),
                    column("boolean", CityIndicators::getIsFinal),
                    column("int", CityIndicators::getK),
                    column("text", d -> String.join(",", d.getWithheld())),
                    column("float8", CityIndicators::getTheil),
                    column("float8", CityIndicators::getGiniSimpson),
                    column("float8", CityIndicators::getEvenness),
                    column("text", CityTable::dissimilarityJson));
            st.executeUpdate();
        }
        List<Cell> cells = new ArrayList<>();
        days.forEach(d -> d.getAttendance().forEach(c -> cells.add(new Cell(d, c))));
        if (!cells.isEmpty()) {
            try (PreparedStatement st = db.prepareStatement(UPSERT_ATTENDANCE)) {
                bind(db, st, cells,
                        column("text", c -> c.day().getWindowStart().toString()),
                        column("text", c -> c.cell().getActivityId()),
                        column("text", c -> c.cell().getGroupCode()),
                        column("bigint", c -> c.cell().getHeadcount()));
                st.executeUpdate();
            }
        }
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
