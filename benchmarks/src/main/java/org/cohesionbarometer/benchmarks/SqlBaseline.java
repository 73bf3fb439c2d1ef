package org.cohesionbarometer.benchmarks;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The simplest alternative a city could run instead of the barometer: every signal copied into one
 * raw table of PostgreSQL (event id as primary key, so that a retried signal is refused rather than
 * counted twice) and the same hourly counts per neighbourhood, activity and group computed by SQL.
 * It lives in a schema of its own, {@code sql_baseline}, in the barometer's database, and counts
 * what the barometer's {@code neighbourhood_hourly} and {@code neighbourhood_group_hourly} count:
 * a check-in once and its headcount per declared group ({@code ?} for none), a contact once and
 * as crossing groups when both groups are declared and differ, a tap once in its kiosk's
 * neighbourhood. Hours are UTC hours of the event time.
 */
final class SqlBaseline {
    static final String SCHEMA = "sql_baseline";

    private static final String HOURLY = """
            CREATE TABLE sql_baseline.hourly AS
            WITH located AS (
                SELECT s.kind, s.headcount, s.group_code, s.group_code_b,
                       coalesce(a.neighbourhood_id, k.neighbourhood_id) AS neighbourhood_id,
                       coalesce(s.activity_id, k.activity_id) AS activity_id,
                       date_trunc('hour', s.event_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS window_start
                  FROM sql_baseline.signals s
                  LEFT JOIN sql_baseline.activities a ON a.activity_id = s.activity_id
                  LEFT JOIN sql_baseline.kiosks k ON k.kiosk_id = s.kiosk_id
            ), scoped AS (
                SELECT neighbourhood_id, '' AS activity_id, window_start, kind, headcount, group_code, group_code_b FROM located
                UNION ALL
                SELECT neighbourhood_id, activity_id, window_start, kind, headcount, group_code, group_code_b FROM located
                 WHERE activity_id IS NOT NULL
            )
            SELECT neighbourhood_id, activity_id, window_start,
                   count(*) FILTER (WHERE kind = 'CHECK_IN') AS check_ins,
                   coalesce(sum(headcount) FILTER (WHERE kind = 'CHECK_IN'), 0) AS headcount,
                   count(*) FILTER (WHERE kind = 'CONTACT') AS contacts,
                   count(*) FILTER (WHERE kind = 'CONTACT' AND group_code <> group_code_b) AS cross_group_contacts,
                   count(*) FILTER (WHERE kind = 'TAP') AS sentiment_taps
              FROM scoped
             GROUP BY neighbourhood_id, activity_id, window_start
            """;

    private static final String GROUP_HOURLY = """
            CREATE TABLE sql_baseline.group_hourly AS
            WITH located AS (
                SELECT a.neighbourhood_id, s.activity_id, s.headcount, coalesce(s.group_code, '?') AS group_code,
                       date_trunc('hour', s.event_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS window_start
                  FROM sql_baseline.signals s JOIN sql_baseline.activities a ON a.activity_id = s.activity_id
                 WHERE s.kind = 'CHECK_IN'
            )
            SELECT neighbourhood_id, '' AS activity_id, window_start, group_code, sum(headcount) AS headcount
              FROM located GROUP BY neighbourhood_id, window_start, group_code
            UNION ALL
            SELECT neighbourhood_id, activity_id, window_start, group_code, sum(headcount)
              FROM located GROUP BY neighbourhood_id, activity_id, window_start, group_code
            """;

    /** The barometer's counts in the same shape (the probe's neighbourhood left out), from its tables in {@code schema}. */
    static String barometerHourly(String schema) {
        return """
                SELECT neighbourhood_id, activity_id, window_start, check_ins, headcount, contacts, cross_group_contacts, sentiment_taps
                  FROM %s.neighbourhood_hourly WHERE neighbourhood_id <> '%s'""".formatted(schema, BenchCity.PROBE_NEIGHBOURHOOD);
    }

    static String barometerGroupHourly(String schema) {
        return """
                SELECT neighbourhood_id, activity_id, window_start, group_code, headcount
                  FROM %s.neighbourhood_group_hourly WHERE headcount > 0 AND neighbourhood_id <> '%s'"""
                .formatted(schema, BenchCity.PROBE_NEIGHBOURHOOD);
    }

    /** Rows one side has and the other has not, both ways, for each of the two tables. */
    record Comparison(long sqlRows, long barometerRows, List<String> differences) {
        boolean identical() {
            return differences.isEmpty() && sqlRows > 0;
        }
    }

    /** An empty raw table and the city's places (the reference data a SQL design keeps in tables of its own). */
    static void create(Connection db, BenchCity city) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS sql_baseline CASCADE");
            s.execute("CREATE SCHEMA sql_baseline");
            s.execute("""
                    CREATE TABLE sql_baseline.signals (
                        kind text NOT NULL, event_id uuid PRIMARY KEY, event_time timestamptz NOT NULL,
                        activity_id text, kiosk_id text, participant_token text, group_code text, headcount int NOT NULL,
                        participant_token_b text, group_code_b text, question_code text, scale int, level int)""");
            s.execute("CREATE TABLE sql_baseline.activities (activity_id text PRIMARY KEY, neighbourhood_id text NOT NULL)");
            s.execute("CREATE TABLE sql_baseline.kiosks (kiosk_id text PRIMARY KEY, neighbourhood_id text NOT NULL, activity_id text)");
            for (int n = 0; n < city.neighbourhoods(); n++) {
                for (int a = 0; a < 3; a++) {
                    s.addBatch("INSERT INTO sql_baseline.activities VALUES ('" + BenchCity.activity(n, a) + "', '" + BenchCity.neighbourhood(n) + "')");
                }
                for (int k = 0; k < 2; k++) {
                    s.addBatch("INSERT INTO sql_baseline.kiosks VALUES ('" + BenchCity.kiosk(n, k) + "', '" + BenchCity.neighbourhood(n) + "', NULL)");
                }
            }
            s.executeBatch();
        }
    }

    /** COPYs the signals into the raw table, {@code perTransaction} rows at a time (autocommit). */
    static void copy(Connection db, List<Signal> signals, int perTransaction) throws SQLException, IOException {
        CopyManager copy = db.unwrap(PGConnection.class).getCopyAPI();
        for (int from = 0; from < signals.size(); from += perTransaction) {
            StringBuilder rows = new StringBuilder(perTransaction * 160);
            for (Signal s : signals.subList(from, Math.min(signals.size(), from + perTransaction))) {
                s.appendCopyRow(rows);
            }
            copy.copyIn("COPY sql_baseline.signals FROM STDIN", new StringReader(rows.toString()));
        }
    }

    /** Computes the hourly counts from the raw table, as a city's scheduled job would. */
    static void computeHourlyCounts(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("DROP TABLE IF EXISTS sql_baseline.hourly, sql_baseline.group_hourly");
            s.execute(HOURLY);
            s.execute(GROUP_HOURLY);
        }
    }

    /** Compares the SQL's counts with the barometer's in the same database, row for row. */
    static Comparison compare(Connection db) throws SQLException {
        return compare(db, "public");
    }

    /**
     * Compares the SQL's counts ({@code sql_baseline.hourly} and {@code sql_baseline.group_hourly},
     * tables or views) with the barometer's tables in {@code barometerSchema}, row for row.
     */
    static Comparison compare(Connection db, String barometerSchema) throws SQLException {
        String hourly = barometerHourly(barometerSchema);
        String groupHourly = barometerGroupHourly(barometerSchema);
        List<String> differences = new ArrayList<>();
        differences(db, "SELECT * FROM sql_baseline.hourly", hourly, "hourly", differences);
        differences(db, "SELECT * FROM sql_baseline.group_hourly", groupHourly, "group hourly", differences);
        return new Comparison(count(db, "SELECT (SELECT count(*) FROM sql_baseline.hourly) + (SELECT count(*) FROM sql_baseline.group_hourly)"),
                count(db, "SELECT (SELECT count(*) FROM (" + hourly + ") h) + (SELECT count(*) FROM (" + groupHourly + ") g)"),
                differences);
    }

    private static void differences(Connection db, String sql, String barometer, String table, List<String> out) throws SQLException {
        collect(db, "(" + sql + ") EXCEPT (" + barometer + ") LIMIT 10", "only in SQL (" + table + "): ", out);
        collect(db, "(" + barometer + ") EXCEPT (" + sql + ") LIMIT 10", "only in the barometer (" + table + "): ", out);
    }

    private static void collect(Connection db, String sql, String prefix, List<String> out) throws SQLException {
        try (ResultSet rs = db.createStatement().executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder(prefix);
                for (int c = 1; c <= columns; c++) {
                    row.append(c > 1 ? ", " : "").append(rs.getString(c));
                }
                out.add(row.toString());
            }
        }
    }

    static long count(Connection db, String sql) throws SQLException {
        try (ResultSet rs = db.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The barometer's total of check-ins, contacts and taps outside the probe's neighbourhood: all it has counted. */
    static long barometerTotal(Connection db) throws SQLException {
        return count(db, "SELECT coalesce(sum(check_ins + contacts + sentiment_taps), 0) FROM neighbourhood_hourly "
                + "WHERE activity_id = '' AND neighbourhood_id <> '" + BenchCity.PROBE_NEIGHBOURHOOD + "'");
    }

    /** The size of the raw table with its index, and of the computed counts, in bytes. */
    static long[] sizes(Connection db) throws SQLException {
        return new long[] {count(db, "SELECT pg_total_relation_size('sql_baseline.signals')"),
                count(db, "SELECT pg_total_relation_size('sql_baseline.hourly') + pg_total_relation_size('sql_baseline.group_hourly')")};
    }

    private SqlBaseline() {
    }
}
