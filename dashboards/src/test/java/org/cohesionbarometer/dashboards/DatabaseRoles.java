package org.cohesionbarometer.dashboards;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The roles the production database is given when its volume is first initialised: the SQL of
 * deploy/timescaledb/10-barometer-roles.sh, with its psql variables filled in as psql does.
 */
final class DatabaseRoles {
    static final Path INIT_SCRIPT = Dashboards.ROOT.getParent().resolve("deploy/timescaledb/10-barometer-roles.sh");
    static final String WRITER = "barometer_writer";
    static final String DASHBOARDS = "barometer_dashboard";

    /** The script's SQL (its heredoc) for database {@code database} and the two roles' passwords. */
    static String initSql(String database, String writerPassword, String dashboardPassword) {
        String script;
        try {
            script = Files.readString(INIT_SCRIPT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = script.indexOf("<<'SQL'\n") + "<<'SQL'\n".length();
        String sql = script.substring(start, script.indexOf("\nSQL", start));
        return sql.replace(":'writer_password'", literal(writerPassword))
                .replace(":'dashboard_password'", literal(dashboardPassword))
                .replace(":\"db\"", "\"" + database.replace("\"", "\"\"") + "\"");
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private DatabaseRoles() {
    }
}
