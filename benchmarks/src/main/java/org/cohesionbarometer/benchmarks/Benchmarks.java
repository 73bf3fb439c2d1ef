package org.cohesionbarometer.benchmarks;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The barometer's benchmarks. Each reports its figure as a ratio to a baseline measured in the
 * same run on the same machine, never as an absolute time to assert on.
 */
@Command(name = "benchmarks", mixinStandardHelpOptions = true,
        subcommands = {StreamsBenchmark.class, IngestBenchmark.class, SinkBenchmark.class, EndToEndBenchmark.class, SqlBaselineBenchmark.class, RecoveryBenchmark.class, ScaleBenchmark.class},
        description = "Measures the barometer against baselines from the same run.")
public final class Benchmarks implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Benchmarks()).execute(args));
    }
}
