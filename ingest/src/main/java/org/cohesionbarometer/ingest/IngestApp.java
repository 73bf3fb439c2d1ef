package org.cohesionbarometer.ingest;

import java.time.Clock;
import java.time.Duration;
import org.cohesionbarometer.schemas.Environment;
import org.cohesionbarometer.schemas.wire.RegistrySerdes;

/** The ingest service: the reference catalog, the Kafka publisher and the HTTP API. */
public final class IngestApp implements AutoCloseable {
    private final ReferenceCatalog catalog;
    private final SignalPublisher publisher;
    private final IngestServer server;

    public IngestApp(IngestSettings settings) {
        RegistrySerdes serdes = settings.kafka().serdes();
        this.catalog = new ReferenceCatalog(settings.kafka(), serdes).start(Duration.ofSeconds(30));
        this.publisher = new SignalPublisher(settings.kafka(), serdes, settings.kafkaTimeout());
        this.server = new IngestServer(settings, catalog, publisher, Clock.systemUTC()).start();
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        publisher.close();
        catalog.close();
    }

    public static void main(String[] args) {
        IngestApp app = new IngestApp(IngestSettings.fromEnvironment(Environment.system()));
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "ingest-shutdown"));
    }
}
