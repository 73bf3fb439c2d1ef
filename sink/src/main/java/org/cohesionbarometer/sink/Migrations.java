package org.cohesionbarometer.sink;

import org.flywaydb.core.Flyway;

/** The database schema, as versioned SQL migrations under {@code db/migration}. */
public final class Migrations {

    /** The default k of small-cell suppression in the published views, as in the streams stage. */
    public static final int DEFAULT_SUPPRESSION_K = 10;

    /** Brings the database up to the latest schema version; returns how many migrations ran. */
    public static int apply(String jdbcUrl, String user, String password) {
        return apply(jdbcUrl, user, password, DEFAULT_SUPPRESSION_K);
    }

    public static int apply(String jdbcUrl, String user, String password, int suppressionK) {
        return Flyway.configure()
                .dataSource(jdbcUrl, user, password)
                .locations("classpath:db/migration")
                .placeholders(java.util.Map.of("suppression_k", String.valueOf(suppressionK)))
                .load()
                .migrate()
                .migrationsExecuted;
    }

    private Migrations() {
    }
}
