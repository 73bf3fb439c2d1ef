package org.cohesionbarometer.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cohesionbarometer.infra.InJvmPostgres;
import org.cohesionbarometer.sink.Migrations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every panel query, macros expanded, runs against the schema the migrations build, as the
 * dashboards' read-only role, and returns rows with the columns its panel needs.
 */
class DashboardQueriesIT {
    private static InJvmPostgres postgres;

    @BeforeAll
    static void databaseWithPipelineOutput() throws Exception {
        postgres = InJvmPostgres.startTemporary();
        Migrations.apply(postgres.jdbcUrl(), postgres.user(), postgres.password());
        try (Connection c = connect()) {
            c.createStatement().execute("""
                    INSERT INTO neighbourhood_hourly (neighbourhood_id, window_start, window_end, check_ins, headcount,
                        contacts, cross_group_contacts, sentiment_taps, last_event_time, updated_at) VALUES
                      ('north', '2026-03-14T09:00:00Z', '2026-03-14T10:00:00Z', 12, 12, 6, 3, 4, '2026-03-14T09:50:00Z', now()),
                      ('north', '2026-03-14T10:00:00Z', '2026-03-14T11:00:00Z', 8, 9, 4, 1, 2, '2026-03-14T10:40:00Z', now()),
                      ('south', '2026-03-14T09:00:00Z', '2026-03-14T10:00:00Z', 5, 5, 2, 2, 1, '2026-03-14T09:30:00Z', now());
                    INSERT INTO neighbourhood_group_hourly (neighbourhood_id, window_start, group_code, headcount) VALUES
                      ('north', '2026-03-14T09:00:00Z', 'A', 7), ('north', '2026-03-14T09:00:00Z', 'B', 5),
                      ('north', '2026-03-14T10:00:00Z', 'A', 4), ('north', '2026-03-14T10:00:00Z', 'C', 5);
                    INSERT INTO neighbourhood_mixing_hourly (neighbourhood_id, window_start, group_a, group_b, contacts) VALUES
                      ('north', '2026-03-14T09:00:00Z', 'A', 'B', 3), ('north', '2026-03-14T09:00:00Z', 'A', 'A', 3),
                      ('north', '2026-03-14T10:00:00Z', 'A', 'C', 1), ('north', '2026-03-14T10:00:00Z', 'C', 'C', 3);
                    ALTER ROLE barometer_dashboard LOGIN PASSWORD 'dashboards-only';
                    """);
        }
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    private static Connection connect() throws Exception {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }

    /** As Grafana's datasource does: the read-only role, which sees only the published views. */
    private static Connection connectAsDashboards() throws Exception {
        return DriverManager.getConnection(postgres.jdbcUrl(), "barometer_dashboard", "dashboards-only");
    }

    @Test
    void everyPanelQueryRunsAgainstTheMigratedSchemaAndReturnsTheColumnsItsPanelNeeds() throws Exception {
        List<String> checked = new ArrayList<>();
        for (var file : Dashboards.dashboardFiles()) {
            for (Dashboards.Query query : Dashboards.queries(Dashboards.read(file))) {
                String sql = Dashboards.expand(query.sql(), "2026-03-14T00:00:00Z", "2026-03-15T00:00:00Z", "1 hour",
                        Map.of("neighbourhood", "'north','south'"));
                try (Connection c = connectAsDashboards(); ResultSet rs = c.createStatement().executeQuery(sql)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    List<String> columns = new ArrayList<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        columns.add(meta.getColumnLabel(i));
                    }
                    if (query.format().equals("time_series")) {
                        assertThat(columns).as(query.panel() + " needs a time column").contains("time");
                    }
                    assertThat(rs.next()).as(query.dashboard() + " / " + query.panel() + " returns rows:\n" + sql).isTrue();
                } catch (java.sql.SQLException e) {
                    throw new AssertionError(query.dashboard() + " / " + query.panel() + " fails: " + e.getMessage()
                            + "\n" + sql, e);
                }
                checked.add(query.panel());
            }
        }
        assertThat(checked).isNotEmpty();
    }
}
