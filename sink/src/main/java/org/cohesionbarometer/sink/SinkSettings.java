package org.cohesionbarometer.sink;

import java.time.Duration;
import org.cohesionbarometer.schemas.Environment;
import org.cohesionbarometer.schemas.KafkaEndpoints;
import org.cohesionbarometer.schemas.StaticMembership;

/** Configuration of the sink, read from environment variables; where Kafka is, as every service reads it ({@link KafkaEndpoints}). */
public record SinkSettings(
        KafkaEndpoints kafka,
        String jdbcUrl,
        String jdbcUser,
        String jdbcPassword,
        String groupId,
        int maxBatch,
        Duration maxBackoff,
        StaticMembership membership) {

    /** Without static membership (tests starting several sinks on one broker). */
    public SinkSettings(KafkaEndpoints kafka, String jdbcUrl, String jdbcUser, String jdbcPassword, String groupId,
                        int maxBatch, Duration maxBackoff) {
        this(kafka, jdbcUrl, jdbcUser, jdbcPassword, groupId, maxBatch, maxBackoff, StaticMembership.NONE);
    }

    public static SinkSettings fromEnvironment(Environment env) {
        return new SinkSettings(
                KafkaEndpoints.fromEnvironment(env),
                env.string("BAROMETER_JDBC_URL", "jdbc:postgresql://localhost:5432/barometer"),
                env.string("BAROMETER_JDBC_USER", "barometer"),
                env.string("BAROMETER_JDBC_PASSWORD", ""),
                env.string("BAROMETER_SINK_GROUP_ID", "cohesion-barometer-sink"),
                env.integer("BAROMETER_SINK_MAX_BATCH", 2000),
                env.duration("BAROMETER_SINK_MAX_BACKOFF", Duration.ofSeconds(30)),
                StaticMembership.fromEnvironment(env));
    }

    public SinkSettings withEndpoints(String bootstrap, String registryUrl, String jdbcUrl, String user, String password) {
        return new SinkSettings(kafka.at(bootstrap, registryUrl), jdbcUrl, user, password, groupId, maxBatch, maxBackoff, membership);
    }
}
