package org.cohesionbarometer.launcher;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of every subcommand: the one list the flags are made from, the environment is read
 * by, and the README's configuration table is checked against ({@code ConfigurationTableTest}).
 */
public final class Settings {

    public static final List<Setting> ALL = List.of(
            Setting.of("BAROMETER_KAFKA_BOOTSTRAP", "localhost:9092", "ingest, streams, sink",
                    "Kafka bootstrap servers (also `--bootstrap-server`, as Kafka's own tools name it)"),
            Setting.of("BAROMETER_SCHEMA_REGISTRY_URL", "http://localhost:8081", "ingest, streams, sink", "Confluent Schema Registry"),
            Setting.of("BAROMETER_SCHEMA_AUTO_REGISTER", "true", "run, ingest, streams",
                    "register schemas on first write (turn off where the registry is managed)"),
            Setting.of("BAROMETER_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT", "ingest, streams, sink",
                    "`PLAINTEXT`, `SASL_PLAINTEXT` or `SASL_SSL` (SCRAM-SHA-512; docker-compose: `SASL_SSL`, "
                            + "[security](docs/security.md))"),
            Setting.of("BAROMETER_KAFKA_USER", "none", "ingest, streams, sink", "the service's own SCRAM user, the principal its ACLs name"),
            Setting.of("BAROMETER_KAFKA_PASSWORD", "none", "ingest, streams, sink", "that user's password"),
            Setting.of("BAROMETER_KAFKA_TRUSTSTORE", "the JVM's trust store", "ingest, streams, sink",
                    "PEM file of the certificate(s) the broker's TLS certificate is checked against"),
            Setting.of("BAROMETER_SCHEMA_REGISTRY_USER", "none", "ingest, streams, sink", "the schema registry's HTTP basic login"),
            Setting.of("BAROMETER_SCHEMA_REGISTRY_PASSWORD", "none", "ingest, streams, sink", "its password"),
            Setting.of("BAROMETER_INGEST_HOST", "0.0.0.0 (run: 127.0.0.1)", "run, ingest", "the interface the ingest API listens on"),
            Setting.of("BAROMETER_INGEST_PORT", "8080", "run, ingest", "the ingest API's port"),
            Setting.of("BAROMETER_ADMIN_TOKEN", "none: admin API off (run: generated, kept in .barometer/admin-token)",
                    "run, ingest, tokens, simulate, reference", "the city's admin token, for reference data and organisers' tokens"),
            Setting.of("BAROMETER_INGEST_URL", "http://localhost:8080", "tokens, import-csv, simulate, reference",
                    "where the commands find the ingest API"),
            Setting.of("BAROMETER_TOKEN", "none", "import-csv", "the organiser's API token"),
            Setting.of("BAROMETER_INGEST_RATE_LIMIT_PER_MINUTE", "300", "run, ingest", "requests per organiser token per minute, sustained"),
            Setting.of("BAROMETER_INGEST_RATE_LIMIT_BURST", "60", "run, ingest", "requests per organiser token at once"),
            Setting.of("BAROMETER_INGEST_FAILED_AUTH_PER_MINUTE", "20", "run, ingest",
                    "wrong, unknown or revoked tokens a client address may present per minute; then 429 until it refills"),
            Setting.of("BAROMETER_INGEST_MAX_RECORDS", "5000", "run, ingest", "records per bulk request"),
            Setting.of("BAROMETER_INGEST_MAX_AGE", "P30D", "run, ingest, streams, sink", "oldest accepted event time; the streams' "
                    + "grace period and the rollups' refresh follow it, so every accepted signal is counted"),
            Setting.of("BAROMETER_INGEST_MAX_CLOCK_SKEW", "PT5M", "run, ingest, streams, sink", "how far in the future an event time may be"),
            Setting.of("BAROMETER_INGEST_KAFKA_TIMEOUT", "PT10S", "run, ingest", "wait for Kafka's ack before answering 503"),
            Setting.of("BAROMETER_STREAMS_APPLICATION_ID", "cohesion-barometer-indicators", "run, streams", "Kafka Streams application id"),
            Setting.of("BAROMETER_STREAMS_STATE_DIR", "$TMPDIR/barometer-streams (run: .barometer/streams)", "streams", "local state"),
            Setting.of("BAROMETER_GRACE", "max age + clock skew + 1 day (P31DT5M)", "run, streams, sink",
                    "late data still updates its window this long (judged against a watermark all partitions have reached, "
                            + "so reading a long backlog loses nothing: [methods](docs/methods.md#windows-time-and-keys)); never "
                            + "shorter than what the API accepts (streams refuses to start)"),
            Setting.of("BAROMETER_DEDUP_HORIZON", "the grace", "run, streams", "how long event ids are remembered (at least the grace)"),
            Setting.of("BAROMETER_REPLICATION_FACTOR", "3 (run: 1)", "streams", "internal topics' replication"),
            Setting.of("BAROMETER_SUPPRESSION_K", "10", "run, streams, sink",
                    "values resting on fewer than k people, contacts or taps are withheld (never below 5)"),
            Setting.of("BAROMETER_KIOSK_DEBOUNCE", "PT5S", "run, streams", "a kiosk's taps closer than this count once"),
            Setting.of("BAROMETER_COMMIT_INTERVAL", "PT0.1S", "run, streams",
                    "exactly-once commits, when the state that changed is written to its changelog; each partition sends "
                            + "what its signals added to their neighbourhood-hours on this often"),
            Setting.of("BAROMETER_STREAM_THREADS", "1", "run, streams",
                    "stream threads per instance, each with some of the partitions and transactions of its own "
                            + "([benchmarks](docs/benchmarks.md#against-the-goals-of-issue-21))"),
            Setting.of("BAROMETER_COHESION_WEIGHTS", "0.25,0.25,0.25,0.25", "run, streams",
                    "composite index weights: participation, diversity, mixing, sentiment"),
            Setting.of("BAROMETER_JDBC_URL", "jdbc:postgresql://localhost:5432/barometer (run: blank = embedded PostgreSQL; "
                    + "evaluate: the embedded run's)", "run, sink, evaluate, export, report", "the database"),
            Setting.withFlag("BAROMETER_JDBC_USER", "--jdbc-user", "barometer (run, evaluate: postgres)", "run, sink",
                    "database user (evaluate: `--db-user`)"),
            Setting.withFlag("BAROMETER_JDBC_PASSWORD", "--jdbc-password", "empty (evaluate: postgres)", "run, sink",
                    "database password (evaluate: `--db-password`)"),
            Setting.of("BAROMETER_SINK_GROUP_ID", "cohesion-barometer-sink", "run, sink", "consumer group"),
            Setting.of("BAROMETER_SINK_MAX_BATCH", "2000", "run, sink", "records per batch"),
            Setting.of("BAROMETER_SINK_MAX_BACKOFF", "PT30S", "run, sink", "longest wait between retries while the database is away"),
            Setting.of("BAROMETER_DATA_QUALITY_GROUP_ID", "cohesion-barometer-data-quality", "run, sink",
                    "consumer group of the data-quality feed (reference data, arrivals, dead letters)"),
            Setting.of("BAROMETER_LAG_GROUPS", "cohesion-barometer-indicators,cohesion-barometer-sink", "run, sink",
                    "consumer groups whose lag the pipeline-health dashboard shows"),
            Setting.of("BAROMETER_LAG_SAMPLE_EVERY", "PT30S", "run, sink", "how often that lag is sampled"),
            Setting.of("BAROMETER_TIMESCALE", "auto", "sink", "`auto`: hypertables, continuous aggregates and policies where the "
                    + "database has TimescaleDB; `off`: plain tables and views"),
            Setting.of("BAROMETER_TIMESCALE_REFRESH_WINDOW", "grace + 8 days", "sink",
                    "how far back the rollups' continuous aggregates are refreshed (at least grace + a week and an hour, so every "
                            + "week a late signal may change is refreshed)"),
            Setting.of("BAROMETER_TIMESCALE_REFRESH_EVERY", "PT15M", "sink", "how often the continuous aggregates are refreshed"),
            Setting.of("BAROMETER_TIMESCALE_COMPRESS_AFTER", "grace + 1 day", "sink", "compress hourly rows this old (must be later than the grace)"),
            Setting.of("BAROMETER_TIMESCALE_RETENTION", "P0D (keep)", "sink",
                    "drop hourly rows this old (longer than the refresh window; rollups keep their sums)"),
            Setting.withFlag("BAROMETER_EXPORT_USER", "--user", "barometer_dashboard", "export, report",
                    "a role that reads the published views"),
            Setting.withFlag("BAROMETER_EXPORT_PASSWORD", "--password", "empty", "export, report", "its password"),
            Setting.of("BAROMETER_INSTANCE_ID", "the host name", "run, streams, sink",
                    "this instance's name in its consumer groups (static membership): restarted under the same name it takes "
                            + "its partitions back at once; unique per instance ([operations](docs/operations.md))"),
            Setting.of("BAROMETER_METRICS_PORT", "9400", "run, ingest, streams, sink",
                    "the port of `/health/live`, `/health/ready` and `/metrics` (Prometheus) ([operations](docs/operations.md))"),
            Setting.of("BAROMETER_DATA_DIR", ".barometer", "run", "where everything keeps its state"),
            Setting.of("BAROMETER_KAFKA_PORT", "19092", "run", "the embedded Kafka broker's port (0: any free port)"),
            Setting.of("BAROMETER_REGISTRY_PORT", "8081", "run", "the in-process schema registry's port"),
            Setting.of("BAROMETER_EMBEDDED_PG_PORT", "15432", "run", "the embedded PostgreSQL's port"),
            Setting.of("BAROMETER_SIMULATOR_RATE", "20", "run", "simulated signals per second (0: off)"),
            Setting.of("BAROMETER_PARTITIONS", "3", "run", "partitions of the barometer's topics"),
            Setting.of("BAROMETER_SUMMARY_EVERY", "PT10S", "run", "how often the summary line is printed"));

    static {
        for (Setting s : ALL) {
            for (String command : s.commands()) {
                if (!List.of("run", "ingest", "streams", "sink", "tokens", "import-csv", "simulate", "reference", "export",
                        "evaluate", "report").contains(command)) {
                    throw new IllegalStateException(s.variable() + " names an unknown command " + command);
                }
            }
        }
    }

    /** The setting a command's flag stands for. */
    public static Optional<Setting> ofFlag(String command, String flag) {
        return ALL.stream().filter(s -> s.flag().equals(flag) && s.usedBy(command)).findFirst();
    }

    /** Second names of a flag, where a well-known tool names the same setting otherwise. */
    static final Map<String, String> ALIASES = Map.of("--kafka-bootstrap", "--bootstrap-server");

    /** The settings a service command (run, ingest, streams, sink) takes as flags. */
    public static List<Setting> of(String command) {
        return ALL.stream().filter(s -> s.usedBy(command)).toList();
    }

    /** The environment a service reads: the process's variables, each overridden by its flag when given. */
    static Map<String, String> overlay(Map<String, String> environment, Map<String, String> flags) {
        Map<String, String> merged = new java.util.HashMap<>(environment);
        merged.putAll(flags);
        return merged;
    }

    private Settings() {
    }
}
