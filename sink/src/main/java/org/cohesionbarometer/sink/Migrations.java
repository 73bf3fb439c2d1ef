package org.cohesionbarometer.sink;

import org.flywaydb.core.Flyway;

/** The database schema, as versioned SQL migrations under {@code db/migration}. */
public final class Migrations {

    /** Brings the database up to the latest schema version; returns how many migrations ran. */
    public static int apply(String jdbcUrl, String user, String password) {
        return Flyway.configure()
                .dataSource(jdbcUrl, user, password)
                .locations("classpath:db/migration")
                .load()
                .migrate()
                .migrationsExecuted;
    }

    private Migrations() {
    }
}
