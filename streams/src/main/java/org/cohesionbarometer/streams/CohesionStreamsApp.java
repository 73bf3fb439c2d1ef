package org.cohesionbarometer.streams;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.util.Optional;
import org.cohesionbarometer.operations.BrokerReachable;
import org.cohesionbarometer.operations.OperationsServer;
import org.cohesionbarometer.operations.Readiness;
import org.cohesionbarometer.schemas.Environment;
import org.cohesionbarometer.schemas.Topics;
import org.cohesionbarometer.schemas.wire.RegistrySerdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the indicator topology until stopped. */
public final class CohesionStreamsApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CohesionStreamsApp.class);
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics metrics;
    private final BrokerReachable broker;

    public CohesionStreamsApp(StreamsSettings settings) {
        var topology = CohesionTopology.build(settings,
                settings.kafka().serdes(), signalPartitions(settings));
        LOG.debug("Topology:\n{}", topology.describe());
        this.streams = new KafkaStreams(topology, settings.toProperties());
        this.metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(Metrics.globalRegistry);
        this.broker = new BrokerReachable(settings.kafka().clientProperties());
    }

    /** Ready while Kafka answers and the application is RUNNING (not while it rebalances, restores or has failed). */
    public Readiness readiness() {
        return new Readiness().with("kafka", broker).with("streams", () -> streams.state() == KafkaStreams.State.RUNNING
                ? Optional.empty() : Optional.of("the application is " + streams.state() + ", not RUNNING"));
    }

    /** How many partitions the signal topics have (the most of the three); they must exist already. */
    static int signalPartitions(StreamsSettings settings) {
        try (Admin admin = Admin.create(settings.kafka().clientProperties())) {
            return admin.describeTopics(List.of(Topics.SIGNALS)).allTopicNames().get(60, TimeUnit.SECONDS).values().stream()
                    .mapToInt(topic -> topic.partitions().size()).max().orElseThrow();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the signal topics " + List.of(Topics.SIGNALS) + " at "
                    + settings.kafka().bootstrapServers() + " (create them before starting the streams stage): " + e.getCause().getMessage(), e);
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("no answer from Kafka at " + settings.kafka().bootstrapServers()
                    + " about the signal topics within 60 s", e);
        }
    }

    public CohesionStreamsApp start() {
        streams.start();
        return this;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * Stops, committing what it has done, and leaves the consumer group, so that whoever takes over
     * its partitions need not wait for its session to time out.
     */
    @Override
    public void close() {
        streams.close(CloseOptions.timeout(java.time.Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        metrics.close();
        broker.close();
    }

    public static void main(String[] args) {
        Environment env = Environment.system();
        var app = new CohesionStreamsApp(StreamsSettings.fromEnvironment(env));
        OperationsServer operations = OperationsServer.start("streams", OperationsServer.port(env), app.readiness());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            operations.close();
        }, "streams-shutdown"));
        app.start();
    }
}
