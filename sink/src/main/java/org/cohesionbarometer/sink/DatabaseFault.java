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

    private DatabaseFault() {
    }
}
