package org.cohesionbarometer.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cohesionbarometer.schemas.Figure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The database's check constraints and {@link Figure} state the same ranges: every figure column
 * of the indicator tables accepts its figure's bounds and refuses the nearest double beyond them.
 */
class FigureRangesIT {
    /** A row each figure is tried in, with every column that must be set. */
    private static final Map<String, String> ROWS = Map.of(
            "neighbourhood_hourly", """
                    INSERT INTO neighbourhood_hourly (neighbourhood_id, window_start, window_end, check_ins, headcount,
                        contacts, cross_group_contacts, sentiment_taps, last_event_time)
                    VALUES ('north', '2026-03-14T18:00:00Z', '2026-03-14T19:00:00Z', 0, 0, 0, 0, 0, '2026-03-14T18:00:00Z')""",
            "city_daily", """
                    INSERT INTO city_daily (window_start, window_end, headcount, suppression_k)
                    VALUES ('2026-03-14T00:00:00Z', '2026-03-15T00:00:00Z', 0, 10)""");

    @RegisterExtension
    static final MigratedDatabase database = new MigratedDatabase();

    @Test
    void everyFigureColumnAcceptsExactlyTheRangeTheCodeStates() throws SQLException {
        List<String> columns = database.postgres().queryForStrings("""
                SELECT table_name || '.' || column_name FROM information_schema.columns
                 WHERE table_name IN ('neighbourhood_hourly', 'city_daily') AND data_type = 'double precision'
                 ORDER BY 1""");
        assertThat(columns).hasSizeGreaterThanOrEqualTo(14);
        List<String> disagreements = new ArrayList<>();
        for (String column : columns) {
            String[] tableAndColumn = column.split("\\.");
            Figure figure = Figure.valueOf(tableAndColumn[1].toUpperCase(java.util.Locale.ROOT));
            List<Double> accepted = new ArrayList<>();
            List<Double> refused = new ArrayList<>();
            if (Double.isInfinite(figure.lowest())) {
                accepted.add(-Double.MAX_VALUE);
            } else {
                accepted.add(figure.lowest());
                refused.add(Math.nextDown(figure.lowest()));
            }
            if (Double.isInfinite(figure.highest())) {
                accepted.add(Double.MAX_VALUE);
            } else {
                accepted.add(figure.highest());
                refused.add(Math.nextUp(figure.highest()));
            }
            for (double value : accepted) {
                if (!accepts(tableAndColumn[0], tableAndColumn[1], value)) {
                    disagreements.add(column + " refuses " + value);
                }
            }
            for (double value : refused) {
                if (accepts(tableAndColumn[0], tableAndColumn[1], value)) {
                    disagreements.add(column + " accepts " + value);
                }
            }
        }
        assertThat(disagreements).as("columns whose check constraint disagrees with Figure").isEmpty();
    }

    /** Whether the table takes the value in the column, in a transaction that is rolled back. */
    private static boolean accepts(String table, String column, double value) throws SQLException {
        try (Connection db = database.postgres().connect()) {
            db.setAutoCommit(false);
            try {
                db.createStatement().execute(ROWS.get(table));
                Savepoint before = db.setSavepoint();
                try (PreparedStatement st = db.prepareStatement("UPDATE " + table + " SET " + column + " = ?")) {
                    st.setDouble(1, value);
                    st.executeUpdate();
                    return true;
                } catch (SQLException e) {
                    if (!"23514".equals(e.getSQLState())) { // check_violation
                        throw e;
                    }
                    db.rollback(before);
                    return false;
                }
            } finally {
                db.rollback();
            }
        }
    }
}
