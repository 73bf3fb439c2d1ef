package org.cohesionbarometer.ingest;

import java.time.Clock;
import java.time.Duration;
import org.cohesionbarometer.operations.BrokerReachable;
import org.cohesionbarometer.operations.OperationsServer;
import org.cohesionbarometer.operations.Readiness;
import org.cohesionbarometer.schemas.Environment;
import org.cohesionbarometer.schemas.wire.RegistrySerdes;

/** The ingest service: the reference catalog, the Kafka publisher and the HTTP API. */
public final class IngestApp implements AutoCloseable {
    private final ReferenceCatalog catalog;
    private final SignalPublisher publisher;
    private final IngestServer server;
    private final BrokerReachable broker;

    public IngestApp(IngestSettings settings) {
        RegistrySerdes serdes = settings.kafka().serdes();
        this.catalog = new ReferenceCatalog(settings.kafka(), serdes).start(Duration.ofSeconds(30));
        this.publisher = new SignalPublisher(settings.kafka(), serdes, settings.kafkaTimeout());
        this.server = new IngestServer(settings, catalog, publisher, Clock.systemUTC()).start();
        this.broker = new BrokerReachable(settings.kafka().clientProperties());
    }

    public int port() {
        return server.port();
    }

    /** Ready while Kafka answers: without it every signal is refused with 503. */
    public Readiness readiness() {
        return new Readiness().with("kafka", broker);
    }

    @Override
    public void close() {
        broker.close();
        server.close();
        publisher.close();
        catalog.close();
    }

    public static void main(String[] args) {
        Environment env = Environment.system();
        IngestApp app = new IngestApp(IngestSettings.fromEnvironment(env));
        OperationsServer operations = OperationsServer.start("ingest", OperationsServer.port(env), app.readiness());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            operations.close();
        }, "ingest-shutdown"));
    }
}
