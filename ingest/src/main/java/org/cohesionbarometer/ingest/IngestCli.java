package org.cohesionbarometer.ingest;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.cohesionbarometer.ingest.csv.CsvImport;
import org.cohesionbarometer.ingest.simulator.CitySimulator;
import org.cohesionbarometer.ingest.simulator.DemoCity;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The organisers' and operators' command line: {@code serve}, {@code import-csv}, {@code simulate}, {@code tokens}. */
@Command(name = "barometer-ingest", mixinStandardHelpOptions = true,
        subcommands = {IngestCli.Serve.class, CsvImport.class, IngestCli.Simulate.class, TokensCli.class},
        description = "Signals into the community cohesion barometer.")
public final class IngestCli implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    @Command(name = "serve", description = "Run the ingest API (settings from BAROMETER_* environment variables).")
    static final class Serve implements Runnable {
        @Override
        public void run() {
            IngestApp.main(new String[0]);
        }
    }

    @Command(name = "simulate", mixinStandardHelpOptions = true,
            description = "Seed the demo city through the admin API and post realistic signals at a chosen rate.")
    static final class Simulate implements Callable<Integer> {
        @Option(names = "--ingest-url", defaultValue = "http://localhost:8080")
        String ingestUrl;

        @Option(names = "--admin-token", required = true, description = "to register the demo city's reference data")
        String adminToken;

        @Option(names = "--rate", defaultValue = "20", description = "signals per second (default ${DEFAULT-VALUE})")
        double rate;

        @Option(names = "--seconds", defaultValue = "0", description = "stop after this long (0: run until stopped)")
        long seconds;

        @Override
        public Integer call() throws Exception {
            CitySimulator simulator = new CitySimulator(ingestUrl, adminToken, DemoCity.riverton(Instant.now()), rate,
                    Clock.systemUTC(), System.nanoTime());
            simulator.seed();
            if (seconds <= 0) {
                simulator.run();
            } else {
                for (long tick = 0; tick < seconds; tick++) {
                    simulator.postOneSecond(tick);
                }
            }
            System.out.printf("posted %,d signals, %,d refused%n", simulator.posted(), simulator.refused());
            return 0;
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new IngestCli()).execute(args));
    }
}
