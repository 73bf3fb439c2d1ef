package org.cohesionbarometer.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.cohesionbarometer.infra.InJvmPostgres;
import org.cohesionbarometer.sink.Migrations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboards on plain PostgreSQL 17 (embedded binaries), set up as the production stack sets
 * up its database: the init script's roles, the sink's migrations run as its writer role (not a
 * superuser), the queries run as the read-only role.
 */
class DashboardQueriesOnPostgresIT extends DashboardQueriesSpecification {
    private static final String WRITER_PASSWORD = "writer-only";
    private static final String DASHBOARD_PASSWORD = "dashboards-only";
    private final InJvmPostgres postgres = InJvmPostgres.startTemporary();
    private final String barometer;

    DashboardQueriesOnPostgresIT() throws SQLException {
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE barometer");
        }
        barometer = postgres.jdbcUrl().replaceAll("/postgres$", "/barometer");
        try (Connection c = DriverManager.getConnection(barometer, postgres.user(), postgres.password());
             Statement s = c.createStatement()) {
            s.execute(DatabaseRoles.initSql("barometer", WRITER_PASSWORD, DASHBOARD_PASSWORD));
        }
        Migrations.apply(barometer, DatabaseRoles.WRITER, WRITER_PASSWORD);
    }

    @Override
    Connection connectAsOwner() throws SQLException {
        return DriverManager.getConnection(barometer, DatabaseRoles.WRITER, WRITER_PASSWORD);
    }

    @Override
    Connection connectAsDashboards() throws SQLException {
        return DriverManager.getConnection(barometer, DatabaseRoles.DASHBOARDS, DASHBOARD_PASSWORD);
    }

    @Test
    void theSinksRoleIsNoSuperuserYetOwnsEveryTableAndViewItsMigrationsCreated() throws SQLException {
        try (Connection c = connectAsOwner(); Statement s = c.createStatement()) {
            ResultSet role = s.executeQuery("SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user");
            assertThat(role.next()).isTrue();
            assertThat(role.getBoolean(1) || role.getBoolean(2) || role.getBoolean(3)).as("superuser, createrole or createdb").isFalse();
            ResultSet others = s.executeQuery("""
                    SELECT count(*) FILTER (WHERE pg_get_userbyid(c.relowner) <> current_user), count(*)
                      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'p')""");
            others.next();
            assertThat(others.getLong(2)).as("tables and views in public").isGreaterThan(10);
            assertThat(others.getLong(1)).as("owned by another role").isZero();
        }
    }

    @AfterAll
    void stop() {
        postgres.close();
    }
}
