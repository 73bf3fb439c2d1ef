package org.cohesionbarometer.allinone;

import java.nio.file.Path;
import java.time.Duration;
import org.cohesionbarometer.schemas.Environment;

/**
 * Configuration of the all-in-one run, read from environment variables.
 *
 * @param dataDir  where Kafka's logs, the registry's schemas, PostgreSQL's cluster and the streams
 *                 state live; a restart resumes from here
 * @param ports    where the embedded servers listen
 * @param database the database to write to: the embedded one, or one that exists already
 * @param demo     the simulated city, the topics' partitions and the summary line
 * @param adminToken the admin token (blank: made once and kept in the data directory)
 */
public record EmbeddedSettings(Path dataDir, Ports ports, Database database, Demo demo, String adminToken) {

    /**
     * @param kafka      the broker's port for clients, fixed so that tools (kcat, kafka-*.sh) find it
     *                   again after a restart (0: any free port)
     * @param ingestHost the interface the ingest API listens on (loopback by default: the embedded
     *                   run's admin token and simulated city are for this machine)
     * @param metrics    health and Prometheus metrics of the whole run (0: any free port)
     */
    public record Ports(int kafka, String ingestHost, int ingest, int registry, int postgres, int metrics) {
    }

    /** @param jdbcUrl an existing PostgreSQL/TimescaleDB to use instead of the embedded one (blank: embedded) */
    public record Database(String jdbcUrl, String user, String password) {
    }

    /**
     * @param simulatorRate simulated signals per second (0: no simulator)
     * @param summaryEvery  how often the summary line is printed (zero: every 10 s)
     */
    public record Demo(double simulatorRate, int partitions, Duration summaryEvery) {
    }

    public static EmbeddedSettings fromEnvironment(Environment env) {
        return new EmbeddedSettings(
                Path.of(env.string("BAROMETER_DATA_DIR", ".barometer")).toAbsolutePath(),
                new Ports(env.integer("BAROMETER_KAFKA_PORT", 19092),
                        env.string("BAROMETER_INGEST_HOST", "127.0.0.1"),
                        env.integer("BAROMETER_INGEST_PORT", 8080),
                        env.integer("BAROMETER_REGISTRY_PORT", 8081),
                        env.integer("BAROMETER_EMBEDDED_PG_PORT", 15432),
                        env.integer("BAROMETER_METRICS_PORT", 9400)),
                new Database(env.string("BAROMETER_JDBC_URL", ""),
                        env.string("BAROMETER_JDBC_USER", "postgres"),
                        env.string("BAROMETER_JDBC_PASSWORD", "")),
                new Demo(Double.parseDouble(env.string("BAROMETER_SIMULATOR_RATE", "20")),
                        env.integer("BAROMETER_PARTITIONS", 3),
                        env.duration("BAROMETER_SUMMARY_EVERY", Duration.ofSeconds(10))),
                env.string("BAROMETER_ADMIN_TOKEN", ""));
    }

    /** For tests: everything on free ports under the given directory, no simulator. */
    public static EmbeddedSettings forTests(Path dataDir) {
        return new EmbeddedSettings(dataDir, new Ports(0, "127.0.0.1", 0, 0, 0, 0), new Database("", "postgres", ""),
                new Demo(0, 2, Duration.ZERO), "test-admin-token");
    }

    public boolean usesEmbeddedPostgres() {
        return database.jdbcUrl().isBlank();
    }

    // The names the embedded run reads them by.

    public int kafkaPort() {
        return ports.kafka();
    }

    public String ingestHost() {
        return ports.ingestHost();
    }

    public int ingestPort() {
        return ports.ingest();
    }

    public int registryPort() {
        return ports.registry();
    }

    public int postgresPort() {
        return ports.postgres();
    }

    public int metricsPort() {
        return ports.metrics();
    }

    public String jdbcUrl() {
        return database.jdbcUrl();
    }

    public String jdbcUser() {
        return database.user();
    }

    public String jdbcPassword() {
        return database.password();
    }

    public double simulatorRate() {
        return demo.simulatorRate();
    }

    public int partitions() {
        return demo.partitions();
    }

    public Duration summaryEvery() {
        return demo.summaryEvery();
    }
}
