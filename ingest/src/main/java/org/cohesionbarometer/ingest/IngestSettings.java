package org.cohesionbarometer.ingest;

import java.time.Duration;
import org.cohesionbarometer.schemas.Environment;
import org.cohesionbarometer.schemas.KafkaEndpoints;
import org.cohesionbarometer.schemas.SignalAge;

/**
 * Configuration of the ingest API, read from environment variables; where Kafka is, as every service
 * reads it ({@link KafkaEndpoints}).
 *
 * @param listener   where the API listens
 * @param adminToken the city's admin token (blank: the admin API is off)
 * @param acceptance what a request may carry and how long it waits for Kafka
 * @param rateLimit  what each organiser token may send
 */
public record IngestSettings(KafkaEndpoints kafka, Listener listener, String adminToken, Acceptance acceptance,
                             RateLimit rateLimit) {

    public record Listener(String host, int port) {
    }

    /**
     * @param maxRecordsPerRequest the largest bulk request (JSON array or NDJSON lines)
     * @param age                  how old or how far ahead an event time may be: the streams stage's
     *                             windows take signals this old ({@link SignalAge}), so what is accepted is counted
     * @param kafkaTimeout         how long a request waits for Kafka's acknowledgement before answering 503
     */
    public record Acceptance(int maxRecordsPerRequest, SignalAge age, Duration kafkaTimeout) {
    }

    /**
     * @param perMinute                      requests an organiser token may send per minute, sustained (then 429)
     * @param burst                          requests an organiser token may send at once after a quiet spell
     * @param failedAuthenticationsPerMinute wrong, unknown or revoked tokens a client address may present
     *                                       per minute before its requests get 429
     */
    public record RateLimit(int perMinute, int burst, int failedAuthenticationsPerMinute) {
        public static final int FAILED_AUTHENTICATIONS_PER_MINUTE = 20;

        public RateLimit(int perMinute, int burst) {
            this(perMinute, burst, FAILED_AUTHENTICATIONS_PER_MINUTE);
        }
    }

    public static IngestSettings fromEnvironment(Environment env) {
        return new IngestSettings(
                KafkaEndpoints.fromEnvironment(env),
                new Listener(env.string("BAROMETER_INGEST_HOST", "0.0.0.0"), env.integer("BAROMETER_INGEST_PORT", 8080)),
                env.string("BAROMETER_ADMIN_TOKEN", ""),
                new Acceptance(env.integer("BAROMETER_INGEST_MAX_RECORDS", 5000), SignalAge.fromEnvironment(env),
                        env.duration("BAROMETER_INGEST_KAFKA_TIMEOUT", Duration.ofSeconds(10))),
                new RateLimit(env.integer("BAROMETER_INGEST_RATE_LIMIT_PER_MINUTE", 300),
                        env.integer("BAROMETER_INGEST_RATE_LIMIT_BURST", 60),
                        env.integer("BAROMETER_INGEST_FAILED_AUTH_PER_MINUTE", RateLimit.FAILED_AUTHENTICATIONS_PER_MINUTE)));
    }

    public IngestSettings withEndpoints(String bootstrap, String registryUrl, String host, int port, String adminToken) {
        return new IngestSettings(kafka.at(bootstrap, registryUrl), new Listener(host, port), adminToken, acceptance, rateLimit);
    }

    // The names the server reads them by.

    public String host() {
        return listener.host();
    }

    public int port() {
        return listener.port();
    }

    public int maxRecordsPerRequest() {
        return acceptance.maxRecordsPerRequest();
    }

    public Duration maxAge() {
        return acceptance.age().maxAge();
    }

    public Duration maxClockSkew() {
        return acceptance.age().maxClockSkew();
    }

    public Duration kafkaTimeout() {
        return acceptance.kafkaTimeout();
    }

    public int rateLimitPerMinute() {
        return rateLimit.perMinute();
    }

    public int rateLimitBurst() {
        return rateLimit.burst();
    }

    public int failedAuthenticationsPerMinute() {
        return rateLimit.failedAuthenticationsPerMinute();
    }
}
