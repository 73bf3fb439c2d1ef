package org.cohesionbarometer.sink;

import org.cohesionbarometer.schemas.Environment;
import org.cohesionbarometer.schemas.SmallCells;
import org.cohesionbarometer.sink.quality.DataQualityFeed;
import org.cohesionbarometer.sink.quality.DataQualitySettings;

/** Applies the migrations, then runs the sink and its data-quality feed until stopped. */
public final class SinkApp {
    public static void main(String[] args) throws InterruptedException {
        run(Environment.system());
    }

    /** Migrates the database, then writes indicators and follows the data-quality feed until the JVM stops. */
    public static void run(Environment env) throws InterruptedException {
        SinkSettings settings = SinkSettings.fromEnvironment(env);
        Migrations.apply(settings.jdbcUrl(), settings.jdbcUser(), settings.jdbcPassword(),
                SmallCells.fromEnvironment(env), TimescaleSettings.fromEnvironment(env));
        IndicatorSink sink = new IndicatorSink(settings);
        DataQualityFeed feed = new DataQualityFeed(settings, DataQualitySettings.fromEnvironment(env));
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
        }, "sink-shutdown"));
        feedWorker.start();
        worker.start();
        worker.join();
    }

    private SinkApp() {
    }
}
