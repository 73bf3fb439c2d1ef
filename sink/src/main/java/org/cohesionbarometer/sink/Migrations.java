package org.cohesionbarometer.sink;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cohesionbarometer.schemas.SmallCells;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database schema, as versioned SQL migrations under {@code db/migration}, and — where the
 * database has TimescaleDB — the policies that keep its tables (refresh, compression, retention),
 * set anew from the settings on every start.
 */
public final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    /** Hypertables and the columns their compressed chunks are segmented by. */
    static final Map<String, String> HYPERTABLES = Map.of(
            "neighbourhood_hourly", "neighbourhood_id, activity_id",
            "neighbourhood_group_hourly", "neighbourhood_id, activity_id",
            "neighbourhood_mixing_hourly", "neighbourhood_id, activity_id",
            "neighbourhood_sentiment_hourly", "neighbourhood_id, activity_id",
            "city_daily", "city",
            "city_attendance_daily", "city, activity_id");

    /** The continuous aggregates the rollups read. */
    static final List<String> CONTINUOUS_AGGREGATES = List.of("neighbourhood_counts", "neighbourhood_group_counts",
            "neighbourhood_mixing_counts", "neighbourhood_sentiment_counts").stream()
            .flatMap(name -> List.of(name + "_daily", name + "_weekly").stream()).toList();

    /** Brings the database up to the latest schema version; returns how many migrations ran. */
    public static int apply(String jdbcUrl, String user, String password) {
        return apply(jdbcUrl, user, password, SmallCells.DEFAULT, TimescaleSettings.defaults());
    }

    /**
     * @param smallCells the privacy rule whose k the published views withhold by (placeholder
     *                   {@code suppression_k}), the same the streams stage applies
     */
    public static int apply(String jdbcUrl, String user, String password, SmallCells smallCells, TimescaleSettings timescale) {
        FluentConfiguration flyway = Flyway.configure()
                .dataSource(jdbcUrl, user, password)
                .locations("classpath:db/migration")
                .placeholders(Map.of("suppression_k", String.valueOf(smallCells.k()),
                        "timescale", timescale.enabled() ? "auto" : "off"));
        // A session-level advisory lock instead of one held in an open transaction: the migrations'
        // connection never waits on the lock connection's transaction (PGlite serves one session
        // to all its connections).
        flyway.getConfigurationExtension(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
        int executed = flyway.load().migrate().migrationsExecuted;
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, password)) {
            Optional<String> version = timescaleVersion(db);
            if (version.isEmpty()) {
                LOG.info("TimescaleDB features are OFF ({}): plain PostgreSQL tables, daily and weekly rollups as "
                        + "date_bin views, no compression or retention policies.",
                        timescale.enabled() ? "the database has no timescaledb extension" : "BAROMETER_TIMESCALE=off");
            } else {
                applyPolicies(db, timescale);
                LOG.info("TimescaleDB {}: {} hypertables; {} continuous aggregates refreshed every {} over the last {}; "
                        + "compression after {}; retention {}.", version.get(), HYPERTABLES.size(),
                        CONTINUOUS_AGGREGATES.size(), timescale.refreshEvery(), timescale.refreshWindow(),
                        timescale.compressAfter(), timescale.retention().isZero() ? "off" : timescale.retention());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set the TimescaleDB policies: " + e.getMessage(), e);
        }
        return executed;
    }

    /** The installed TimescaleDB version, if the schema uses it. */
    public static Optional<String> timescaleVersion(Connection db) throws SQLException {
        try (Statement statement = db.createStatement();
             ResultSet rs = statement.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'")) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    private static void applyPolicies(Connection db, TimescaleSettings settings) throws SQLException {
        for (String aggregate : CONTINUOUS_AGGREGATES) {
            call(db, "SELECT remove_continuous_aggregate_policy(?::regclass, if_exists => true)", aggregate);
            call(db, "SELECT add_continuous_aggregate_policy(?::regclass, start_offset => make_interval(secs => ?), "
                    + "end_offset => NULL, schedule_interval => make_interval(secs => ?))",
                    aggregate, seconds(settings.refreshWindow()), seconds(settings.refreshEvery()));
        }
        for (Map.Entry<String, String> table : HYPERTABLES.entrySet()) {
            if (!compressionEnabled(db, table.getKey())) {
                try (Statement statement = db.createStatement()) {
                    statement.execute("ALTER TABLE " + table.getKey() + " SET (timescaledb.compress"
                            + (table.getValue().isEmpty() ? "" : ", timescaledb.compress_segmentby = '" + table.getValue() + "'")
                            + ", timescaledb.compress_orderby = 'window_start DESC')");
                }
            }
            call(db, "SELECT remove_compression_policy(?::regclass, if_exists => true)", table.getKey());
            call(db, "SELECT add_compression_policy(?::regclass, compress_after => make_interval(secs => ?))",
                    table.getKey(), seconds(settings.compressAfter()));
            call(db, "SELECT remove_retention_policy(?::regclass, if_exists => true)", table.getKey());
            if (!settings.retention().isZero()) {
                call(db, "SELECT add_retention_policy(?::regclass, drop_after => make_interval(secs => ?))",
                        table.getKey(), seconds(settings.retention()));
            }
        }
    }

    private static boolean compressionEnabled(Connection db, String table) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(
                "SELECT compression_enabled FROM timescaledb_information.hypertables WHERE hypertable_name = ?")) {
            query.setString(1, table);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static void call(Connection db, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.execute();
        }
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private Migrations() {
    }
}
