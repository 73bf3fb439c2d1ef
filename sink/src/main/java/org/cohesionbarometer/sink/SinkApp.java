package org.cohesionbarometer.sink;

import org.cohesionbarometer.operations.BrokerReachable;
import org.cohesionbarometer.operations.DatabaseReachable;
import org.cohesionbarometer.operations.OperationsServer;
import org.cohesionbarometer.operations.Readiness;
import org.cohesionbarometer.schemas.Environment;
import org.cohesionbarometer.sink.quality.DataQualityFeed;

/** Applies the migrations, then runs the sink and its data-quality feed until stopped. */
public final class SinkApp {
    public static void main(String[] args) throws InterruptedException {
        run(Environment.system());
    }

    /** Migrates the database, then writes indicators and follows the data-quality feed until the JVM stops. */
    public static void run(Environment env) throws InterruptedException {
        SinkConfiguration configuration = SinkConfiguration.fromEnvironment(env);
        SinkSettings settings = configuration.writer();
        Migrations.apply(settings.jdbcUrl(), settings.jdbcUser(), settings.jdbcPassword(), configuration.privacy(),
                configuration.timescale());
        IndicatorSink sink = new IndicatorSink(settings);
        DataQualityFeed feed = new DataQualityFeed(settings, configuration.quality());
        BrokerReachable broker = new BrokerReachable(settings.kafka().clientProperties());
        OperationsServer operations = OperationsServer.start("sink", OperationsServer.port(env), readiness(settings, broker));
        Thread worker = new Thread(sink, "indicator-sink");
        Thread feedWorker = new Thread(feed, "data-quality-feed");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sink.close();
            feed.close();
            try {
                worker.join(30_000);
                feedWorker.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            operations.close();
            broker.close();
        }, "sink-shutdown"));
        feedWorker.start();
        worker.start();
        worker.join();
    }

    /** Ready while Kafka and the database answer: without either nothing is written. */
    public static Readiness readiness(SinkSettings settings, BrokerReachable broker) {
        return new Readiness().with("kafka", broker)
                .with("database", new DatabaseReachable(settings.jdbcUrl(), settings.jdbcUser(), settings.jdbcPassword()));
    }

    private SinkApp() {
    }
}
