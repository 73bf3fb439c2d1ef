package org.cohesionbarometer.operations;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;

/** The database answers: a connection opens and is valid within a short timeout. */
public final class DatabaseReachable implements Check {
    private final String jdbcUrl;
    private final String user;
    private final String password;

    public DatabaseReachable(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    @Override
    public Optional<String> problem() {
        DriverManager.setLoginTimeout(2);
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, password)) {
            return db.isValid(2) ? Optional.empty() : Optional.of("the database at " + jdbcUrl + " does not answer");
        } catch (SQLException e) {
            return Optional.of("the database at " + jdbcUrl + " does not answer (" + e.getSQLState() + ")");
        }
    }
}
