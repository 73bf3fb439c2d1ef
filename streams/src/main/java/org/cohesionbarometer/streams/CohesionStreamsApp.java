package org.cohesionbarometer.streams;

import org.apache.kafka.streams.KafkaStreams;
import org.cohesionbarometer.schemas.Environment;
import org.cohesionbarometer.schemas.wire.RegistrySerdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the indicator topology until stopped. */
public final class CohesionStreamsApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CohesionStreamsApp.class);
    private final KafkaStreams streams;

    public CohesionStreamsApp(StreamsSettings settings) {
        var topology = CohesionTopology.build(settings,
                new RegistrySerdes(settings.schemaRegistryUrl(), settings.autoRegisterSchemas()));
        LOG.debug("Topology:\n{}", topology.describe());
        this.streams = new KafkaStreams(topology, settings.toProperties());
    }

    public CohesionStreamsApp start() {
        streams.start();
        return this;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        streams.close(java.time.Duration.ofSeconds(30));
    }

    public static void main(String[] args) {
        var app = new CohesionStreamsApp(StreamsSettings.fromEnvironment(Environment.system()));
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "streams-shutdown"));
        app.start();
    }
}
