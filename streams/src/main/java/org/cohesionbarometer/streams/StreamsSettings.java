package org.cohesionbarometer.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.cohesionbarometer.schemas.Environment;
import org.cohesionbarometer.schemas.KafkaEndpoints;
import org.cohesionbarometer.schemas.SignalAge;
import org.cohesionbarometer.schemas.SmallCells;
import org.cohesionbarometer.schemas.StaticMembership;
import org.cohesionbarometer.schemas.Topics;
import org.cohesionbarometer.streams.indicators.CohesionIndex;

/**
 * Configuration of the streams stage, read from environment variables: where Kafka is (read alike
 * by every service, {@link KafkaEndpoints}), the application, how late a signal may be, the
 * privacy rule ({@link SmallCells}, shared with the sink), the composite index's weights and the
 * kiosks' debounce interval.
 */
public record StreamsSettings(
        KafkaEndpoints kafka,
        Application application,
        Lateness lateness,
        SmallCells smallCells,
        CohesionIndex cohesionWeights,
        Duration kioskDebounce) {

    /**
     * The Kafka Streams application.
     *
     * @param commitInterval how often the application commits (exactly-once transactions) and sends
     *                       what each partition's signals added to their neighbourhood-hours on; indicator
     *                       updates reach the topics within a few of these
     * @param membership     this instance's name in the consumer group, kept across restarts, so that a
     *                       restarted instance takes its tasks back at once ({@link StaticMembership})
     * @param threads        stream threads in this instance: each processes some of the partitions' tasks
     *                       and commits its own transactions
     */
    public record Application(String id, Path stateDir, int replicationFactor, Duration commitInterval,
                              StaticMembership membership, int threads) {
        public Application {
            if (commitInterval.isNegative() || commitInterval.isZero() || commitInterval.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("BAROMETER_COMMIT_INTERVAL (" + commitInterval
                        + ") must be more than zero and at most a minute");
            }
            if (threads < 1 || threads > MAX_THREADS) {
                throw new IllegalArgumentException("BAROMETER_STREAM_THREADS (" + threads + ") must be 1 to " + MAX_THREADS
                        + "; threads beyond the topics' partitions stay idle");
            }
        }
    }

    static final int MAX_THREADS = 64;
    /** Kafka Streams' own default. */
    static final int DEFAULT_THREADS = 1;

    /**
     * The windows and how late a signal may come to them.
     *
     * @param window       the windows' length (an hour)
     * @param grace        how long after a window ends late signals still update it (paper sheets typed in
     *                     weeks later, kiosks uploading taps they buffered while offline); by default it
     *                     follows the oldest signal the API accepts ({@link SignalAge}), and it may not be
     *                     shorter, so that every accepted signal is counted
     * @param dedupHorizon how long an event id is remembered to drop its duplicates; must exceed the
     *                     grace period, since a retried upload may arrive as late as any signal
     */
    public record Lateness(Duration window, Duration grace, Duration dedupHorizon) {
        public Lateness {
            if (dedupHorizon.compareTo(grace) < 0) {
                throw new IllegalArgumentException("BAROMETER_DEDUP_HORIZON (" + dedupHorizon
                        + ") must not be shorter than BAROMETER_GRACE (" + grace + ")");
            }
        }

        /** Hourly windows taking every signal the API accepts by default, ids remembered as long. */
        static Lateness following(SignalAge accepted) {
            Duration grace = accepted.windowGrace();
            return new Lateness(Duration.ofHours(1), grace, grace);
        }
    }

    public static StreamsSettings fromEnvironment(Environment env) {
        SignalAge accepted = SignalAge.fromEnvironment(env);
        Duration grace = env.duration("BAROMETER_GRACE", accepted.windowGrace());
        accepted.requireCountedWithin(grace);
        return new StreamsSettings(
                KafkaEndpoints.fromEnvironment(env),
                new Application(
                        env.string("BAROMETER_STREAMS_APPLICATION_ID", "cohesion-barometer-indicators"),
                        Path.of(env.string("BAROMETER_STREAMS_STATE_DIR", System.getProperty("java.io.tmpdir") + "/barometer-streams")),
                        env.integer("BAROMETER_REPLICATION_FACTOR", 3),
                        env.duration("BAROMETER_COMMIT_INTERVAL", DEFAULT_COMMIT_INTERVAL),
                        StaticMembership.fromEnvironment(env),
                        env.integer("BAROMETER_STREAM_THREADS", DEFAULT_THREADS)),
                new Lateness(Duration.ofHours(1), grace, env.duration("BAROMETER_DEDUP_HORIZON", grace)),
                SmallCells.fromEnvironment(env),
                weights(env.string("BAROMETER_COHESION_WEIGHTS", "0.25,0.25,0.25,0.25")),
                env.duration("BAROMETER_KIOSK_DEBOUNCE", Duration.ofSeconds(5)));
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
        return new StreamsSettings(KafkaEndpoints.of(bootstrap, registryUrl),
                new Application("cohesion-barometer-indicators", stateDir, 1, DEFAULT_COMMIT_INTERVAL, StaticMembership.NONE,
                        DEFAULT_THREADS),
                Lateness.following(SignalAge.DEFAULT), SmallCells.DEFAULT, CohesionIndex.EQUAL_WEIGHTS, Duration.ofSeconds(5));
    }

    /** Kafka Streams' own default under exactly-once. */
    static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);

    public Duration window() {
        return lateness.window();
    }

    public Duration grace() {
        return lateness.grace();
    }

    public Duration dedupHorizon() {
        return lateness.dedupHorizon();
    }

    /** The same with another grace period (ids remembered at least as long), for benchmarks comparing grace periods. */
    public StreamsSettings withGrace(Duration otherGrace) {
        Duration horizon = dedupHorizon().compareTo(otherGrace) < 0 ? otherGrace : dedupHorizon();
        return new StreamsSettings(kafka, application, new Lateness(window(), otherGrace, horizon), smallCells,
                cohesionWeights, kioskDebounce);
    }

    public StreamsSettings withBootstrap(String bootstrap, String registryUrl, Path stateDir, int replicationFactor) {
        return new StreamsSettings(kafka.at(bootstrap, registryUrl),
                new Application(application.id(), stateDir, replicationFactor, application.commitInterval(), application.membership(),
                        application.threads()),
                lateness, smallCells, cohesionWeights, kioskDebounce);
    }

    /**
     * What brings the stage back within seconds after a crash (docs/operations.md). Under exactly-once,
     * Kafka Streams 4.3 cannot tell committed from uncommitted data in a store a killed process left
     * behind ("did not find checkpoint offsets while stores are not empty", TaskCorruptedException): it
     * wipes each such task and restores it from its changelog. That is by design until stores are
     * transactional (KIP-892), so the restore is made quick, and nothing else is waited for:
     * <ul>
     *   <li>static membership: the restarted instance rejoins under its old name and gets its tasks back
     *       at once, where a new member waited for the dead one's session to time out (45 s) and two
     *       rebalances;</li>
     *   <li>the producer's transactional id follows the process id kept in the state directory, so the
     *       restarted instance fences and aborts the dead one's open transaction at once (the state
     *       directory must survive restarts: a volume in compose, .barometer/streams in the embedded
     *       run); a transaction left by a process that never returns is aborted after 10 s;</li>
     *   <li>a restore reads large batches, so a wiped store is rebuilt at the broker's speed, and does not
     *       wait at the end of each partition.</li>
     * </ul>
     */
    private void recoverQuickly(Properties props) {
        application.membership().instanceFor("streams")
                .ifPresent(id -> props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), (int) SESSION_TIMEOUT.toMillis());
        props.put(StreamsConfig.producerPrefix("transaction.timeout.ms"), (int) TRANSACTION_TIMEOUT.toMillis());
        props.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 10_000);
        // Restoring reads each partition to its end, and a fetch at the end waits fetch.max.wait.ms
        // (500 ms) for data that will not come: the reference data's global stores, restored one
        // partition after the other, took 4.5 s of every start that way.
        props.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), (int) RESTORE_FETCH_WAIT.toMillis());
        props.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), (int) RESTORE_FETCH_WAIT.toMillis());
    }

    /** How long a restoring (or the global) consumer's fetch waits at the end of a partition. */
    static final Duration RESTORE_FETCH_WAIT = Duration.ofMillis(50);

    /** How long an instance that does not come back keeps its tasks before the others take them over. */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(30);
    /** How long a dead instance's open transaction can hold back readers of its output (read_committed). */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(10);

    public Properties toProperties() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, application.id());
        props.putAll(kafka.clientProperties());
        props.put(StreamsConfig.STATE_DIR_CONFIG, application.stateDir().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, application.replicationFactor());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, application.commitInterval().toMillis());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, application.threads());
        // Undecodable signals go to the dead-letter topic with the exception in headers; the app keeps running.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                org.apache.kafka.streams.errors.LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DEAD_LETTERS);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        recoverQuickly(props);
        return props;
    }
}
