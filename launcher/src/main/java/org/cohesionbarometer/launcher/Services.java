package org.cohesionbarometer.launcher;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.cohesionbarometer.allinone.EmbeddedBarometer;
import org.cohesionbarometer.allinone.EmbeddedSettings;
import org.cohesionbarometer.ingest.IngestApp;
import org.cohesionbarometer.ingest.IngestSettings;
import org.cohesionbarometer.operations.OperationsServer;
import org.cohesionbarometer.schemas.Environment;
import org.cohesionbarometer.sink.SinkApp;
import org.cohesionbarometer.streams.CohesionStreamsApp;
import org.cohesionbarometer.streams.StreamsSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The long-running subcommands: the embedded run and the three production services the
 * Dockerfile starts. Each runs until Ctrl-C or SIGTERM, stops cleanly, and exits 130 or 143.
 */
final class Services {

    @Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
            description = {"The whole barometer in one process, on a fixed data directory: a KRaft Kafka broker, a schema "
                    + "registry, PostgreSQL, the ingest API, the streams stage, the sink and a simulated city. "
                    + "Prints where everything is, then a summary line every 10 s. Ctrl-C stops it; run again to resume."})
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            EmbeddedBarometer.runUntilStopped(EmbeddedSettings.fromEnvironment(ServiceSettings.environment(spec, System.getenv())));
            return 0;
        }
    }

    @Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
            description = "The ingest API (production service): validates signals and reference data and writes them to Kafka.")
    static final class Ingest implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            IngestSettings settings = IngestSettings.fromEnvironment(ServiceSettings.environment(spec, System.getenv()));
            Environment env = ServiceSettings.environment(spec, System.getenv());
            IngestApp app = new IngestApp(settings);
            OperationsServer operations = OperationsServer.start("ingest", OperationsServer.port(env), app.readiness());
            System.out.printf("The ingest API listens on %s:%d (Kafka %s, registry %s); health and metrics on port %d. "
                    + "Ctrl-C stops it.%n", settings.host(), app.port(), settings.kafka().bootstrapServers(),
                    settings.kafka().schemaRegistryUrl(), operations.port());
            untilStopped(() -> {
                app.close();
                operations.close();
            }, "ingest");
            return 0;
        }
    }

    @Command(name = "streams", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
            description = "The streams stage (production service): signals -> per-neighbourhood indicators, exactly once.")
    static final class Streams implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Environment env = ServiceSettings.environment(spec, System.getenv());
            StreamsSettings settings = StreamsSettings.fromEnvironment(env);
            CohesionStreamsApp app = new CohesionStreamsApp(settings);
            OperationsServer operations = OperationsServer.start("streams", OperationsServer.port(env), app.readiness());
            app.start();
            System.out.printf("The streams stage runs against Kafka %s; health and metrics on port %d. Ctrl-C stops it.%n",
                    settings.kafka().bootstrapServers(), operations.port());
            untilStopped(() -> {
                app.close();
                operations.close();
            }, "streams");
            return 0;
        }
    }

    @Command(name = "sink", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
            description = "The sink (production service): applies the database migrations, then writes indicators to "
                    + "PostgreSQL/TimescaleDB and follows the data-quality feed.")
    static final class Sink implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Environment env = ServiceSettings.environment(spec, System.getenv());
            SinkApp.run(env);
            return 0;
        }
    }

    /** Blocks until the JVM stops; the shutdown hook closes the service first. */
    private static void untilStopped(AutoCloseable service, String name) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                service.close();
            } catch (Exception e) {
                System.err.println(name + ": while stopping: " + e.getMessage());
            }
            stopped.countDown();
        }, name + "-shutdown"));
        stopped.await();
    }

    private Services() {
    }
}
