package org.cohesionbarometer.benchmarks;

import java.io.StringReader;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.cohesionbarometer.infra.InJvmPostgres;
import org.cohesionbarometer.schemas.indicator.MixingCell;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;
import org.cohesionbarometer.schemas.indicator.SentimentCell;
import org.cohesionbarometer.sink.IndicatorTable;
import org.cohesionbarometer.sink.Migrations;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The sink's write path — a batch of window results turned into four multi-row upserts (UNNEST
 * arrays, MERGE) and committed — as a ratio to COPY of exactly the same rows into
 * the same, emptied tables, in batches of the same size, in the same run on the same PostgreSQL.
 */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = "Upserted rows/s of the sink vs COPY of the same rows into the same tables.")
final class SinkBenchmark implements Callable<Integer> {
    private static final List<String> TABLES = List.of("neighbourhood_hourly", "neighbourhood_group_hourly",
            "neighbourhood_mixing_hourly", "neighbourhood_sentiment_hourly");

    @Option(names = "--windows", description = "window results per round (default ${DEFAULT-VALUE})")
    int windows = 20_000;

    @Option(names = "--batch", description = "window results per transaction, as BAROMETER_SINK_MAX_BATCH (default ${DEFAULT-VALUE})")
    int batch = 2000;

    @Option(names = "--rounds", description = "measured rounds after one warm-up (default ${DEFAULT-VALUE})")
    int rounds = 5;

    @Override
    public Integer call() throws Exception {
        List<NeighbourhoodIndicators> results = windowResults(windows);
        try (InJvmPostgres postgres = InJvmPostgres.startTemporary()) {
            Migrations.apply(postgres.jdbcUrl(), postgres.user(), postgres.password());
            try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password())) {
                db.setAutoCommit(false);
                System.out.printf("sink benchmark: %,d window results in transactions of %,d, PostgreSQL %s%n",
                        windows, batch, db.getMetaData().getDatabaseProductVersion());
                double[] ratios = new double[rounds];
                for (int round = 0; round <= rounds; round++) {
                    empty(db);
                    long start = System.nanoTime();
                    for (int from = 0; from < results.size(); from += batch) {
                        IndicatorTable.upsert(db, results.subList(from, Math.min(results.size(), from + batch)));
                        db.commit();
                    }
                    double upsertSeconds = (System.nanoTime() - start) / 1e9;
                    Map<String, List<String>> rows = snapshot(db);
                    long rowCount = rows.values().stream().mapToLong(List::size).sum();

                    empty(db);
                    start = System.nanoTime();
                    copy(db, rows, (int) Math.ceil(results.size() / (double) batch));
                    double copySeconds = (System.nanoTime() - start) / 1e9;
                    if (!snapshot(db).equals(rows)) {
                        throw new IllegalStateException("COPY did not reproduce the upserted rows");
                    }
                    start = System.nanoTime(); // the same windows again: every row now an update, as in steady state
                    for (int from = 0; from < results.size(); from += batch) {
                        IndicatorTable.upsert(db, results.subList(from, Math.min(results.size(), from + batch)));
                        db.commit();
                    }
                    double updateSeconds = (System.nanoTime() - start) / 1e9;
                    double upsertRate = rowCount / upsertSeconds;
                    double copyRate = rowCount / copySeconds;
                    if (round == 0) {
                        System.out.printf("  warm-up: %,d rows%n", rowCount);
                        continue;
                    }
                    ratios[round - 1] = upsertRate / copyRate;
                    System.out.printf("  round %d: upsert %,.0f rows/s; COPY %,.0f rows/s; ratio %.2f"
                                    + " (upsert again, all updates: %,.0f rows/s, %.2f of COPY)%n",
                            round, upsertRate, copyRate, ratios[round - 1], rowCount / updateSeconds,
                            rowCount / updateSeconds / copyRate);
                }
                Arrays.sort(ratios);
                System.out.printf("RESULT sink: upserted rows/s as a ratio to COPY of the same rows (median of %d) = %.2f  "
                        + "[target >= 0.5]%n", rounds, ratios[rounds / 2]);
            }
        }
        return 0;
    }

    /** A city's hourly windows: 20 neighbourhoods with 3 activities each, 4 groups, a mixing matrix, two questions. */
    static List<NeighbourhoodIndicators> windowResults(int count) {
        SplittableRandom random = new SplittableRandom(7);
        Instant first = Instant.parse("2026-03-02T00:00:00Z");
        List<NeighbourhoodIndicators> results = new ArrayList<>(count);
        String[] groups = {"A", "B", "C", "D"};
        for (int i = 0; results.size() < count; i++) {
            int place = i % 80;
            Instant start = first.plus(Duration.ofHours(i / 80));
            Map<String, Long> headcounts = new HashMap<>();
            long headcount = 0;
            for (String group : groups) {
                long n = 1 + random.nextInt(30);
                headcounts.put(group, n);
                headcount += n;
            }
            List<MixingCell> mixing = new ArrayList<>();
            long contacts = 0;
            long cross = 0;
            for (int a = 0; a < groups.length; a++) {
                for (int b = a; b < groups.length; b += 2) {
                    long n = random.nextInt(12);
                    mixing.add(new MixingCell(groups[a], groups[b], n));
                    contacts += n;
                    cross += a == b ? 0 : n;
                }
            }
            List<SentimentCell> sentiment = List.of(new SentimentCell("welcome", 5, 1 + random.nextInt(5), 1L + random.nextInt(9)),
                    new SentimentCell("again", 3, 1 + random.nextInt(3), 1L + random.nextInt(9)));
            results.add(NeighbourhoodIndicators.newBuilder()
                    .setNeighbourhoodId("hood-" + place / 4)
                    .setActivityId(place % 4 == 0 ? null : "activity-" + place)
                    .setWindowStart(start).setWindowEnd(start.plus(Duration.ofHours(1)))
                    .setCheckIns(headcount).setHeadcount(headcount).setGroupHeadcounts(headcounts)
                    .setContacts(contacts).setCrossGroupContacts(cross).setMixing(mixing)
                    .setSentiment(new ArrayList<>(sentiment))
                    .setLastEventTime(start.plusSeconds(3000))
                    .build());
        }
        return results;
    }

    private static void empty(Connection db) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.execute("TRUNCATE " + String.join(", ", TABLES));
        }
        db.commit();
    }

    /** Every row of the four tables as COPY text lines (updated_at included, so COPY writes the same rows). */
    private static Map<String, List<String>> snapshot(Connection db) throws Exception {
        CopyManager copy = db.unwrap(PGConnection.class).getCopyAPI();
        Map<String, List<String>> rows = new HashMap<>();
        for (String table : TABLES) {
            StringWriter out = new StringWriter();
            copy.copyOut("COPY (SELECT * FROM " + table + " ORDER BY 1, 2, 3, 4, 5) TO STDOUT", out);
            rows.put(table, out.toString().isEmpty() ? List.of() : List.of(out.toString().split("\n")));
        }
        db.commit();
        return rows;
    }

    /** COPY the rows back in as many transactions as the upserts took, each a share of every table. */
    private static void copy(Connection db, Map<String, List<String>> rows, int transactions) throws Exception {
        CopyManager copy = db.unwrap(PGConnection.class).getCopyAPI();
        for (int t = 0; t < transactions; t++) {
            for (String table : TABLES) {
                List<String> lines = rows.get(table);
                int per = (int) Math.ceil(lines.size() / (double) transactions);
                int from = Math.min(lines.size(), t * per);
                int to = Math.min(lines.size(), from + per);
                if (from < to) {
                    copy.copyIn("COPY " + table + " FROM STDIN", new StringReader(String.join("\n", lines.subList(from, to)) + "\n"));
                }
            }
            db.commit();
        }
    }
}
