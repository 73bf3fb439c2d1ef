package org.cohesionbarometer.dashboards;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.cohesionbarometer.infra.InJvmPostgres;
import org.cohesionbarometer.sink.Migrations;
import org.junit.jupiter.api.AfterAll;

/** The dashboards on plain PostgreSQL 17 (embedded binaries), logged in as the read-only role. */
class DashboardQueriesOnPostgresIT extends DashboardQueriesSpecification {
    private final InJvmPostgres postgres = InJvmPostgres.startTemporary();

    DashboardQueriesOnPostgresIT() throws SQLException {
        Migrations.apply(postgres.jdbcUrl(), postgres.user(), postgres.password());
        try (Connection c = connectAsOwner()) {
            c.createStatement().execute("ALTER ROLE barometer_dashboard LOGIN PASSWORD 'dashboards-only'");
        }
    }

    @Override
    Connection connectAsOwner() throws SQLException {
        return postgres.connect();
    }

    @Override
    Connection connectAsDashboards() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), "barometer_dashboard", "dashboards-only");
    }

    @AfterAll
    void stop() {
        postgres.close();
    }
}
