package org.cohesionbarometer.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The roles the production database is given when its volume is first initialised: the SQL of
 * deploy/timescaledb/10-barometer-roles.sh, with its psql variables filled in as psql does. In the
 * sink's test jar, so that the dashboards' tests set up their database the same way.
 */
public final class DatabaseRoles {
    public static final Path INIT_SCRIPT = Path.of(System.getProperty("user.dir")).getParent()
            .resolve("deploy/timescaledb/10-barometer-roles.sh");
    public static final String WRITER = "barometer_writer";
    public static final String DASHBOARDS = "barometer_dashboard";
    public static final String OPERATIONS = "barometer_operations";
    public static final String EVALUATOR = "barometer_evaluator";

    /** The script's SQL (its heredoc) for database {@code database} and each role's password, by role name. */
    public static String initSql(String database, Map<String, String> passwords) {
        String script;
        try {
            script = Files.readString(INIT_SCRIPT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = script.indexOf("<<'SQL'\n") + "<<'SQL'\n".length();
        String sql = script.substring(start, script.indexOf("\nSQL", start));
        for (String role : new String[] {WRITER, DASHBOARDS, OPERATIONS, EVALUATOR}) {
            String variable = ":'" + role.substring("barometer_".length()) + "_password'";
            if (!sql.contains(variable)) {
                throw new IllegalStateException(INIT_SCRIPT + " sets no password for " + role);
            }
            sql = sql.replace(variable, literal(passwords.getOrDefault(role, role + "-password")));
        }
        return sql.replace(":\"db\"", "\"" + database.replace("\"", "\"\"") + "\"");
    }

    /** Each role's password in tests: its name with "-password". */
    public static String testPassword(String role) {
        return role + "-password";
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private DatabaseRoles() {
    }
}
