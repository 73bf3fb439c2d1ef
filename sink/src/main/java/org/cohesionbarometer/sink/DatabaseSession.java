package org.cohesionbarometer.sink;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;

/**
 * A consumer's connection to the database: opened when first needed and again after it broke,
 * one transaction per batch, and a retry policy that waits out an unreachable database with
 * capped exponential backoff for as long as the consumer runs — nothing is skipped.
 */
public final class DatabaseSession implements AutoCloseable {

    /** One batch's work inside a transaction. */
    @FunctionalInterface
    public interface Work {
        void writeIn(Connection connection) throws SQLException;
    }

    private final SinkSettings settings;
    private final RetryPolicy<Object> untilTheDatabaseAnswers;
    private Connection db;

    /**
     * @param whileWaiting called after each failed attempt, e.g. to poll the consumer so that it
     *                     stays in its group while paused
     */
    public DatabaseSession(SinkSettings settings, BooleanSupplier running, Logger log, String who, Runnable whileWaiting) {
        this.settings = settings;
        this.untilTheDatabaseAnswers = RetryPolicy.builder()
                .handleIf(failure -> running.getAsBoolean() && DatabaseFault.isTransient(failure))
                .withBackoff(java.time.Duration.ofMillis(200), settings.maxBackoff())
                .withMaxRetries(-1)
                .onFailedAttempt(attempt -> {
                    close();
                    log.warn("Database unreachable for the {} (attempt {}): {}; consumption paused, retrying", who,
                            attempt.getAttemptCount(), attempt.getLastException().getMessage());
                    whileWaiting.run();
                })
                .build();
    }

    /** Runs the work in one transaction, retrying while the database is unreachable; other failures are thrown. */
    public void inTransaction(Work work) {
        Failsafe.with(untilTheDatabaseAnswers).run(() -> {
            Connection connection = connection();
            try {
                work.writeIn(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException ignored) {
                    close(); // the connection itself is gone; the next attempt reconnects
                }
                throw e;
            }
        });
    }

    private Connection connection() throws SQLException {
        if (db == null || db.isClosed()) {
            db = DriverManager.getConnection(settings.jdbcUrl(), settings.jdbcUser(), settings.jdbcPassword());
            db.setAutoCommit(false);
        }
        return db;
    }

    @Override
    public void close() {
        if (db != null) {
            try {
                db.close();
            } catch (SQLException ignored) {
                // already broken
            }
            db = null;
        }
    }
}
