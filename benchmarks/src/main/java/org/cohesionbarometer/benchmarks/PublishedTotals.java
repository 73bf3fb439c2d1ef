package org.cohesionbarometer.benchmarks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the database answers, in a form two databases (or one before and after compression) can be
 * compared by: for the sink's hourly and daily tables, the rollups and every published view, the
 * number of rows and the sum of every numeric column (rounded to 6 decimals, since floating-point
 * sums depend on the order of addition).
 */
record PublishedTotals(Map<String, String> byRelation) {
    /** The sink's tables, the rollups over them, and whatever the published views are at this schema version. */
    private static final String RELATIONS = """
            SELECT table_name FROM information_schema.tables
             WHERE table_schema = 'public'
               AND (table_name IN ('neighbourhood_hourly', 'neighbourhood_group_hourly', 'neighbourhood_mixing_hourly',
                                   'neighbourhood_sentiment_hourly', 'city_daily', 'city_attendance_daily',
                                   'neighbourhood_daily', 'neighbourhood_weekly')
                    OR table_name LIKE 'published\\_%')
             ORDER BY table_name""";

    static PublishedTotals of(Connection db) throws SQLException {
        Map<String, String> totals = new LinkedHashMap<>();
        for (String relation : strings(db, RELATIONS)) {
            List<String> numeric = strings(db, """
                    SELECT column_name FROM information_schema.columns
                     WHERE table_schema = 'public' AND table_name = '%s'
                       AND data_type IN ('smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision')
                     ORDER BY ordinal_position""".formatted(relation));
            StringBuilder query = new StringBuilder("SELECT concat_ws(' ', 'rows=' || count(*)");
            for (String column : numeric) {
                query.append(", '").append(column).append("=' || coalesce(round(sum(\"").append(column)
                        .append("\")::numeric, 6)::text, 'null')");
            }
            query.append(") FROM \"").append(relation).append('"');
            totals.put(relation, strings(db, query.toString()).get(0));
        }
        return new PublishedTotals(totals);
    }

    /** The relations whose totals differ, with both sides; empty when the two answer alike. */
    List<String> differencesFrom(PublishedTotals other) {
        List<String> differences = new ArrayList<>();
        for (String relation : byRelation.keySet()) {
            if (!byRelation.get(relation).equals(other.byRelation.get(relation))) {
                differences.add(relation + ": " + byRelation.get(relation) + " <> " + other.byRelation.get(relation));
            }
        }
        other.byRelation.keySet().stream().filter(r -> !byRelation.containsKey(r)).forEach(r -> differences.add(r + ": only in one"));
        return differences;
    }

    /** The first column of every row a query answers, as text. */
    static List<String> strings(Connection db, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
