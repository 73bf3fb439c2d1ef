package org.cohesionbarometer.dashboards;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.cohesionbarometer.infra.PgliteTimescale;
import org.cohesionbarometer.sink.Migrations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The dashboards on TimescaleDB 2.23 (PGlite's WebAssembly build over the PostgreSQL protocol),
 * where the rollups under the published views are continuous aggregates. PGlite has one session
 * and no password check, so the read-only rights are taken with SET ROLE for each query.
 */
@EnabledIf(value = "nodeAndNpmAreInstalled", disabledReason = "PGlite's TimescaleDB needs Node.js and npm on the PATH")
class DashboardQueriesOnTimescaleIT extends DashboardQueriesSpecification {
    private final PgliteTimescale timescale = PgliteTimescale.start(Path.of("target", "pglite-timescaledb"));

    static boolean nodeAndNpmAreInstalled() {
        return PgliteTimescale.unavailableBecause().isEmpty();
    }

    DashboardQueriesOnTimescaleIT() throws SQLException {
        Migrations.apply(timescale.jdbcUrl(), timescale.user(), timescale.password());
        try (Connection c = connectAsOwner(); Statement s = c.createStatement()) {
            if (!s.executeQuery("SELECT FROM timescaledb_information.continuous_aggregates").next()) {
                throw new IllegalStateException("expected the TimescaleDB path of the migrations");
            }
        }
    }

    @Override
    Connection connectAsOwner() throws SQLException {
        return timescale.connect();
    }

    @Override
    Connection connectAs(String role) throws SQLException {
        Connection c = timescale.connect();
        c.createStatement().execute("SET ROLE " + role);
        return c;
    }

    @Override
    void leaveDashboardsRole(Connection c) throws SQLException {
        c.createStatement().execute("RESET ROLE");
    }

    @AfterAll
    void stop() {
        timescale.close();
    }
}
