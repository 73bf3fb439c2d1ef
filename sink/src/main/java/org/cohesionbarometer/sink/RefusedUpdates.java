package org.cohesionbarometer.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import org.apache.avro.specific.SpecificRecord;
import org.cohesionbarometer.schemas.indicator.CityIndicators;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;
import org.cohesionbarometer.schemas.indicator.SentimentCell;

/**
 * Marks the windows whose latest update the database refused (table {@code refused_updates},
 * migration V8). Without the mark a refused update is only a dead letter, and the window goes on
 * showing an earlier, partial update as if it were current; with it, the published views say since
 * when the figures are behind. A mark is cleared once an update with at least the refused one's
 * counts is stored — the same comparison the upsert makes ({@link Upsert}'s growing columns).
 */
public final class RefusedUpdates {
    private static final String MARK = """
            INSERT INTO refused_updates AS r (scope, neighbourhood_id, activity_id, window_start, window_end, is_final,
                                              growing, refused_at, source_topic, reason, city)
            VALUES (?, ?, ?, ?, ?, ?, ?, now(), ?, ?, ?)
            ON CONFLICT (scope, city, neighbourhood_id, activity_id, window_start) DO UPDATE SET
                window_end = EXCLUDED.window_end, is_final = r.is_final OR EXCLUDED.is_final,
                growing = greatest(r.growing, EXCLUDED.growing), refused_at = EXCLUDED.refused_at,
                source_topic = EXCLUDED.source_topic, reason = EXCLUDED.reason
            """;
    private static final String CLEAR_CAUGHT_UP = """
            DELETE FROM refused_updates r
             USING neighbourhood_hourly h
             WHERE r.scope = 'neighbourhood-hour' AND (h.neighbourhood_id, h.activity_id, h.window_start)
                   = (r.neighbourhood_id, r.activity_id, r.window_start)
               AND h.check_ins + h.contacts + h.sentiment_taps >= r.growing
            """;
    private static final String CLEAR_CAUGHT_UP_DAYS = """
            DELETE FROM refused_updates r
             USING city_daily d
             WHERE r.scope = 'city-day' AND d.city = r.city AND d.window_start = r.window_start AND d.headcount >= r.growing
            """;

    /** Marks the update's window as refused, with the first line of the database's reason. */
    public static void mark(Connection db, SpecificRecord update, String sourceTopic, String reason) throws SQLException {
        try (PreparedStatement st = db.prepareStatement(MARK)) {
            if (update instanceof NeighbourhoodIndicators w) {
                st.setString(1, "neighbourhood-hour");
                st.setString(2, w.getNeighbourhoodId());
                st.setString(3, w.getActivityId() == null ? "" : w.getActivityId());
                st.setTimestamp(4, Timestamp.from(w.getWindowStart()));
                st.setTimestamp(5, Timestamp.from(w.getWindowEnd()));
                st.setBoolean(6, w.getIsFinal());
                st.setLong(7, w.getCheckIns() + w.getContacts()
                        + w.getSentiment().stream().mapToLong(SentimentCell::getTaps).sum());
                st.setString(10, "");
            } else {
                CityIndicators d = (CityIndicators) update;
                st.setString(1, "city-day");
                st.setString(2, "");
                st.setString(3, "");
                st.setTimestamp(4, Timestamp.from(d.getWindowStart()));
                st.setTimestamp(5, Timestamp.from(d.getWindowEnd()));
                st.setBoolean(6, d.getIsFinal());
                st.setLong(7, d.getHeadcount());
                st.setString(10, d.getCity());
            }
            st.setString(8, sourceTopic);
            st.setString(9, firstLine(reason));
            st.executeUpdate();
        }
    }

    /** Clears the marks of windows that have since stored an update with at least the refused one's counts. */
    public static void clearCaughtUp(Connection db) throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute(CLEAR_CAUGHT_UP);
            st.execute(CLEAR_CAUGHT_UP_DAYS);
        }
    }

    /** The error without its detail, which quotes the refused row's values (small counts among them). */
    static String firstLine(String reason) {
        String line = reason == null ? "unknown" : reason.strip().lines().findFirst().orElse("unknown");
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    private RefusedUpdates() {
    }
}
