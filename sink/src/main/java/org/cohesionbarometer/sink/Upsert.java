package org.cohesionbarometer.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One table's multi-row upsert from arrays spread by {@code unnest}. It runs as {@code MERGE}:
 * rows not yet in the table are plain inserts, which costs PostgreSQL about half of what the
 * speculative insertion of {@code INSERT … ON CONFLICT} costs (measured: docs/benchmarks.md).
 * {@code MERGE} is not safe against a concurrent writer inserting the same key first (a zombie
 * consumer during a rebalance): it fails with a unique violation, where {@code ON CONFLICT} waits
 * and updates. {@link Batch} therefore runs a table group's merges under one savepoint and, on
 * that failure, rolls back to it and writes the same rows with {@code ON CONFLICT}. TimescaleDB
 * refuses {@code MERGE}'s update action on a hypertable with compression enabled (SQLSTATE 0A000,
 * "not supported"), which is every hypertable once the sink has set its policies: there an update
 * would have been refused as if the row were bad; such a batch goes the {@code ON CONFLICT} way too,
 * and so does every later one (found by issue #22's refused-update fixture on PGlite's TimescaleDB).
 *
 * <p>Counts within a window only grow, so an update never replaces a row whose {@code growing}
 * columns sum to more: an out-of-order replay cannot move a window backwards.
 */
final class Upsert {
    private final String merge;
    private final String onConflict;
    /** Set once the database has said it cannot run this MERGE (TimescaleDB with compression): not tried again. */
    private volatile boolean mergeUnsupported;

    /**
     * @param source  a {@code SELECT} over {@code unnest(?::type[], …)} whose output columns carry
     *                the table's column names
     * @param keys    the table's primary key
     * @param columns every column written, keys included
     * @param growing the counts whose sum an update must not lower
     */
    Upsert(String table, String source, List<String> keys, List<String> columns, List<String> growing) {
        List<String> updated = columns.stream().filter(c -> !keys.contains(c)).toList();
        this.merge = "MERGE INTO " + table + " AS t USING (" + source + ") AS s ON "
                + keys.stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "))
                + " WHEN MATCHED AND " + sum("t", growing) + " <= " + sum("s", growing)
                + " THEN UPDATE SET " + updated.stream().map(c -> c + " = s." + c).collect(Collectors.joining(", "))
                + " WHEN NOT MATCHED THEN INSERT (" + String.join(", ", columns) + ") VALUES ("
                + columns.stream().map(c -> "s." + c).collect(Collectors.joining(", ")) + ")";
        this.onConflict = "INSERT INTO " + table + " AS t (" + String.join(", ", columns) + ") SELECT "
                + String.join(", ", columns) + " FROM (" + source + ") AS s ON CONFLICT (" + String.join(", ", keys)
                + ") DO UPDATE SET " + updated.stream().map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "))
                + " WHERE " + sum("t", growing) + " <= " + sum("EXCLUDED", growing);
    }

    private static String sum(String alias, List<String> columns) {
        return columns.stream().map(c -> alias + "." + c).collect(Collectors.joining(" + "));
    }

    /** Binds one statement's array parameters. */
    @FunctionalInterface
    interface Binding {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** The upserts of one batch, written together in the caller's transaction. */
    static final class Batch {
        private final Connection db;
        private final List<Step> steps = new java.util.ArrayList<>();

        private record Step(Upsert upsert, Binding binding) {
        }

        Batch(Connection db) {
            this.db = db;
        }

        Batch add(Upsert upsert, Binding binding) {
            steps.add(new Step(upsert, binding));
            return this;
        }

        void write() throws SQLException {
            if (steps.isEmpty()) {
                return;
            }
            if (steps.stream().anyMatch(step -> step.upsert().mergeUnsupported)) {
                writeOnConflict();
                return;
            }
            Savepoint beforeMerge = db.setSavepoint();
            try {
                for (Step step : steps) {
                    run(step.upsert().merge, step.binding());
                }
                db.releaseSavepoint(beforeMerge);
            } catch (SQLException e) {
                boolean unsupported = "0A000".equals(e.getSQLState());
                if (!"23505".equals(e.getSQLState()) && !unsupported) {
                    throw e;
                }
                db.rollback(beforeMerge); // another writer inserted one of these keys first, or MERGE cannot update here
                if (unsupported) {
                    steps.forEach(step -> step.upsert().mergeUnsupported = true);
                }
                writeOnConflict();
            }
        }

        private void writeOnConflict() throws SQLException {
            for (Step step : steps) {
                run(step.upsert().onConflict, step.binding());
            }
        }

        private void run(String sql, Binding binding) throws SQLException {
            try (PreparedStatement statement = db.prepareStatement(sql)) {
                binding.bind(statement);
                statement.executeUpdate();
            }
        }
    }
}
