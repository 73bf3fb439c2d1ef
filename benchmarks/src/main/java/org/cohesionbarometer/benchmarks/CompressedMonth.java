package org.cohesionbarometer.benchmarks;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.cohesionbarometer.infra.PgliteTimescale;
import org.cohesionbarometer.schemas.Environment;
import org.cohesionbarometer.schemas.Topics;
import org.cohesionbarometer.sink.IndicatorSink;
import org.cohesionbarometer.sink.Migrations;
import org.cohesionbarometer.sink.SinkConfiguration;
import org.cohesionbarometer.sink.SinkSettings;

/**
 * A month of indicators on TimescaleDB, raw and compressed. The barometer's own sink writes the
 * indicator topics into PGlite's TimescaleDB 2.23 with the migrations applied as in the field
 * (hypertables of 7-day chunks, continuous aggregates, compression segmented by neighbourhood and
 * activity, ordered by window start). Then every chunk is compressed — what the compression policy
 * does to a chunk once it is older than its {@code compress_after} (the grace period plus a day,
 * 32 days by default, so that the policy itself would not yet touch a month-old chunk) — and the
 * hypertables are measured before and after. What the database answers (the hourly tables, the
 * rollups over the continuous aggregates, every published view) is recorded raw, compressed, and
 * compressed after the continuous aggregates were refreshed from the compressed chunks.
 */
final class CompressedMonth {
    /**
     * One hypertable's chunks and bytes (tables, indexes and TOAST; {@code hypertable_size}): as the
     * sink left them ({@code VACUUM}ed, the dead row versions of its updates still taking room), with
     * live rows only ({@code VACUUM FULL}), and compressed; and what
     * {@code hypertable_compression_stats} recorded of its chunks when they were compressed.
     */
    record Hypertable(String name, long chunks, long rawBytes, long liveBytes, long compressedBytes, long statsBefore,
                      long statsAfter) {
    }

    record Measured(List<Hypertable> hypertables, long indicatorRows, double writeSeconds, double compressSeconds,
                    PublishedTotals raw, PublishedTotals compressed, PublishedTotals refreshed) {
        long rawBytes() {
            return hypertables.stream().mapToLong(Hypertable::rawBytes).sum();
        }

        long liveBytes() {
            return hypertables.stream().mapToLong(Hypertable::liveBytes).sum();
        }

        long compressedBytes() {
            return hypertables.stream().mapToLong(Hypertable::compressedBytes).sum();
        }
    }

    private static final String SINK_GROUP = "bench-scale-timescale-sink";

    static Measured measure(Path pgliteDir, String bootstrap, String registryUrl, Admin admin) throws Exception {
        try (PgliteTimescale timescale = PgliteTimescale.start(pgliteDir)) {
            SinkConfiguration configuration = SinkConfiguration.fromEnvironment(Environment.system())
                    .withEndpoints(bootstrap, registryUrl, timescale.jdbcUrl(), timescale.user(), timescale.password());
            SinkSettings w = configuration.writer();
            // a consumer group of its own: the plain PostgreSQL's sink has read the topics already
            SinkSettings writer = new SinkSettings(w.kafka(), w.jdbcUrl(), w.jdbcUser(), w.jdbcPassword(), SINK_GROUP,
                    w.maxBatch(), w.maxBackoff(), w.membership());
            Migrations.apply(timescale.jdbcUrl(), timescale.user(), timescale.password(), configuration.privacy(), configuration.timescale());
            long started = System.nanoTime();
            IndicatorSink sink = new IndicatorSink(writer);
            Thread thread = new Thread(sink, "scale-timescale-sink");
            thread.start();
            try {
                List<String> topics = List.of(Topics.NEIGHBOURHOOD_INDICATORS, Topics.ACTIVITY_INDICATORS, Topics.CITY_INDICATORS);
                while (!ScaleBenchmark.caughtUp(admin, SINK_GROUP, topics)) {
                    Thread.sleep(500);
                }
            } finally {
                sink.close();
                thread.join(30_000);
            }
            double writeSeconds = (System.nanoTime() - started) / 1e9;
            try (Connection db = timescale.connect()) {
                if (Migrations.timescaleVersion(db).isEmpty()) {
                    throw new IllegalStateException("the migrations did not use TimescaleDB (BAROMETER_TIMESCALE=off?)");
                }
                db.createStatement().execute("VACUUM ANALYZE");
                long rows = SqlBaseline.count(db, "SELECT count(*) FROM neighbourhood_hourly");
                PublishedTotals raw = PublishedTotals.of(db);
                List<String[]> before = hypertables(db);
                try (Statement s = db.createStatement()) {
                    for (String[] table : before) {
                        s.execute("VACUUM FULL " + table[0]);
                    }
                }
                List<String[]> live = hypertables(db);

                long compressStart = System.nanoTime();
                try (Statement s = db.createStatement()) {
                    for (String[] table : before) {
                        s.execute("SELECT count(compress_chunk(c, if_not_compressed => true)) FROM show_chunks('" + table[0] + "') c");
                    }
                }
                double compressSeconds = (System.nanoTime() - compressStart) / 1e9;
                PublishedTotals compressed = PublishedTotals.of(db);

                List<Hypertable> measured = new ArrayList<>();
                for (int i = 0; i < before.size(); i++) {
                    String[] table = before.get(i);
                    long after = SqlBaseline.count(db, "SELECT hypertable_size('" + table[0] + "')");
                    long uncompressedChunks = SqlBaseline.count(db, "SELECT count(*) FROM timescaledb_information.chunks "
                            + "WHERE hypertable_name = '" + table[0] + "' AND NOT is_compressed");
                    if (uncompressedChunks > 0) {
                        throw new IllegalStateException(table[0] + " has " + uncompressedChunks + " chunks left uncompressed");
                    }
                    long statsBefore = SqlBaseline.count(db, "SELECT coalesce(before_compression_total_bytes, 0) "
                            + "FROM hypertable_compression_stats('" + table[0] + "')");
                    long statsAfter = SqlBaseline.count(db, "SELECT coalesce(after_compression_total_bytes, 0) "
                            + "FROM hypertable_compression_stats('" + table[0] + "')");
                    measured.add(new Hypertable(table[0], Long.parseLong(table[1]), Long.parseLong(table[2]),
                            Long.parseLong(live.get(i)[2]), after, statsBefore, statsAfter));
                }
                try (Statement s = db.createStatement()) {
                    for (String aggregate : PublishedTotals.strings(db, "SELECT format('%I.%I', view_schema, view_name) "
                            + "FROM timescaledb_information.continuous_aggregates ORDER BY 1")) {
                        s.execute("CALL refresh_continuous_aggregate('" + aggregate + "', NULL, NULL)");
                    }
                }
                PublishedTotals refreshed = PublishedTotals.of(db);
                return new Measured(measured, rows, writeSeconds, compressSeconds, raw, compressed, refreshed);
            }
        }
    }

    /** The sink's hypertables (not the continuous aggregates' own): name, chunks, bytes. */
    private static List<String[]> hypertables(Connection db) throws SQLException {
        List<String[]> tables = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT hypertable_name, num_chunks, hypertable_size(format('%I.%I', hypertable_schema, hypertable_name)::regclass)
                  FROM timescaledb_information.hypertables
                 WHERE hypertable_schema = 'public' AND compression_enabled
                 ORDER BY hypertable_name""")) {
            while (rs.next()) {
                tables.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
            }
        }
        return tables;
    }

    private CompressedMonth() {
    }
}
