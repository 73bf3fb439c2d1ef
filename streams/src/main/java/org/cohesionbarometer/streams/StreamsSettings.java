package org.cohesionbarometer.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.cohesionbarometer.schemas.Environment;
import org.cohesionbarometer.schemas.SignalAge;
import org.cohesionbarometer.schemas.Topics;
import org.cohesionbarometer.streams.indicators.CohesionIndex;
import org.cohesionbarometer.schemas.SmallCells;

/**
 * Configuration of the streams stage, read from environment variables.
 *
 * @param grace        how long after a window ends late signals still update it (paper sheets typed in
 *                     weeks later, kiosks uploading taps they buffered while offline); by default it
 *                     follows the oldest signal the API accepts ({@link SignalAge}), and it may not be
 *                     shorter, so that every accepted signal is counted
 * @param dedupHorizon how long an event id is remembered to drop its duplicates; must exceed the
 *                     grace period, since a retried upload may arrive as late as any signal
 * @param commitInterval how often the application commits (exactly-once transactions) and sends
 *                     what each partition's signals added to their neighbourhood-hours on; indicator
 *                     updates reach the topics within a few of these
 */
public record StreamsSettings(
        String bootstrapServers,
        String schemaRegistryUrl,
        boolean autoRegisterSchemas,
        String applicationId,
        Path stateDir,
        Duration window,
        Duration grace,
        Duration dedupHorizon,
        int replicationFactor,
        int suppressionK,
        CohesionIndex cohesionWeights,
        Duration kioskDebounce,
        Duration commitInterval) {

    public static StreamsSettings fromEnvironment(Environment env) {
        SignalAge accepted = SignalAge.fromEnvironment(env);
        Duration grace = env.duration("BAROMETER_GRACE", accepted.windowGrace());
        accepted.requireCountedWithin(grace);
        return new StreamsSettings(
                env.string("BAROMETER_KAFKA_BOOTSTRAP", "localhost:9092"),
                env.string("BAROMETER_SCHEMA_REGISTRY_URL", "http://localhost:8081"),
                env.flag("BAROMETER_SCHEMA_AUTO_REGISTER", true),
                env.string("BAROMETER_STREAMS_APPLICATION_ID", "cohesion-barometer-indicators"),
                Path.of(env.string("BAROMETER_STREAMS_STATE_DIR", System.getProperty("java.io.tmpdir") + "/barometer-streams")),
                Duration.ofHours(1),
                grace,
                env.duration("BAROMETER_DEDUP_HORIZON", grace),
                env.integer("BAROMETER_REPLICATION_FACTOR", 3),
                SmallCells.fromEnvironment(env).k(),
                weights(env.string("BAROMETER_COHESION_WEIGHTS", "0.25,0.25,0.25,0.25")),
                env.duration("BAROMETER_KIOSK_DEBOUNCE", Duration.ofSeconds(5)),
                env.duration("BAROMETER_COMMIT_INTERVAL", DEFAULT_COMMIT_INTERVAL));
    }

    /** "participation,diversity,mixing,sentiment", e.g. 0.25,0.25,0.25,0.25. */
    static CohesionIndex weights(String text) {
        String[] parts = text.split(",");
        try {
            if (parts.length != 4) {
                throw new IllegalArgumentException("need four weights");
            }
            return new CohesionIndex(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()),
                    Double.parseDouble(parts[2].trim()), Double.parseDouble(parts[3].trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("BAROMETER_COHESION_WEIGHTS='" + text
                    + "' is not four non-negative numbers: participation,diversity,mixing,sentiment", e);
        }
    }

    /**
     * Defaults for tests and the embedded run: 1-hour windows, a grace period that takes every signal
     * the API accepts (31 days), ids remembered as long, k = 10, equal weights.
     */
    public static StreamsSettings defaults(String bootstrap, String registryUrl, Path stateDir) {
        Duration grace = SignalAge.DEFAULT.windowGrace();
        return new StreamsSettings(bootstrap, registryUrl, true, "cohesion-barometer-indicators", stateDir,
                Duration.ofHours(1), grace, grace, 1, SmallCells.DEFAULT_K, CohesionIndex.EQUAL_WEIGHTS,
                Duration.ofSeconds(5), DEFAULT_COMMIT_INTERVAL);
    }

    /** Kafka Streams' own default under exactly-once. */
    static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);

    public StreamsSettings {
        new SmallCells(suppressionK); // refuses k below the minimum, naming it
        if (dedupHorizon.compareTo(grace) < 0) {
            throw new IllegalArgumentException("BAROMETER_DEDUP_HORIZON (" + dedupHorizon
                    + ") must not be shorter than BAROMETER_GRACE (" + grace + ")");
        }
        if (commitInterval.isNegative() || commitInterval.isZero() || commitInterval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("BAROMETER_COMMIT_INTERVAL (" + commitInterval
                    + ") must be more than zero and at most a minute");
        }
    }

    /** The same with another grace period (ids remembered at least as long), for benchmarks comparing grace periods. */
    public StreamsSettings withGrace(Duration otherGrace) {
        Duration horizon = dedupHorizon.compareTo(otherGrace) < 0 ? otherGrace : dedupHorizon;
        return new StreamsSettings(bootstrapServers, schemaRegistryUrl, autoRegisterSchemas, applicationId, stateDir, window,
                otherGrace, horizon, replicationFactor, suppressionK, cohesionWeights, kioskDebounce, commitInterval);
    }

    public StreamsSettings withBootstrap(String bootstrap, String registryUrl, Path stateDir, int replicationFactor) {
        return new StreamsSettings(bootstrap, registryUrl, autoRegisterSchemas, applicationId, stateDir, window, grace,
                dedupHorizon, replicationFactor, suppressionK, cohesionWeights, kioskDebounce, commitInterval);
    }

    public Properties toProperties() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        // Undecodable signals go to the dead-letter topic with the exception in headers; the app keeps running.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                org.apache.kafka.streams.errors.LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DEAD_LETTERS);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        return props;
    }
}
