package org.cohesionbarometer.sink;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cohesionbarometer.schemas.indicator.PublishedIndicators;
import org.cohesionbarometer.schemas.indicator.SentimentIndicator;
import org.cohesionbarometer.schemas.indicator.MixingCell;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;
import org.cohesionbarometer.schemas.indicator.SentimentCell;

/**
 * Writes window statistics with one multi-row {@link Upsert} per table: the rows travel as arrays
 * and are spread by {@code unnest}, so a batch of any size is four statements and one round trip each.
 */
public final class IndicatorTable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<String> WINDOW_COLUMNS = List.of("neighbourhood_id", "activity_id", "window_start",
            "window_end", "check_ins", "headcount", "contacts", "cross_group_contacts", "sentiment_taps", "last_event_time",
            "unique_participants", "first_time_participants", "sustained_participants", "is_final", "suppression_k",
            "withheld", "gini_simpson", "gini_simpson_unbiased", "shannon", "evenness", "cross_group_share",
            "assortativity", "assortativity_lower_bound", "first_time_share", "sustained_share", "cohesion_index",
            "sentiment_indicators", "partly_counted_check_ins", "updated_at");
    private static final Upsert WINDOWS = new Upsert("neighbourhood_hourly", """
            SELECT neighbourhood_id, activity_id, window_start, window_end, check_ins, headcount, contacts,
                   cross_group_contacts, sentiment_taps, last_event_time, unique_participants, first_time_participants,
                   sustained_participants, is_final, suppression_k,
                   coalesce(string_to_array(nullif(withheld, ''), ','), '{}') AS withheld, gini_simpson,
                   gini_simpson_unbiased, shannon, evenness, cross_group_share, assortativity, assortativity_lower_bound,
                   first_time_share, sustained_share, cohesion_index, sentiment_indicators::jsonb AS sentiment_indicators,
                   partly_counted_check_ins, now() AS updated_at
              FROM unnest(?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::bigint[], ?::bigint[], ?::bigint[],
                          ?::bigint[], ?::bigint[], ?::timestamptz[], ?::bigint[], ?::bigint[], ?::bigint[], ?::boolean[],
                          ?::int[], ?::text[], ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::float8[],
                          ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::text[], ?::bigint[])
                AS u(neighbourhood_id, activity_id, window_start, window_end, check_ins, headcount, contacts,
                     cross_group_contacts, sentiment_taps, last_event_time, unique_participants, first_time_participants,
                     sustained_participants, is_final, suppression_k, withheld, gini_simpson, gini_simpson_unbiased,
                     shannon, evenness, cross_group_share, assortativity, assortativity_lower_bound, first_time_share,
                     sustained_share, cohesion_index, sentiment_indicators, partly_counted_check_ins)
            """, List.of("neighbourhood_id", "activity_id", "window_start"), WINDOW_COLUMNS,
            List.of("check_ins", "contacts", "sentiment_taps"));
    private static final Upsert GROUPS = cells("neighbourhood_group_hourly", "group_code text", "headcount");
    private static final Upsert MIXING = cells("neighbourhood_mixing_hourly", "group_a text, group_b text", "contacts");
    private static final Upsert SENTIMENT = cells("neighbourhood_sentiment_hourly",
            "question_code text, scale int, level int", "taps");

    /** A table of counts per window and cell: the window's key, the cell's key columns, one count. */
    private static Upsert cells(String table, String cellKey, String count) {
        List<String> cellColumns = java.util.Arrays.stream(cellKey.split(", ")).map(c -> c.split(" ")[0]).toList();
        List<String> keys = new ArrayList<>(List.of("neighbourhood_id", "activity_id", "window_start"));
        keys.addAll(cellColumns);
        List<String> columns = new ArrayList<>(keys);
        columns.add(count);
        String types = java.util.Arrays.stream(cellKey.split(", ")).map(c -> "?::" + c.split(" ")[1] + "[]")
                .collect(java.util.stream.Collectors.joining(", "));
        return new Upsert(table, "SELECT * FROM unnest(?::text[], ?::text[], ?::timestamptz[], " + types + ", ?::bigint[]) AS u("
                + String.join(", ", columns) + ")", keys, columns, List.of(count));
    }

    private record GroupRow(NeighbourhoodIndicators w, String group, long headcount) {
    }

    private record MixingRow(NeighbourhoodIndicators w, MixingCell cell) {
    }

    private record SentimentRow(NeighbourhoodIndicators w, SentimentCell cell) {
    }

    /** Upserts the windows in the connection's current transaction. */
    public static void upsert(Connection db, List<NeighbourhoodIndicators> windows) throws SQLException {
        if (windows.isEmpty()) {
            return;
        }
        Upsert.Batch batch = new Upsert.Batch(db).add(WINDOWS, st -> bind(db, st, windows,
                    column("text", NeighbourhoodIndicators::getNeighbourhoodId),
                    column("text", IndicatorTable::activity),
                    column("text", w -> w.getWindowStart().toString()),
                    column("text", w -> w.getWindowEnd().toString()),
                    column("bigint", NeighbourhoodIndicators::getCheckIns),
                    column("bigint", NeighbourhoodIndicators::getHeadcount),
                    column("bigint", NeighbourhoodIndicators::getContacts),
                    column("bigint", NeighbourhoodIndicators::getCrossGroupContacts),
                    column("bigint", w -> w.getSentiment().stream().mapToLong(SentimentCell::getTaps).sum()),
                    column("text", w -> w.getLastEventTime().toString()),
                    column("bigint", NeighbourhoodIndicators::getUniqueParticipants),
                    column("bigint", NeighbourhoodIndicators::getFirstTimeParticipants),
                    column("bigint", NeighbourhoodIndicators::getSustainedParticipants),
                    column("boolean", NeighbourhoodIndicators::getIsFinal),
                    column("int", w -> published(w, PublishedIndicators::getK)),
                    column("text", w -> w.getIndicators() == null ? "" : String.join(",", w.getIndicators().getWithheld())),
                    column("float8", w -> published(w, PublishedIndicators::getGiniSimpson)),
                    column("float8", w -> published(w, PublishedIndicators::getGiniSimpsonUnbiased)),
                    column("float8", w -> published(w, PublishedIndicators::getShannon)),
                    column("float8", w -> published(w, PublishedIndicators::getEvenness)),
                    column("float8", w -> published(w, PublishedIndicators::getCrossGroupShare)),
                    column("float8", w -> published(w, PublishedIndicators::getAssortativity)),
                    column("float8", w -> published(w, PublishedIndicators::getAssortativityLowerBound)),
                    column("float8", w -> published(w, PublishedIndicators::getFirstTimeShare)),
                    column("float8", w -> published(w, PublishedIndicators::getSustainedShare)),
                    column("float8", w -> published(w, PublishedIndicators::getCohesionIndex)),
                    column("text", IndicatorTable::sentimentJson),
                    column("bigint", NeighbourhoodIndicators::getPartlyCountedCheckIns)));
        List<GroupRow> groups = new ArrayList<>();
        List<MixingRow> mixing = new ArrayList<>();
        List<SentimentRow> sentiment = new ArrayList<>();
        for (NeighbourhoodIndicators w : windows) {
            w.getGroupHeadcounts().forEach((group, count) -> groups.add(new GroupRow(w, group, count)));
            w.getMixing().forEach(cell -> mixing.add(new MixingRow(w, cell)));
            w.getSentiment().forEach(cell -> sentiment.add(new SentimentRow(w, cell)));
        }
        if (!groups.isEmpty()) {
            batch.add(GROUPS, st -> bind(db, st, groups,
                    column("text", r -> r.w().getNeighbourhoodId()),
                    column("text", r -> activity(r.w())),
                    column("text", r -> r.w().getWindowStart().toString()),
                    column("text", GroupRow::group),
                    column("bigint", GroupRow::headcount)));
        }
        if (!mixing.isEmpty()) {
            batch.add(MIXING, st -> bind(db, st, mixing,
                    column("text", r -> r.w().getNeighbourhoodId()),
                    column("text", r -> activity(r.w())),
                    column("text", r -> r.w().getWindowStart().toString()),
                    column("text", r -> r.cell().getGroupA()),
                    column("text", r -> r.cell().getGroupB()),
                    column("bigint", r -> r.cell().getContacts())));
        }
        if (!sentiment.isEmpty()) {
            batch.add(SENTIMENT, st -> bind(db, st, sentiment,
                    column("text", r -> r.w().getNeighbourhoodId()),
                    column("text", r -> activity(r.w())),
                    column("text", r -> r.w().getWindowStart().toString()),
                    column("text", r -> r.cell().getQuestionCode()),
                    column("int", r -> r.cell().getScale()),
                    column("int", r -> r.cell().getLevel()),
                    column("bigint", r -> r.cell().getTaps())));
        }
        batch.write();
    }

    /** '' stands for the neighbourhood as a whole. */
    private static String activity(NeighbourhoodIndicators w) {
        return w.getActivityId() == null ? "" : w.getActivityId();
    }

    private static Object published(NeighbourhoodIndicators w, Function<PublishedIndicators, Object> value) {
        return w.getIndicators() == null ? null : value.apply(w.getIndicators());
    }

    private static String sentimentJson(NeighbourhoodIndicators w) {
        if (w.getIndicators() == null) {
            return "[]";
        }
        List<Map<String, Object>> questions = new ArrayList<>();
        for (SentimentIndicator s : w.getIndicators().getSentiment()) {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("questionCode", s.getQuestionCode());
            q.put("scale", s.getScale());
            q.put("taps", s.getTaps());
            q.put("index", s.getIndex());
            q.put("lower95", s.getLower95());
            q.put("upper95", s.getUpper95());
            q.put("mean1to5", s.getMean1to5());
            questions.add(q);
        }
        try {
            return JSON.writeValueAsString(questions);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public record Column<R>(String sqlType, Function<R, Object> value) {
    }

    public static <R> Column<R> column(String sqlType, Function<R, Object> value) {
        return new Column<>(sqlType, value);
    }

    @SafeVarargs
    public static <R> void bind(Connection db, PreparedStatement st, List<R> rows, Column<R>... columns)
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
