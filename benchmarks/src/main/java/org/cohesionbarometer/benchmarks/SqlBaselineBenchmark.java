package org.cohesionbarometer.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.cohesionbarometer.infra.PgliteTimescale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The barometer end to end against the simplest alternative on the same signals in the same
 * PostgreSQL: the barometer's rate from the first request to the last signal counted in the
 * database, against COPY into a raw table plus the same hourly counts computed by SQL; then both
 * results compared row for row.
 */
@Command(name = "sql-baseline", mixinStandardHelpOptions = true,
        description = "The barometer's end-to-end rate vs COPY + SQL on the same signals in the same PostgreSQL; checks the counts are identical.")
final class SqlBaselineBenchmark implements Callable<Integer> {

    @Option(names = "--signals", description = "signals of the realistic mix (default ${DEFAULT-VALUE})")
    int signals = 300_000;

    @Option(names = "--hours", description = "hours of event time the signals span, ending now (default ${DEFAULT-VALUE})")
    int hours = 24;

    @Option(names = "--batch", description = "signals per bulk request, and rows per COPY transaction (default ${DEFAULT-VALUE})")
    int batch = 500;

    @Option(names = "--clients", description = "client threads posting as fast as the API answers (default ${DEFAULT-VALUE})")
    int clients = 8;

    @Option(names = "--neighbourhoods", description = "neighbourhoods of the city (default ${DEFAULT-VALUE})")
    int neighbourhoods = 20;

    @Option(names = "--stack-heap", description = "the stack JVM's -Xmx (default ${DEFAULT-VALUE})")
    String stackHeap = "1g";

    @Option(names = "--timescale", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "also count the signals with TimescaleDB's continuous aggregates, in PGlite's TimescaleDB (WebAssembly, "
                    + "in Node.js), where Node.js and npm are installed; --no-timescale skips it (default ${DEFAULT-VALUE})")
    boolean timescale = true;

    @Option(names = "--pglite-dir", description = "where PGlite's npm packages are installed on first use (default ${DEFAULT-VALUE})")
    Path pgliteDir = PGLITE_DIR;

    /** Outside the working directory, so that a bench run from the repository leaves no files in it. */
    static final Path PGLITE_DIR = Path.of(System.getProperty("java.io.tmpdir"), "barometer-pglite-timescaledb");

    @Override
    public Integer call() throws Exception {
        BenchCity city = new BenchCity(neighbourhoods, 100_000, 7);
        List<Signal> all = mix(city, signals, Duration.ofHours(hours));
        Path data = Files.createTempDirectory("barometer-bench-sql");
        System.out.printf("sql-baseline benchmark: %,d signals of the realistic mix over %d h, %d neighbourhoods; the barometer "
                        + "(all-in-one, -Xmx%s, own JVM) fed by %d clients in bulk requests of %d; load average %s%n",
                all.size(), hours, neighbourhoods, stackHeap, clients, batch, StackFootprint.loadAverage());
        try (StackProcess stack = StackProcess.start(data, stackHeap, Map.of())) {
            new BulkSender(stack.ingestUrl(), StackProcess.ADMIN_TOKEN).seed(city);
            Thread.sleep(3_000); // the streams stage's global stores read the reference topics
            String loadBefore = StackFootprint.loadAverage();
            long started = System.nanoTime();
            postAll(stack, all);
            double posted = (System.nanoTime() - started) / 1e9;
            try (Connection db = stack.database()) {
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                long counted = 0;
                while (System.nanoTime() < deadline && (counted = SqlBaseline.barometerTotal(db)) < all.size()) {
                    Thread.sleep(100);
                }
                double barometerSeconds = (System.nanoTime() - started) / 1e9;
                if (counted != all.size()) {
                    throw new IllegalStateException("the barometer counted " + counted + " of " + all.size() + " signals within 5 minutes");
                }
                double barometerRate = all.size() / barometerSeconds;
                System.out.printf("  barometer: all %,d posted in %.1f s, all counted in PostgreSQL after %.1f s: %,.0f signals/s end to end"
                        + " (load average %s)%n", all.size(), posted, barometerSeconds, barometerRate, loadBefore);

                String loadSql = StackFootprint.loadAverage();
                SqlBaseline.create(db, city);
                long copyStart = System.nanoTime();
                SqlBaseline.copy(db, all, batch);
                double copySeconds = (System.nanoTime() - copyStart) / 1e9;
                long aggregateStart = System.nanoTime();
                SqlBaseline.computeHourlyCounts(db);
                double aggregateSeconds = (System.nanoTime() - aggregateStart) / 1e9;
                double sqlRate = all.size() / (copySeconds + aggregateSeconds);
                long[] sizes = SqlBaseline.sizes(db);
                System.out.printf("  SQL: COPY %.1f s (%,.0f rows/s, %d rows per transaction), hourly counts %.2f s: %,.0f signals/s; "
                                + "raw table with its key %,d MiB (%.0f bytes per signal), counts %,d kB (load average %s)%n",
                        copySeconds, all.size() / copySeconds, batch, aggregateSeconds, sqlRate, sizes[0] >> 20,
                        (double) sizes[0] / all.size(), sizes[1] >> 10, loadSql);

                SqlBaseline.Comparison comparison = SqlBaseline.compare(db);
                System.out.printf("  counts: %,d rows from SQL, %,d from the barometer: %s%n", comparison.sqlRows(), comparison.barometerRows(),
                        comparison.identical() ? "IDENTICAL" : "DIFFERENT");
                comparison.differences().forEach(d -> System.out.println("    " + d));
                String onTimescale = timescale ? onTimescale(db, city, all) : "not run (--no-timescale)";
                System.out.printf("RESULT sql-baseline: barometer end to end / COPY + SQL = %,.0f / %,.0f = %.2f  [goal >= 0.5]; counts %s; "
                                + "TimescaleDB's continuous aggregates: %s%n", barometerRate, sqlRate, barometerRate / sqlRate,
                        comparison.identical() ? "identical" : "DIFFERENT", onTimescale);
                return comparison.identical() && !onTimescale.equals("DIFFERENT") ? 0 : 1;
            }
        } finally {
            EndToEndBenchmark.deleteQuietly(data);
        }
    }

    /**
     * The same signals INSERTed into a hypertable of PGlite's TimescaleDB, counted by continuous
     * aggregates, and compared with the barometer's counts: "identical", "DIFFERENT", or why it was
     * skipped (no Node.js or npm).
     */
    private String onTimescale(Connection barometer, BenchCity city, List<Signal> all) throws Exception {
        Optional<String> unavailable = PgliteTimescale.unavailableBecause();
        if (unavailable.isPresent()) {
            System.out.println("  TimescaleDB (continuous aggregates): skipped, " + unavailable.get());
            return "skipped, " + unavailable.get();
        }
        try (PgliteTimescale pglite = PgliteTimescale.start(pgliteDir); Connection db = pglite.connect()) {
            String load = StackFootprint.loadAverage();
            SqlBaselineOnTimescale.create(db, city);
            long insertStart = System.nanoTime();
            SqlBaselineOnTimescale.insert(db, all, batch);
            double insertSeconds = (System.nanoTime() - insertStart) / 1e9;
            long refreshStart = System.nanoTime();
            SqlBaselineOnTimescale.refresh(db);
            double refreshSeconds = (System.nanoTime() - refreshStart) / 1e9;
            long[] sizes = SqlBaselineOnTimescale.sizes(db);
            SqlBaselineOnTimescale.copyBarometerCounts(barometer, db);
            SqlBaseline.Comparison comparison = SqlBaselineOnTimescale.compare(db);
            System.out.printf("  TimescaleDB in PGlite (PostgreSQL compiled to WebAssembly, in Node.js, one session; its rates are "
                            + "NOT comparable with the native PostgreSQL's above): INSERT %.1f s (%,.0f rows/s, %d rows per statement) "
                            + "into a hypertable of 1-day chunks, refresh of 2 continuous aggregates %.2f s: %,.0f signals/s; "
                            + "hypertable %,d MiB, aggregates %,d kB (load average %s)%n",
                    insertSeconds, all.size() / insertSeconds, batch, refreshSeconds, all.size() / (insertSeconds + refreshSeconds),
                    sizes[0] >> 20, sizes[1] >> 10, load);
            System.out.printf("  counts: %,d rows from the continuous aggregates, %,d from the barometer: %s%n", comparison.sqlRows(),
                    comparison.barometerRows(), comparison.identical() ? "IDENTICAL" : "DIFFERENT");
            comparison.differences().forEach(d -> System.out.println("    " + d));
            return comparison.identical() ? "identical" : "DIFFERENT";
        }
    }

    /** The signals in event-time order, evenly over the span ending a minute ago. */
    static List<Signal> mix(BenchCity city, int count, Duration span) {
        Instant start = Instant.now().minus(span).minusSeconds(60);
        long stepNanos = span.toNanos() / Math.max(1, count);
        List<Signal> signals = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            signals.add(city.next(start.plusNanos(i * stepNanos)));
        }
        return signals;
    }

    /** Bulk requests of one kind each, in the order of their first signal's time, posted by the client threads as fast as answered. */
    void postAll(StackProcess stack, List<Signal> all) throws Exception {
        postAll(new BulkSender(stack.ingestUrl(), StackProcess.ADMIN_TOKEN), all, batch, clients);
    }

    static void postAll(BulkSender sender, List<Signal> all, int batch, int clients) throws Exception {
        List<List<Signal>> requests = new ArrayList<>();
        for (Signal.Kind kind : Signal.Kind.values()) {
            List<Signal> ofKind = all.stream().filter(s -> s.kind() == kind).toList();
            for (int from = 0; from < ofKind.size(); from += batch) {
                requests.add(ofKind.subList(from, Math.min(ofKind.size(), from + batch)));
            }
        }
        requests.sort(Comparator.comparing(r -> r.get(0).eventTime()));
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < requests.size()) {
                        int status = sender.post(requests.get(i));
                        if (status != 200) {
                            throw new IllegalStateException("a bulk request was answered " + sender.lastRefusal());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
