package org.cohesionbarometer.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cohesionbarometer.schemas.indicator.MixingCell;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;
import org.cohesionbarometer.schemas.indicator.SentimentCell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How a batch of window results lands in the tables, on a real PostgreSQL. */
class IndicatorTableIT {
    private static final Instant NINE = Instant.parse("2026-03-02T09:00:00Z");

    @RegisterExtension
    static final MigratedDatabase database = new MigratedDatabase(
            "neighbourhood_hourly", "neighbourhood_group_hourly", "neighbourhood_mixing_hourly", "neighbourhood_sentiment_hourly");

    @Test
    void aWindowWrittenAgainWithMoreDataIsUpdatedAndWithLessDataIsKept() throws SQLException {
        write(window("north", 12, Map.of("G1", 7L, "G2", 5L)));
        write(window("north", 20, Map.of("G1", 12L, "G2", 8L)));
        write(window("north", 15, Map.of("G1", 9L, "G2", 6L))); // an older replay arrives last

        assertEquals(List.of("north|20|G1=12,G2=8|20"), rows());
    }

    @Test
    void everyTableGetsItsShareOfTheBatch() throws SQLException {
        write(window("north", 12, Map.of("G1", 7L, "G2", 5L)), window("south", 3, Map.of("G3", 3L)));

        assertEquals(List.of("north|12|G1=7,G2=5|12", "south|3|G3=3|3"), rows());
        assertEquals(4, count("SELECT count(*) FROM neighbourhood_mixing_hourly"));
    }

    @Test
    void aKeyAnotherWriterInsertsWhileTheBatchIsWritingDoesNotFailTheBatch() throws Exception {
        // A consumer that lost its partitions in a rebalance may still be writing the same window.
        try (Connection zombie = database.postgres().connect()) {
            zombie.setAutoCommit(false);
            zombie.createStatement().execute("""
                    INSERT INTO neighbourhood_group_hourly (neighbourhood_id, activity_id, window_start, group_code, headcount)
                    VALUES ('north', '', '2026-03-02T09:00:00Z', 'G1', 4)""");

            CompletableFuture<Void> batch = CompletableFuture.runAsync(() -> {
                try {
                    write(window("north", 12, Map.of("G1", 7L, "G2", 5L)));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            waitUntilBlockedOnALock();
            zombie.commit(); // the batch's MERGE now meets a unique violation and falls back to ON CONFLICT

            batch.get(30, TimeUnit.SECONDS);
        }
        assertEquals(List.of("north|12|G1=7,G2=5|12"), rows());
    }

    private static void waitUntilBlockedOnALock() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'") == 0) {
            assertTrue(System.nanoTime() < deadline, "the batch never waited for the other writer");
            Thread.sleep(20);
        }
    }

    private static void write(NeighbourhoodIndicators... windows) throws SQLException {
        try (Connection db = database.postgres().connect()) {
            db.setAutoCommit(false);
            IndicatorTable.upsert(db, List.of(windows));
            db.commit();
        }
    }

    /** neighbourhood | check-ins | group headcounts | sentiment taps. */
    private static List<String> rows() throws SQLException {
        return database.postgres().queryForStrings("""
                SELECT h.neighbourhood_id || '|' || h.check_ins || '|'
                       || (SELECT string_agg(group_code || '=' || headcount, ',' ORDER BY group_code)
                             FROM neighbourhood_group_hourly g
                            WHERE (g.neighbourhood_id, g.activity_id, g.window_start) = (h.neighbourhood_id, h.activity_id, h.window_start))
                       || '|' || h.sentiment_taps
                  FROM neighbourhood_hourly h ORDER BY 1""");
    }

    private static long count(String sql) throws SQLException {
        return database.postgres().queryForLong(sql);
    }

    private static NeighbourhoodIndicators window(String hood, long checkIns, Map<String, Long> groups) {
        return NeighbourhoodIndicators.newBuilder()
                .setNeighbourhoodId(hood).setWindowStart(NINE).setWindowEnd(NINE.plus(Duration.ofHours(1)))
                .setCheckIns(checkIns).setHeadcount(checkIns).setGroupHeadcounts(new HashMap<>(groups))
                .setContacts(2).setCrossGroupContacts(1)
                .setMixing(new ArrayList<>(List.of(new MixingCell("G1", "G2", 1L), new MixingCell("G1", "G1", 1L))))
                .setSentiment(new ArrayList<>(List.of(new SentimentCell("welcome", 5, 4, checkIns))))
                .setLastEventTime(NINE.plusSeconds(60))
                .build();
    }
}
