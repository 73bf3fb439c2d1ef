package org.cohesionbarometer.clients;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.cohesionbarometer.clients.csv.CsvImport;
import org.cohesionbarometer.clients.simulator.CitySimulator;
import org.cohesionbarometer.clients.simulator.DemoCity;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The ingest API's clients on the command line: {@code import-csv}, {@code simulate}, {@code tokens} (the
 * {@code barometer} program offers each as its own command; the server itself is {@code IngestApp}).
 */
@Command(name = "barometer-clients", mixinStandardHelpOptions = true,
        subcommands = {CsvImport.class, ClientsCli.Simulate.class, TokensCli.class},
        description = "Signals into the community cohesion barometer.")
public final class ClientsCli implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
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
        System.exit(new CommandLine(new ClientsCli()).execute(args));
    }
}
