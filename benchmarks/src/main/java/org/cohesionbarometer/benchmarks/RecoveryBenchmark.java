package org.cohesionbarometer.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * kill -9 of the whole stack (its JVM and its PostgreSQL) under load, then a restart on the same
 * data directory: how long until the API answers again, and until the database is fresh again
 * (every probe acknowledged from then on is in the database within 2 s). The clients retry a
 * request the API could not take with the same event ids, as organisers' apps do, and at the end
 * every accepted check-in and contact must be counted once.
 */
@Command(name = "recovery", mixinStandardHelpOptions = true,
        description = "kill -9 of the all-in-one stack under load: seconds until the API answers and until freshness is under 2 s again.")
final class RecoveryBenchmark implements Callable<Integer> {

    @Option(names = "--rate", description = "offered signals/s during the drill (default ${DEFAULT-VALUE})")
    int rate = 500;

    @Option(names = "--before-seconds", description = "seconds of load before the kill (default ${DEFAULT-VALUE})")
    int beforeSeconds = 30;

    @Option(names = "--after-seconds", description = "seconds of load after the restart (default ${DEFAULT-VALUE})")
    int afterSeconds = 120;

    @Option(names = "--clients", description = "client threads (default ${DEFAULT-VALUE})")
    int clients = 4;

    @Option(names = "--keep-data", description = "keep the stack's data directory and its log (stack.log) afterwards")
    boolean keepData;

    @Option(names = "--stack-heap", description = "the stack JVM's -Xmx (default ${DEFAULT-VALUE})")
    String stackHeap = "1g";

    @Override
    public Integer call() throws Exception {
        Path data = Files.createTempDirectory("barometer-bench-recovery");
        System.out.printf("recovery benchmark: %,d signals/s of the realistic mix in bulk requests of 500, kill -9 of the stack "
                + "(JVM and PostgreSQL) after %d s, restart on the same data directory; load average %s%n",
                rate, beforeSeconds, StackFootprint.loadAverage());
        try (StackProcess stack = StackProcess.start(data, stackHeap, Map.of())) {
            new BulkSender(stack.ingestUrl(), StackProcess.ADMIN_TOKEN).seed(new BenchCity(20, 100_000, 0));
            try (FreshnessProbe probe = new FreshnessProbe(stack, 100).start();
                 OfferedLoad load = new OfferedLoad(stack.ingestUrl(), clients, 500, 20, 100_000, 43)) {
                if (!probe.awaitSeen(1, 120_000)) {
                    throw new IllegalStateException("no probe reached the database within two minutes");
                }
                load.retryUntilAccepted(true);
                load.offer(rate);
                Thread.sleep(beforeSeconds * 1000L / 2);
                int steadyFrom = probe.mark();
                Thread.sleep(beforeSeconds * 1000L / 2);
                int killedAt = probe.mark();
                Histogram before = probe.freshness(steadyFrom, killedAt);
                String loadAverage = StackFootprint.loadAverage();

                long killNanos = System.nanoTime();
                stack.killNine();
                stack.restart();
                double restartSeconds = (System.nanoTime() - killNanos) / 1e9; // from the kill to the API answering
                Thread.sleep(afterSeconds * 1000L);
                load.pause();
                int loadEnded = probe.mark();
                probe.awaitSeen(loadEnded, 120_000);

                List<long[]> after = probe.since(killedAt).subList(0, loadEnded - killedAt);
                double freshAgain = freshAgainSeconds(after, killNanos);
                System.out.printf("  before the kill: freshness p50 %.2f s, p99 %.2f s (load average %s)%n",
                        EndToEndBenchmark.seconds(before, 50), EndToEndBenchmark.seconds(before, 99), loadAverage);
                System.out.printf("  kill -9 to the API answering again: %.1f s; probes refused or unanswered meanwhile: %d; "
                        + "requests retried: %d%n", restartSeconds, probe.failedProbes(), load.errors());
                printTimeline(after, killNanos);
                EndToEndBenchmark.checkNothingLost(stack, load, probe);
                if (freshAgain < 0) {
                    System.out.printf("RESULT recovery: freshness not back under 2 s within %d s of the restart%n", afterSeconds);
                } else {
                    System.out.printf("RESULT recovery: kill -9 under %,d signals/s: API back after %.1f s, freshness p99 under 2 s "
                            + "again %.1f s after the kill%n", rate, restartSeconds, freshAgain);
                }
            }
        } finally {
            if (keepData) {
                System.out.println("  the stack's data directory and log are kept in " + data);
            } else {
                EndToEndBenchmark.deleteQuietly(data);
            }
        }
        return 0;
    }

    /** Freshness of the probes acknowledged in each 10 s after the kill, to see how the backlog drains. */
    private static void printTimeline(List<long[]> probes, long killNanos) {
        StringBuilder line = new StringBuilder("  freshness after the kill, per 10 s of acknowledgement (p99 / max, s):");
        long bucket = -1;
        Histogram h = null;
        for (long[] p : probes) {
            long b = Math.max(0, (p[0] - killNanos) / 10_000_000_000L);
            if (b != bucket) {
                if (h != null) {
                    line.append(String.format(" [%d-%d s] %.1f / %.1f", bucket * 10, bucket * 10 + 10, h.getValueAtPercentile(99) / 1e6,
                            h.getMaxValue() / 1e6));
                }
                bucket = b;
                h = new Histogram(3_600_000_000L, 3);
            }
            h.recordValue(p[1] < 0 ? 3_599_000_000L : p[1]);
        }
        if (h != null) {
            line.append(String.format(" [%d-%d s] %.1f / %.1f", bucket * 10, bucket * 10 + 10, h.getValueAtPercentile(99) / 1e6,
                    h.getMaxValue() / 1e6));
        }
        System.out.println(line);
    }

    /**
     * Seconds from the kill to the acknowledgement of the first probe from which on every probe
     * was in the database within the limit (at least ten of them); -1 when that never happened.
     */
    static double freshAgainSeconds(List<long[]> probes, long killNanos) {
        long limitMicros = (long) (EndToEndBenchmark.FRESHNESS_LIMIT_SECONDS * 1e6);
        int firstOfRun = -1;
        for (int i = 0; i < probes.size(); i++) {
            long freshness = probes.get(i)[1];
            boolean fresh = freshness >= 0 && freshness <= limitMicros && probes.get(i)[0] > killNanos;
            if (!fresh) {
                firstOfRun = -1;
            } else if (firstOfRun < 0) {
                firstOfRun = i;
            }
        }
        if (firstOfRun < 0 || probes.size() - firstOfRun < 10) {
            return -1;
        }
        return (probes.get(firstOfRun)[0] - killNanos) / 1e9;
    }
}
