package org.cohesionbarometer.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.cohesionbarometer.infra.InJvmPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The rollups on plain PostgreSQL (embedded binaries): date_bin views, no TimescaleDB. */
class RollupsOnPostgresIT extends RollupsSpecification {
    private final InJvmPostgres postgres = InJvmPostgres.startTemporary();

    @Override
    Database database() {
        return new Database(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }

    @AfterAll
    void stop() {
        postgres.close();
    }

    @Test
    void withoutTimescaleDbTheRollupsArePlainViews() throws Exception {
        assertThat(number("SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'")).isZero();
        assertThat(number("SELECT count(*) FROM pg_views WHERE viewname LIKE 'neighbourhood\\_%counts\\_%'")).isEqualTo(8);
    }
}
