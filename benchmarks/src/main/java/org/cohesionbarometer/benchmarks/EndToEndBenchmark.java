package org.cohesionbarometer.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole barometer as its users feel it: the all-in-one stack in a JVM of its own under stepped
 * offered loads of the realistic mix (bulk requests over keep-alive from client threads in this
 * JVM), with the freshness of the database measured from each probe's 2xx to the row reflecting it.
 */
@Command(name = "e2e", mixinStandardHelpOptions = true,
        description = "The all-in-one stack under stepped loads: accepted rate, freshness p50/p99/max, CPU and memory per step.")
final class EndToEndBenchmark implements Callable<Integer> {
    static final double FRESHNESS_LIMIT_SECONDS = 2.0;

    @Option(names = "--steps", split = ",", description = "offered loads in signals/s; 0 is the probes alone, the baseline (default ${DEFAULT-VALUE})")
    List<Integer> steps = List.of(0, 1_000, 5_000, 20_000, 50_000);

    @Option(names = "--step-seconds", description = "seconds each load is held (default ${DEFAULT-VALUE})")
    int stepSeconds = 30;

    @Option(names = "--batch", description = "signals per bulk request (default ${DEFAULT-VALUE})")
    int batch = 500;

    @Option(names = "--clients", description = "client threads (default ${DEFAULT-VALUE})")
    int clients = 8;

    @Option(names = "--neighbourhoods", description = "neighbourhoods of the city (default ${DEFAULT-VALUE})")
    int neighbourhoods = 20;

    @Option(names = "--participants", description = "distinct participants the signals come from (default ${DEFAULT-VALUE})")
    int participants = 100_000;

    @Option(names = "--stack-heap", description = "the stack JVM's -Xmx (default ${DEFAULT-VALUE})")
    String stackHeap = "1g";

    @Option(names = "--stack-jfr", description = "write a JFR recording (profile settings) of the stack's JVM to this file")
    Path stackJfr;

    @Option(names = "--stack-env", description = "a setting for the stack, NAME=VALUE (repeatable), e.g. BAROMETER_COMMIT_INTERVAL=PT1S")
    Map<String, String> stackEnvironment = new java.util.LinkedHashMap<>();

    @Option(names = "--keep-going", description = "run every step even past the freshness limit or errors")
    boolean keepGoing;

    private Map<String, String> stackSettings() {
        Map<String, String> settings = new java.util.HashMap<>(stackEnvironment);
        if (stackJfr != null) {
            settings.put(StackProcess.FLIGHT_RECORDING, stackJfr.toAbsolutePath().toString());
        }
        return settings;
    }

    /** One step's figures. */
    record Step(int offered, double acceptedRate, Histogram freshness, long errors, double cpuCores, StackFootprint.Sample peak,
                String load) {
        boolean held() {
            return errors == 0 && freshness.getValueAtPercentile(99) / 1e6 <= FRESHNESS_LIMIT_SECONDS;
        }
    }

    @Override
    public Integer call() throws Exception {
        Path data = Files.createTempDirectory("barometer-bench-e2e");
        System.out.printf("e2e benchmark: the all-in-one stack (-Xmx%s) in its own JVM; the realistic mix (60%% check-ins, 30%% "
                        + "contacts, 10%% taps) in bulk requests of %d from %d client threads in this JVM; steps %s signals/s "
                        + "of %d s; %d neighbourhoods, %,d participants; stack settings %s; load average %s%n",
                stackHeap, batch, clients, steps, stepSeconds, neighbourhoods, participants, stackEnvironment, StackFootprint.loadAverage());
        List<Step> results = new ArrayList<>();
        try (StackProcess stack = StackProcess.start(data, stackHeap, stackSettings())) {
            BulkSender admin = new BulkSender(stack.ingestUrl(), StackProcess.ADMIN_TOKEN);
            admin.seed(new BenchCity(neighbourhoods, participants, 0));
            try (FreshnessProbe probe = new FreshnessProbe(stack, 100).start();
                 OfferedLoad load = new OfferedLoad(stack.ingestUrl(), clients, batch, neighbourhoods, participants, 42)) {
                if (!probe.awaitSeen(1, 120_000)) {
                    throw new IllegalStateException("no probe reached the database within two minutes; see " + data.resolve("stack.log"));
                }
                warmUp(probe, load);
                Thread.sleep(5_000); // the idle stack's freshness settles
                for (int offered : steps) {
                    Step step = runStep(stack, probe, load, offered);
                    results.add(step);
                    print(step);
                    if (step.errors() > 0) {
                        System.out.println("    the last error: " + load.lastRefusal());
                    }
                    if (!step.held() && !keepGoing) {
                        break;
                    }
                    load.pause();
                    probe.awaitSeen(probe.mark(), 120_000); // the backlog drains before the next step
                }
                load.pause();
                Thread.sleep(2_000);
                checkNothingLost(stack, load, probe);
            }
        }
        report(results);
        deleteQuietly(data);
        return 0;
    }

    @Option(names = "--step-seconds-warm-up", description = "seconds at each load before measuring (default ${DEFAULT-VALUE})")
    int warmUpSeconds = 5;

    @Option(names = "--warm-up-seconds", description = "load before the first step, not measured, so that the JIT has compiled "
            + "the hot paths and the idle step measures a warm stack (default ${DEFAULT-VALUE}; 0: none)")
    int stackWarmUpSeconds = 60;

    @Option(names = "--warm-up-rate", description = "signals per second offered while warming up (default ${DEFAULT-VALUE})")
    int stackWarmUpRate = 2_000;

    /**
     * A freshly started JVM spends its first minute compiling: measured then, the idle stack used
     * 0.63-0.78 cores, of which half the JIT's, and 0.3-0.45 cores once warm (docs/benchmarks.md).
     * As JMH's warm-up iterations, a load before the steps, drained, and not measured.
     */
    private void warmUp(FreshnessProbe probe, OfferedLoad load) throws Exception {
        if (stackWarmUpSeconds <= 0) {
            return;
        }
        long started = System.nanoTime();
        load.offer(stackWarmUpRate);
        Thread.sleep(stackWarmUpSeconds * 1000L);
        load.pause();
        probe.awaitSeen(probe.mark(), 120_000);
        System.out.printf("  warm-up: %d s at %,d signals/s, drained after %.0f s (not measured)%n", stackWarmUpSeconds, stackWarmUpRate,
                (System.nanoTime() - started) / 1e9);
    }

    Step runStep(StackProcess stack, FreshnessProbe probe, OfferedLoad load, int offered) throws Exception {
        load.offer(offered);
        Thread.sleep(warmUpSeconds * 1000L);
        String loadAverage = StackFootprint.loadAverage();
        StackFootprint.Sample before = StackFootprint.sample(stack);
        long acceptedBefore = load.accepted();
        long errorsBefore = load.errors();
        int from = probe.mark();
        long started = System.nanoTime();
        StackFootprint.Sample peak = before;
        long end = started + stepSeconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            Thread.sleep(1_000);
            StackFootprint.Sample now = StackFootprint.sample(stack);
            if (now.totalBytes() > peak.totalBytes()) {
                peak = now;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long accepted = load.accepted() - acceptedBefore;
        StackFootprint.Sample after = StackFootprint.sample(stack);
        int to = probe.mark();
        load.pause();
        probe.awaitSeen(to, 30_000); // a probe not seen after 30 s counts as seen now
        return new Step(offered, accepted / seconds, probe.freshness(from, to), load.errors() - errorsBefore,
                (after.cpuSeconds() - before.cpuSeconds()) / seconds, peak, loadAverage);
    }

    private static void print(Step s) {
        System.out.printf("  offered %,7d/s: accepted %,9.0f/s, freshness p50 %5.2f s p99 %5.2f s max %5.2f s (%d probes), "
                        + "errors %d, stack CPU %.2f cores, memory JVM RSS %,d MiB + PostgreSQL PSS %,d MiB; load average %s%s%n",
                s.offered(), s.acceptedRate(), seconds(s.freshness(), 50), seconds(s.freshness(), 99),
                s.freshness().getMaxValue() / 1e6, s.freshness().getTotalCount(), s.errors(), s.cpuCores(),
                s.peak().jvmRssBytes() >> 20, s.peak().postgresPssBytes() >> 20, s.load(), s.held() ? "" : "  <- not held");
    }

    static double seconds(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e6;
    }

    private static void report(List<Step> results) {
        Step best = null;
        for (Step s : results) {
            if (s.held() && s.offered() > 0) {
                best = s;
            }
        }
        System.out.println("| offered/s | accepted/s | freshness p50 | p99 | max | errors | stack CPU (cores) | JVM RSS | PostgreSQL PSS | load avg |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Step s : results) {
            System.out.printf("| %,d | %,.0f | %.2f s | %.2f s | %.2f s | %d | %.2f | %,d MiB | %,d MiB | %s |%n", s.offered(), s.acceptedRate(),
                    seconds(s.freshness(), 50), seconds(s.freshness(), 99), s.freshness().getMaxValue() / 1e6, s.errors(),
                    s.cpuCores(), s.peak().jvmRssBytes() >> 20, s.peak().postgresPssBytes() >> 20, s.load());
        }
        if (best == null) {
            System.out.println("RESULT e2e: no load step held freshness p99 <= 2 s without errors  [goals: p99 <= 2 s at 5,000/s; "
                    + ">= 50,000/s]");
        } else {
            System.out.printf("RESULT e2e: highest load held with freshness p99 <= 2 s: %,d signals/s offered, %,.0f accepted "
                    + "(p99 %.2f s)  [goals: p99 <= 2 s at 5,000/s; >= 50,000/s]%n", best.offered(), best.acceptedRate(),
                    seconds(best.freshness(), 99));
        }
    }

    /** Every accepted check-in and contact is counted in the database (the stack had two minutes to catch up). */
    static void checkNothingLost(StackProcess stack, OfferedLoad load, FreshnessProbe probe) throws Exception {
        probe.awaitSeen(probe.mark(), 120_000);
        long expected = load.acceptedCheckInsAndContacts();
        long counted = 0;
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            try (Connection db = stack.database(); ResultSet rs = db.createStatement().executeQuery(
                    "SELECT coalesce(sum(check_ins + contacts), 0) FROM neighbourhood_hourly WHERE activity_id = '' "
                            + "AND neighbourhood_id <> '" + BenchCity.PROBE_NEIGHBOURHOOD + "'")) {
                rs.next();
                counted = rs.getLong(1);
            }
            if (counted >= expected) {
                break;
            }
            Thread.sleep(1_000);
        }
        System.out.printf("  accepted check-ins and contacts %,d; counted in the database %,d%s%n", expected, counted,
                counted == expected ? " (none lost, none twice)" : "  <- DIFFERENT");
        if (counted != expected) {
            throw new IllegalStateException("the database counts " + counted + " check-ins and contacts; the API accepted " + expected);
        }
    }

    static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a temporary directory
        }
    }
}
