package org.cohesionbarometer.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The SQL-only alternative as a TimescaleDB user would build it: the raw signals in a hypertable
 * and the hourly counts as continuous aggregates, kept up to date by
 * {@code refresh_continuous_aggregate} (a policy's job, on a schedule) instead of a recount of the
 * whole history. It counts what {@link SqlBaseline} counts and presents it in the same shape
 * ({@code sql_baseline.hourly}, {@code sql_baseline.group_hourly}), so that the same row-for-row
 * comparison applies.
 *
 * <p>The aggregates count per raw activity or kiosk and hour, and only over the hypertable; the
 * views on top locate them in their neighbourhood (reference tables) and add the activities up to
 * the neighbourhood's row, which is exact because every count is a sum. That keeps the continuous
 * aggregates within what TimescaleDB can maintain incrementally (no joins, no UNION).
 *
 * <p>The database here is PGlite's TimescaleDB (no COPY): signals are INSERTed, 500 rows per
 * statement. The barometer's counts are copied into schema {@value #BAROMETER_COPY} of the same
 * database for the comparison.
 */
final class SqlBaselineOnTimescale {
    /** Where the barometer's counts are copied to, beside the aggregates they are compared with. */
    static final String BAROMETER_COPY = "barometer_counts";
    static final List<String> CONTINUOUS_AGGREGATES = List.of("sql_baseline.signals_hourly", "sql_baseline.check_ins_hourly_by_group");

    private static final String SIGNALS_HOURLY = """
            CREATE MATERIALIZED VIEW sql_baseline.signals_hourly
            WITH (timescaledb.continuous, timescaledb.materialized_only = true) AS
            SELECT activity_id, kiosk_id, time_bucket(INTERVAL '1 hour', event_time) AS window_start,
                   count(*) FILTER (WHERE kind = 'CHECK_IN') AS check_ins,
                   sum(headcount) FILTER (WHERE kind = 'CHECK_IN') AS headcount,
                   count(*) FILTER (WHERE kind = 'CONTACT') AS contacts,
                   count(*) FILTER (WHERE kind = 'CONTACT' AND group_code <> group_code_b) AS cross_group_contacts,
                   count(*) FILTER (WHERE kind = 'TAP') AS sentiment_taps
              FROM sql_baseline.signals
             GROUP BY activity_id, kiosk_id, time_bucket(INTERVAL '1 hour', event_time)
              WITH NO DATA""";

    private static final String CHECK_INS_HOURLY_BY_GROUP = """
            CREATE MATERIALIZED VIEW sql_baseline.check_ins_hourly_by_group
            WITH (timescaledb.continuous, timescaledb.materialized_only = true) AS
            SELECT activity_id, group_code, time_bucket(INTERVAL '1 hour', event_time) AS window_start,
                   sum(headcount) AS headcount
              FROM sql_baseline.signals
             WHERE kind = 'CHECK_IN'
             GROUP BY activity_id, group_code, time_bucket(INTERVAL '1 hour', event_time)
              WITH NO DATA""";

    /** {@link SqlBaseline}'s hourly counts, from the aggregate: located, and the activities added up per neighbourhood. */
    private static final String HOURLY = """
            CREATE VIEW sql_baseline.hourly AS
            WITH located AS (
                SELECT coalesce(a.neighbourhood_id, k.neighbourhood_id) AS neighbourhood_id,
                       coalesce(c.activity_id, k.activity_id) AS activity_id, c.window_start,
                       c.check_ins, c.headcount, c.contacts, c.cross_group_contacts, c.sentiment_taps
                  FROM sql_baseline.signals_hourly c
                  LEFT JOIN sql_baseline.activities a ON a.activity_id = c.activity_id
                  LEFT JOIN sql_baseline.kiosks k ON k.kiosk_id = c.kiosk_id
            ), scoped AS (
                SELECT neighbourhood_id, '' AS activity_id, window_start, check_ins, headcount, contacts,
                       cross_group_contacts, sentiment_taps FROM located
                UNION ALL
                SELECT * FROM located WHERE activity_id IS NOT NULL
            )
            SELECT neighbourhood_id, activity_id, window_start,
                   sum(check_ins)::bigint AS check_ins, coalesce(sum(headcount), 0)::bigint AS headcount,
                   sum(contacts)::bigint AS contacts, sum(cross_group_contacts)::bigint AS cross_group_contacts,
                   sum(sentiment_taps)::bigint AS sentiment_taps
              FROM scoped
             GROUP BY neighbourhood_id, activity_id, window_start""";

    private static final String GROUP_HOURLY = """
            CREATE VIEW sql_baseline.group_hourly AS
            WITH located AS (
                SELECT a.neighbourhood_id, g.activity_id, coalesce(g.group_code, '?') AS group_code, g.window_start, g.headcount
                  FROM sql_baseline.check_ins_hourly_by_group g
                  JOIN sql_baseline.activities a ON a.activity_id = g.activity_id
            ), scoped AS (
                SELECT neighbourhood_id, '' AS activity_id, window_start, group_code, headcount FROM located
                UNION ALL
                SELECT neighbourhood_id, activity_id, window_start, group_code, headcount FROM located
            )
            SELECT neighbourhood_id, activity_id, window_start, group_code, sum(headcount)::bigint AS headcount
              FROM scoped
             GROUP BY neighbourhood_id, activity_id, window_start, group_code""";

    /**
     * An empty hypertable of signals, its continuous aggregates and the city's places; and empty
     * tables for the barometer's counts. A hypertable's keys must include its time column: the key
     * is (event id, event time), which still refuses a retried signal (same id, same time).
     */
    static void create(Connection db, BenchCity city) throws SQLException {
        SqlBaseline.create(db, city);
        try (Statement s = db.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
            s.execute("ALTER TABLE sql_baseline.signals DROP CONSTRAINT signals_pkey");
            s.execute("ALTER TABLE sql_baseline.signals ADD PRIMARY KEY (event_id, event_time)");
            s.execute("SELECT create_hypertable('sql_baseline.signals', by_range('event_time', INTERVAL '1 day'))");
            s.execute(SIGNALS_HOURLY);
            s.execute(CHECK_INS_HOURLY_BY_GROUP);
            s.execute(HOURLY);
            s.execute(GROUP_HOURLY);
            s.execute("DROP SCHEMA IF EXISTS " + BAROMETER_COPY + " CASCADE");
            s.execute("CREATE SCHEMA " + BAROMETER_COPY);
            s.execute("""
                    CREATE TABLE %s.neighbourhood_hourly (neighbourhood_id text, activity_id text, window_start timestamptz,
                        check_ins bigint, headcount bigint, contacts bigint, cross_group_contacts bigint, sentiment_taps bigint)"""
                    .formatted(BAROMETER_COPY));
            s.execute("""
                    CREATE TABLE %s.neighbourhood_group_hourly (neighbourhood_id text, activity_id text, window_start timestamptz,
                        group_code text, headcount bigint)""".formatted(BAROMETER_COPY));
        }
    }

    /** INSERTs the signals into the hypertable, {@code perStatement} rows per statement (autocommit). */
    static void insert(Connection db, List<Signal> signals, int perStatement) throws SQLException {
        for (int from = 0; from < signals.size(); from += perStatement) {
            List<Signal> rows = signals.subList(from, Math.min(signals.size(), from + perStatement));
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO sql_baseline.signals VALUES "
                    + String.join(", ", Collections.nCopies(rows.size(), "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")))) {
                int p = 0;
                for (Signal s : rows) {
                    insert.setString(++p, s.kind().name());
                    insert.setObject(++p, s.eventId());
                    insert.setObject(++p, s.eventTime().atOffset(ZoneOffset.UTC));
                    insert.setString(++p, s.activityId());
                    insert.setString(++p, s.kioskId());
                    insert.setString(++p, s.token());
                    insert.setString(++p, s.group());
                    insert.setInt(++p, s.headcount());
                    insert.setString(++p, s.tokenB());
                    insert.setString(++p, s.groupB());
                    insert.setString(++p, s.questionCode());
                    insert.setInt(++p, s.scale());
                    insert.setInt(++p, s.level());
                }
                insert.executeUpdate();
            }
        }
    }

    /** Brings the continuous aggregates up to date with the hypertable, as their refresh policy's job does. */
    static void refresh(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            for (String aggregate : CONTINUOUS_AGGREGATES) {
                s.execute("CALL refresh_continuous_aggregate('" + aggregate + "', NULL, NULL)");
            }
        }
    }

    /** Copies the barometer's counts from its database into {@value #BAROMETER_COPY}, replacing an earlier copy. */
    static void copyBarometerCounts(Connection barometer, Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("TRUNCATE " + BAROMETER_COPY + ".neighbourhood_hourly, " + BAROMETER_COPY + ".neighbourhood_group_hourly");
        }
        copyRows(barometer, SqlBaseline.barometerHourly("public"), db, BAROMETER_COPY + ".neighbourhood_hourly");
        copyRows(barometer, SqlBaseline.barometerGroupHourly("public"), db, BAROMETER_COPY + ".neighbourhood_group_hourly");
    }

    private static void copyRows(Connection from, String query, Connection to, String table) throws SQLException {
        try (Statement read = from.createStatement(); ResultSet rs = read.executeQuery(query)) {
            int columns = rs.getMetaData().getColumnCount();
            String row = "(" + String.join(", ", Collections.nCopies(columns, "?")) + ")";
            List<Object[]> batch = new ArrayList<>();
            while (rs.next()) {
                Object[] values = new Object[columns];
                for (int c = 0; c < columns; c++) {
                    int type = rs.getMetaData().getColumnType(c + 1);
                    values[c] = type == Types.TIMESTAMP || type == Types.TIMESTAMP_WITH_TIMEZONE
                            ? rs.getObject(c + 1, OffsetDateTime.class) : rs.getObject(c + 1);
                }
                batch.add(values);
                if (batch.size() == 500) {
                    insertRows(to, table, row, batch);
                }
            }
            insertRows(to, table, row, batch);
        }
    }

    private static void insertRows(Connection to, String table, String row, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = to.prepareStatement("INSERT INTO " + table + " VALUES "
                + String.join(", ", Collections.nCopies(rows.size(), row)))) {
            int p = 0;
            for (Object[] values : rows) {
                for (Object value : values) {
                    insert.setObject(++p, value);
                }
            }
            insert.executeUpdate();
        }
        rows.clear();
    }

    /** The aggregates' counts against the copied barometer's, row for row. */
    static SqlBaseline.Comparison compare(Connection db) throws SQLException {
        return SqlBaseline.compare(db, BAROMETER_COPY);
    }

    /** The size of the hypertable of signals (its chunks and their indexes) and of the aggregates' materializations, in bytes. */
    static long[] sizes(Connection db) throws SQLException {
        return new long[] {SqlBaseline.count(db, "SELECT hypertable_size('sql_baseline.signals')"),
                SqlBaseline.count(db, "SELECT sum(hypertable_size(format('%I.%I', materialization_hypertable_schema, "
                        + "materialization_hypertable_name)::regclass))::bigint FROM timescaledb_information.continuous_aggregates "
                        + "WHERE view_schema = 'sql_baseline'")};
    }

    private SqlBaselineOnTimescale() {
    }
}
