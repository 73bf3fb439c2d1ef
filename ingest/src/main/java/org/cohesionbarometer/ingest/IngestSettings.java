package org.cohesionbarometer.ingest;

import java.time.Duration;
import org.cohesionbarometer.schemas.Environment;
import org.cohesionbarometer.schemas.KafkaEndpoints;
import org.cohesionbarometer.schemas.SignalAge;

/**
 * Configuration of the ingest API, read from environment variables; where Kafka is, as every service
 * reads it ({@link KafkaEndpoints}).
 *
 * @param maxRecordsPerRequest the largest bulk request (JSON array or NDJSON lines)
 * @param maxAge               how far in the past an event time may lie (paper sheets typed in later,
 *                             kiosks uploading after being offline); the streams stage's windows take
 *                             signals this old ({@link SignalAge}), so what is accepted is counted
 * @param maxClockSkew         how far in the future an event time may lie (device clocks drift)
 * @param kafkaTimeout         how long a request waits for Kafka's acknowledgement before answering 503
 * @param rateLimitPerMinute   requests an organiser token may send per minute, sustained (then 429)
 * @param rateLimitBurst       requests an organiser token may send at once after a quiet spell
 */
public record IngestSettings(
        KafkaEndpoints kafka,
        String host,
        int port,
        String adminToken,
        int maxRecordsPerRequest,
        Duration maxAge,
        Duration maxClockSkew,
        Duration kafkaTimeout,
        int rateLimitPerMinute,
        int rateLimitBurst) {

    public static IngestSettings fromEnvironment(Environment env) {
        SignalAge accepted = SignalAge.fromEnvironment(env);
        return new IngestSettings(
                KafkaEndpoints.fromEnvironment(env),
                env.string("BAROMETER_INGEST_HOST", "0.0.0.0"),
                env.integer("BAROMETER_INGEST_PORT", 8080),
                env.string("BAROMETER_ADMIN_TOKEN", ""),
                env.integer("BAROMETER_INGEST_MAX_RECORDS", 5000),
                accepted.maxAge(),
                accepted.maxClockSkew(),
                env.duration("BAROMETER_INGEST_KAFKA_TIMEOUT", Duration.ofSeconds(10)),
                env.integer("BAROMETER_INGEST_RATE_LIMIT_PER_MINUTE", 300),
                env.integer("BAROMETER_INGEST_RATE_LIMIT_BURST", 60));
    }

    public IngestSettings withEndpoints(String bootstrap, String registryUrl, String host, int port, String adminToken) {
        return new IngestSettings(kafka.at(bootstrap, registryUrl), host, port, adminToken,
                maxRecordsPerRequest, maxAge, maxClockSkew, kafkaTimeout, rateLimitPerMinute, rateLimitBurst);
    }
}
