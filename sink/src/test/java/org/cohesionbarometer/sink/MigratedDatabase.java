package org.cohesionbarometer.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.cohesionbarometer.infra.InJvmPostgres;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A temporary PostgreSQL with the sink's migrations applied, for one test class, and the tables
 * named emptied before each test: {@code @RegisterExtension static final MigratedDatabase database =
 * new MigratedDatabase("neighbourhood_hourly");}. In the sink's test jar, so that other modules'
 * tests write through the sink's real tables the same way.
 */
public final class MigratedDatabase implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    private final List<String> emptiedBeforeEach;
    private InJvmPostgres postgres;

    public MigratedDatabase(String... emptiedBeforeEach) {
        this.emptiedBeforeEach = List.of(emptiedBeforeEach);
    }

    public InJvmPostgres postgres() {
        return postgres;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        postgres = InJvmPostgres.startTemporary();
        Migrations.apply(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }

    @Override
    public void beforeEach(ExtensionContext context) throws SQLException {
        if (!emptiedBeforeEach.isEmpty()) {
            try (Connection db = postgres.connect()) {
                db.createStatement().execute("TRUNCATE " + String.join(", ", emptiedBeforeEach));
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        postgres.close();
    }
}
