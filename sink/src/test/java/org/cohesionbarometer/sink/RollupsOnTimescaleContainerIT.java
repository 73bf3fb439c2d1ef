package org.cohesionbarometer.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The rollups on the official TimescaleDB image, where a Docker engine exists (skipped, and
 * reported as skipped, where there is none — as on the project's CI machines).
 */
@Testcontainers(disabledWithoutDocker = true)
class RollupsOnTimescaleContainerIT extends RollupsSpecification {
    @Container
    static final PostgreSQLContainer TIMESCALE = new PostgreSQLContainer(
            DockerImageName.parse("timescale/timescaledb:2.23.0-pg17").asCompatibleSubstituteFor("postgres"));

    @Override
    Database database() {
        return new Database(TIMESCALE.getJdbcUrl(), TIMESCALE.getUsername(), TIMESCALE.getPassword());
    }

    @Test
    void theOfficialImageRunsTheTimescalePath() throws Exception {
        assertThat(number("SELECT count(*) FROM timescaledb_information.continuous_aggregates"))
                .isEqualTo(Migrations.CONTINUOUS_AGGREGATES.size());
    }
}
