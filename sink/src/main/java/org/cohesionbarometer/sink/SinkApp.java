package org.cohesionbarometer.sink;

import org.cohesionbarometer.schemas.Environment;

/** Applies the migrations, then runs the sink until stopped. */
public final class SinkApp {
    public static void main(String[] args) throws InterruptedException {
        Environment env = Environment.system();
        SinkSettings settings = SinkSettings.fromEnvironment(env);
        Migrations.apply(settings.jdbcUrl(), settings.jdbcUser(), settings.jdbcPassword(),
                env.integer("BAROMETER_SUPPRESSION_K", Migrations.DEFAULT_SUPPRESSION_K), TimescaleSettings.fromEnvironment(env));
        IndicatorSink sink = new IndicatorSink(settings);
        Thread worker = new Thread(sink, "indicator-sink");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sink.close();
            try {
                worker.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sink-shutdown"));
        worker.start();
        worker.join();
    }

    private SinkApp() {
    }
}
