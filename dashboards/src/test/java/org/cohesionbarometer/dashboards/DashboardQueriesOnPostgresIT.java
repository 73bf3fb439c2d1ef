package org.cohesionbarometer.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.cohesionbarometer.sink.DatabaseRoles;
import org.cohesionbarometer.infra.InJvmPostgres;
import org.cohesionbarometer.sink.Migrations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboards on plain PostgreSQL 17 (embedded binaries), set up as the production stack sets
 * up its database: the init script's roles, the sink's migrations run as its writer role (not a
 * superuser), each query runs as the read-only role its datasource logs in as.
 */
class DashboardQueriesOnPostgresIT extends DashboardQueriesSpecification {
    private final InJvmPostgres postgres = InJvmPostgres.startTemporary();
    private final String barometer;

    DashboardQueriesOnPostgresIT() throws SQLException {
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE barometer");
        }
        barometer = postgres.jdbcUrl().replaceAll("/postgres$", "/barometer");
        try (Connection c = DriverManager.getConnection(barometer, postgres.user(), postgres.password());
             Statement s = c.createStatement()) {
            s.execute(DatabaseRoles.initSql("barometer", Map.of()));
        }
        Migrations.apply(barometer, DatabaseRoles.WRITER, DatabaseRoles.testPassword(DatabaseRoles.WRITER));
    }

    @Override
    Connection connectAsOwner() throws SQLException {
        return DriverManager.getConnection(barometer, DatabaseRoles.WRITER, DatabaseRoles.testPassword(DatabaseRoles.WRITER));
    }

    @Override
    Connection connectAs(String role) throws SQLException {
        return DriverManager.getConnection(barometer, role, DatabaseRoles.testPassword(role));
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
