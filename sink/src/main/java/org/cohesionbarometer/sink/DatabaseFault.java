package org.cohesionbarometer.sink;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/** Tells a database that is away (wait and retry) from a row it refuses (isolate and dead-letter). */
final class DatabaseFault {

    /**
     * SQLSTATE classes per the PostgreSQL manual, Appendix A: 08 connection exception,
     * 53 insufficient resources, 57 operator intervention (e.g. 57P01 admin shutdown),
     * 40 transaction rollback (serialization failure, deadlock).
     */
    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57") || state.startsWith("40")) {
                    return true;
                }
            }
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation): the row itself
     * is wrong. Any other refusal (a missing table, a syntax error) is a fault of the deployment,
     * not of a row, and must stop the sink rather than dead-letter every row.
     */
    static boolean isBadData(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23");
            }
        }
        return false;
    }

    private DatabaseFault() {
    }
}
