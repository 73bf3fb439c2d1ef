package org.cohesionbarometer.sink;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.cohesionbarometer.schemas.indicator.MixingCell;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;
import org.cohesionbarometer.schemas.indicator.SentimentCell;

/**
 * Writes window statistics with one multi-row upsert per table: the rows travel as arrays and
 * are spread by {@code unnest}, so a batch of any size is four statements and one round trip each.
 * Counts within a window only grow, so an update never replaces a row with smaller counts: an
 * out-of-order replay cannot move a window backwards.
 */
final class IndicatorTable {

    private static final String UPSERT_WINDOWS = """
            INSERT INTO neighbourhood_hourly AS t (neighbourhood_id, window_start, window_end, check_ins, headcount,
                contacts, cross_group_contacts, sentiment_taps, last_event_time, updated_at)
            SELECT u.*, now() FROM unnest(?::text[], ?::timestamptz[], ?::timestamptz[], ?::bigint[], ?::bigint[],
                ?::bigint[], ?::bigint[], ?::bigint[], ?::timestamptz[]) AS u
            ON CONFLICT (neighbourhood_id, window_start) DO UPDATE SET
                window_end = EXCLUDED.window_end, check_ins = EXCLUDED.check_ins, headcount = EXCLUDED.headcount,
                contacts = EXCLUDED.contacts, cross_group_contacts = EXCLUDED.cross_group_contacts,
                sentiment_taps = EXCLUDED.sentiment_taps, last_event_time = EXCLUDED.last_event_time, updated_at = now()
            WHERE t.check_ins + t.contacts + t.sentiment_taps <= EXCLUDED.check_ins + EXCLUDED.contacts + EXCLUDED.sentiment_taps
            """;
    private static final String UPSERT_GROUPS = """
            INSERT INTO neighbourhood_group_hourly AS t (neighbourhood_id, window_start, group_code, headcount)
            SELECT * FROM unnest(?::text[], ?::timestamptz[], ?::text[], ?::bigint[])
            ON CONFLICT (neighbourhood_id, window_start, group_code) DO UPDATE SET headcount = EXCLUDED.headcount
            WHERE t.headcount <= EXCLUDED.headcount
            """;
    private static final String UPSERT_MIXING = """
            INSERT INTO neighbourhood_mixing_hourly AS t (neighbourhood_id, window_start, group_a, group_b, contacts)
            SELECT * FROM unnest(?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::bigint[])
            ON CONFLICT (neighbourhood_id, window_start, group_a, group_b) DO UPDATE SET contacts = EXCLUDED.contacts
            WHERE t.contacts <= EXCLUDED.contacts
            """;
    private static final String UPSERT_SENTIMENT = """
            INSERT INTO neighbourhood_sentiment_hourly AS t (neighbourhood_id, window_start, question_code, scale, level, taps)
            SELECT * FROM unnest(?::text[], ?::timestamptz[], ?::text[], ?::int[], ?::int[], ?::bigint[])
            ON CONFLICT (neighbourhood_id, window_start, question_code, scale, level) DO UPDATE SET taps = EXCLUDED.taps
            WHERE t.taps <= EXCLUDED.taps
            """;

    private record GroupRow(NeighbourhoodIndicators w, String group, long headcount) {
    }

    private record MixingRow(NeighbourhoodIndicators w, MixingCell cell) {
    }

    private record SentimentRow(NeighbourhoodIndicators w, SentimentCell cell) {
    }

    /** Upserts the windows in the connection's current transaction. */
    static void upsert(Connection db, List<NeighbourhoodIndicators> windows) throws SQLException {
        try (PreparedStatement st = db.prepareStatement(UPSERT_WINDOWS)) {
            bind(db, st, windows,
                    column("text", w -> w.getNeighbourhoodId()),
                    column("text", w -> w.getWindowStart().toString()),
                    column("text", w -> w.getWindowEnd().toString()),
                    column("bigint", NeighbourhoodIndicators::getCheckIns),
                    column("bigint", NeighbourhoodIndicators::getHeadcount),
                    column("bigint", NeighbourhoodIndicators::getContacts),
                    column("bigint", NeighbourhoodIndicators::getCrossGroupContacts),
                    column("bigint", w -> w.getSentiment().stream().mapToLong(SentimentCell::getTaps).sum()),
                    column("text", w -> w.getLastEventTime().toString()));
            st.executeUpdate();
        }
        List<GroupRow> groups = new ArrayList<>();
        List<MixingRow> mixing = new ArrayList<>();
        List<SentimentRow> sentiment = new ArrayList<>();
        for (NeighbourhoodIndicators w : windows) {
            w.getGroupHeadcounts().forEach((group, count) -> groups.add(new GroupRow(w, group, count)));
            w.getMixing().forEach(cell -> mixing.add(new MixingRow(w, cell)));
            w.getSentiment().forEach(cell -> sentiment.add(new SentimentRow(w, cell)));
        }
        if (!groups.isEmpty()) {
            try (PreparedStatement st = db.prepareStatement(UPSERT_GROUPS)) {
                bind(db, st, groups,
                        column("text", r -> r.w().getNeighbourhoodId()),
                        column("text", r -> r.w().getWindowStart().toString()),
                        column("text", GroupRow::group),
                        column("bigint", GroupRow::headcount));
                st.executeUpdate();
            }
        }
        if (!mixing.isEmpty()) {
            try (PreparedStatement st = db.prepareStatement(UPSERT_MIXING)) {
                bind(db, st, mixing,
                        column("text", r -> r.w().getNeighbourhoodId()),
                        column("text", r -> r.w().getWindowStart().toString()),
                        column("text", r -> r.cell().getGroupA()),
                        column("text", r -> r.cell().getGroupB()),
                        column("bigint", r -> r.cell().getContacts()));
                st.executeUpdate();
            }
        }
        if (!sentiment.isEmpty()) {
            try (PreparedStatement st = db.prepareStatement(UPSERT_SENTIMENT)) {
                bind(db, st, sentiment,
                        column("text", r -> r.w().getNeighbourhoodId()),
                        column("text", r -> r.w().getWindowStart().toString()),
                        column("text", r -> r.cell().getQuestionCode()),
                        column("int", r -> r.cell().getScale()),
                        column("int", r -> r.cell().getLevel()),
                        column("bigint", r -> r.cell().getTaps()));
                st.executeUpdate();
            }
        }
    }

    private record Column<R>(String sqlType, Function<R, Object> value) {
    }

    private static <R> Column<R> column(String sqlType, Function<R, Object> value) {
        return new Column<>(sqlType, value);
    }

    @SafeVarargs
    private static <R> void bind(Connection db, PreparedStatement st, List<R> rows, Column<R>... columns)
            throws SQLException {
        for (int c = 0; c < columns.length; c++) {
            Object[] values = new Object[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                values[r] = columns[c].value().apply(rows.get(r));
            }
            Array array = db.createArrayOf(columns[c].sqlType(), values);
            st.setArray(c + 1, array);
        }
    }

    private IndicatorTable() {
    }
}
