package org.cohesionbarometer.allinone;

import java.nio.file.Path;
import java.time.Duration;
import org.cohesionbarometer.schemas.Environment;

/**
 * Configuration of the all-in-one run, read from environment variables.
 *
 * @param dataDir         where Kafka's logs, the registry's schemas, PostgreSQL's cluster and the
 *                        streams state live; a restart resumes from here
 * @param kafkaPort       the broker's port for clients, fixed so that tools (kcat, kafka-*.sh) find it
 *                        again after a restart (0: any free port)
 * @param ingestHost      the interface the ingest API listens on (loopback by default: the embedded
 *                        run's admin token and simulated city are for this machine)
 * @param jdbcUrl         an existing PostgreSQL/TimescaleDB to use instead of the embedded one (blank: embedded)
 * @param simulatorRate   simulated signals per second (0: no simulator)
 */
public record EmbeddedSettings(
        Path dataDir,
        int kafkaPort,
        String ingestHost,
        int ingestPort,
        int registryPort,
        int postgresPort,
        String jdbcUrl,
        String jdbcUser,
        String jdbcPassword,
        String adminToken,
        double simulatorRate,
        int partitions,
        Duration summaryEvery) {

    public static EmbeddedSettings fromEnvironment(Environment env) {
        return new EmbeddedSettings(
                Path.of(env.string("BAROMETER_DATA_DIR", ".barometer")).toAbsolutePath(),
                env.integer("BAROMETER_KAFKA_PORT", 19092),
                env.string("BAROMETER_INGEST_HOST", "127.0.0.1"),
                env.integer("BAROMETER_INGEST_PORT", 8080),
                env.integer("BAROMETER_REGISTRY_PORT", 8081),
                env.integer("BAROMETER_EMBEDDED_PG_PORT", 15432),
                env.string("BAROMETER_JDBC_URL", ""),
                env.string("BAROMETER_JDBC_USER", "postgres"),
                env.string("BAROMETER_JDBC_PASSWORD", ""),
                env.string("BAROMETER_ADMIN_TOKEN", ""),
                Double.parseDouble(env.string("BAROMETER_SIMULATOR_RATE", "20")),
                env.integer("BAROMETER_PARTITIONS", 3),
                env.duration("BAROMETER_SUMMARY_EVERY", Duration.ofSeconds(10)));
    }

    /** For tests: everything on free ports under the given directory, no simulator. */
    public static EmbeddedSettings forTests(Path dataDir) {
        return new EmbeddedSettings(dataDir, 0, "127.0.0.1", 0, 0, 0, "", "postgres", "", "test-admin-token", 0, 2, Duration.ZERO);
    }

    public boolean usesEmbeddedPostgres() {
        return jdbcUrl.isBlank();
    }
}
