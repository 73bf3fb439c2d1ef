package org.cohesionbarometer.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cohesionbarometer.sink.DatabaseRoles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every panel, annotation, variable and alert-rule query, Grafana's macros expanded, runs against
 * the schema the migrations build and the sink fills, with the dashboards' read-only rights, and
 * returns rows with the columns its panel needs. Run against each database build.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DashboardQueriesSpecification {
    static final String FROM = "2026-01-01T00:00:00Z";
    static final String TO = "2026-03-20T00:00:00Z";
    static final Map<String, List<String>> SELECTED = Map.of(
            "city", List.of("Riverton"),
            "neighbourhood", List.of("old-town"),
            "activity", List.of("a-cafe"),
            "indicator", List.of("cohesion_index"));

    /** A migrated database with the pipeline's output in it. */
    abstract Connection connectAsOwner() throws SQLException;

    /**
     * The role each provisioned datasource logs in as (dashboards/provisioning/datasources): the
     * officers' dashboards read suppressed figures only, the pipeline-health panels that need
     * unsuppressed counts read them through the operations role.
     */
    static final Map<String, String> ROLE_OF_DATASOURCE = Map.of(
            "barometer-db", DatabaseRoles.DASHBOARDS,
            "barometer-operations", DatabaseRoles.OPERATIONS);

    /** A connection with only {@code role}'s rights, as a Grafana datasource logging in as it has. */
    abstract Connection connectAs(String role) throws SQLException;

    /** Gives up the role's rights before the connection is closed (where a session outlives it). */
    void leaveDashboardsRole(Connection c) throws SQLException {
    }

    @BeforeAll
    void fillWithPipelineOutput() throws SQLException {
        try (Connection db = connectAsOwner()) {
            PipelineOutput.writeInto(db);
        }
    }

    @Test
    void everyDashboardQueryRunsAndReturnsTheColumnsItsPanelNeeds() throws SQLException {
        List<String> checked = new ArrayList<>();
        for (Path file : Dashboards.dashboardFiles()) {
            JsonNode dashboard = Dashboards.read(file);
            Map<String, String> variables = Dashboards.interpolated(dashboard, SELECTED);
            for (Dashboards.Query query : Dashboards.queries(dashboard)) {
                List<Map<String, Object>> rows = run(query, Dashboards.expand(query.sql(), FROM, TO, "1 day", variables));
                assertThat(rows).as(query.dashboard() + " / " + query.panel() + " returns rows").isNotEmpty();
                if (query.format().equals("time_series")) {
                    assertThat(rows.get(0)).as(query.panel() + " needs a time column").containsKey("time");
                    assertThat(rows.get(0).values()).as(query.panel() + " needs a value")
                            .anyMatch(v -> v instanceof Number);
                }
                checked.add(query.dashboard() + " / " + query.panel());
            }
        }
        assertThat(checked).hasSizeGreaterThan(25);
    }

    @Test
    void theMapGetsCoordinatesAndAnIndexForEveryNeighbourhood() throws SQLException {
        Map<String, List<String>> all = new java.util.HashMap<>(SELECTED);
        all.put("neighbourhood", PipelineOutput.NEIGHBOURHOODS); // "All", as the overview opens
        List<Map<String, Object>> rows = panel("Cohesion barometer: city overview",
                "Map: cohesion index at each neighbourhood's centroid", all);
        assertThat(rows).hasSize(3).allSatisfy(row -> assertThat(row)
                .containsKeys("latitude", "longitude", "neighbourhood").extractingByKey("cohesion_index").isNotNull());
    }

    @Test
    void theCitysValueIsShownNextToTheNetworksReferenceValue() throws SQLException {
        List<Map<String, Object>> rows = panel("Cohesion barometer: city overview", "The city and the network's reference values");
        assertThat(rows).filteredOn(row -> "cohesion_index".equals(row.get("indicator"))).singleElement()
                .satisfies(row -> assertThat(((Number) row.get("network_reference")).doubleValue()).isEqualTo(55.0));
    }

    @Test
    void theActivityImpactBeforeAfterTableShowsTheCafesRise() throws SQLException {
        Map<String, Object> row = panel("Cohesion barometer: activity impact", "28 days before vs 28 days after the start").get(0);
        double before = ((Number) row.get("before")).doubleValue();
        double after = ((Number) row.get("after")).doubleValue();
        assertThat(after - before).as("Old Town's index rose by about 5 points (10 in one of two evening hours)")
                .isBetween(3.0, 7.0);
    }

    @Test
    void aWithheldHourIsCountedOnThePipelineHealthDashboardAndNeverShownAsZero() throws SQLException {
        List<Map<String, Object>> withheld = panel("Cohesion barometer: pipeline health and data quality", "Figures withheld for privacy");
        assertThat(withheld).extracting(row -> row.get("metric")).contains("headcount", "diversity", "mixing");
        List<Map<String, Object>> groups = run(new Dashboards.Query("", "", "table",
                "SELECT headcount, suppressed FROM published_group_attendance_daily WHERE suppressed", "barometer-db"), null);
        assertThat(groups).isNotEmpty().allSatisfy(row -> assertThat(row.get("headcount")).isNull());
    }

    @Test
    void theCitysSegregationIsShownPerDayWithASmallDayWithheldAndARefusedDayMarked() throws SQLException {
        List<Map<String, Object>> rows = panel("Cohesion barometer: city overview", "Segregation of the city's activities per day");
        assertThat(rows).hasSize(70);
        Map<String, Object> small = day(rows, PipelineOutput.SMALL_CITY_DAY);
        assertThat(small.get("D (multigroup dissimilarity)")).as("fewer than k declared visits").isNull();
        assertThat(small.get("H (Theil)")).isNull();
        assertThat(rows).filteredOn(row -> row.get("latest update refused") != null).isEmpty();
        assertThat(rows).filteredOn(row -> row.get("D (multigroup dissimilarity)") != null).hasSize(69)
                .allSatisfy(row -> assertThat(((Number) row.get("D (multigroup dissimilarity)")).doubleValue()).isBetween(0.0, 1.0));

        List<Map<String, Object>> lastWeek = panel("Cohesion barometer: city overview", "Segregation of the city's activities per day",
                SELECTED, PipelineOutput.TODAY.minus(java.time.Duration.ofDays(7)).toString(), PipelineOutput.TODAY.toString());
        Map<String, Object> refused = day(lastWeek, PipelineOutput.REFUSED_CITY_DAY);
        assertThat(refused.get("latest update refused")).isEqualTo(1);
        assertThat(((Number) refused.get("H (Theil)")).doubleValue()).as("the earlier update, still shown").isBetween(0.2, 0.3);
        assertThat(lastWeek).filteredOn(row -> row.get("latest update refused") != null).hasSize(1);
    }

    @Test
    void aRefusedUpdateLeavesItsWindowMarkedOnThePipelineHealthDashboardAndTheAlertFiring() throws SQLException {
        List<Map<String, Object>> behind = panel("Cohesion barometer: pipeline health and data quality",
                "Windows showing an earlier update: the database refused the latest");
        assertThat(behind).extracting(row -> row.get("scope") + " " + row.get("neighbourhood"))
                .containsExactlyInAnyOrder("neighbourhood-hour Old Town", "city-day the city");
        assertThat(behind).allSatisfy(row -> assertThat((String) row.get("reason")).contains("violates check constraint")
                .doesNotContain("Failing row"));

        Dashboards.Query refusals = Dashboards.alertQueries().get(2);
        Map<String, Double> byStage = values(run(refusals, refusals.sql()), "stage", "refused_updates");
        assertThat(byStage).as("both indicator stages fire; signals' dead letters are not indicator refusals")
                .containsOnlyKeys("barometer.indicators.neighbourhood-hourly", "barometer.indicators.city-daily")
                .allSatisfy((stage, refused) -> assertThat(refused).isGreaterThan(0));
    }

    private static Map<String, Object> day(List<Map<String, Object>> rows, java.time.Instant day) {
        return rows.stream().filter(row -> ((java.sql.Timestamp) row.get("time")).toInstant().equals(day)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + day));
    }

    @Test
    void theAlertRulesFireForTheFallingNeighbourhoodAndTheSilentKioskOnly() throws SQLException {
        List<Dashboards.Query> alerts = Dashboards.alertQueries();
        assertThat(alerts).hasSize(3);
        Map<String, Double> drops = values(run(alerts.get(0), alerts.get(0).sql()), "neighbourhood_id", "drop_points");
        assertThat(drops).containsOnlyKeys("old-town", "riverside", "hillside", PipelineOutput.NAMESAKE);
        assertThat(drops.get("hillside")).as("20 points down").isGreaterThan(15);
        assertThat(drops.get("old-town")).isLessThan(15);
        assertThat(drops.get(PipelineOutput.NAMESAKE)).isLessThan(15);
        Map<String, Double> silence = values(run(alerts.get(1), alerts.get(1).sql()), "kiosk", "hours_silent");
        assertThat(silence.get("kiosk-1")).isGreaterThan(24);
        assertThat(silence.get("kiosk-2")).isLessThan(24);
    }

    @Test
    void everyAlertRuleLabelsEachRowOfItsResultUniquelyEvenWhereTwoCitiesHaveANeighbourhoodOfOneName() throws SQLException {
        List<Dashboards.Query> alerts = Dashboards.alertQueries();
        for (Dashboards.Query alert : alerts) {
            List<Map<String, Object>> rows = run(alert, alert.sql());
            // Grafana labels each row of a SQL alert query by its text columns, and fails the
            // evaluation when two rows have the same labels.
            List<Map<String, Object>> labelSets = rows.stream().map(row -> {
                Map<String, Object> labels = new LinkedHashMap<>(row);
                labels.values().removeIf(value -> !(value instanceof String));
                return labels;
            }).toList();
            assertThat(labelSets).as(alert.panel() + ": one label set per row").doesNotHaveDuplicates()
                    .allSatisfy(labels -> assertThat(labels).isNotEmpty());
        }
        List<Map<String, Object>> drops = run(alerts.get(0), alerts.get(0).sql());
        assertThat(drops).as("the fixture has two Old Towns, in two cities")
                .filteredOn(row -> "Old Town".equals(row.get("neighbourhood"))).hasSize(2);
    }

    private List<Map<String, Object>> panel(String dashboardTitle, String panelTitle) throws SQLException {
        return panel(dashboardTitle, panelTitle, SELECTED);
    }

    private List<Map<String, Object>> panel(String dashboardTitle, String panelTitle, Map<String, List<String>> selected)
            throws SQLException {
        return panel(dashboardTitle, panelTitle, selected, FROM, TO);
    }

    private List<Map<String, Object>> panel(String dashboardTitle, String panelTitle, Map<String, List<String>> selected,
                                            String from, String to) throws SQLException {
        for (Path file : Dashboards.dashboardFiles()) {
            JsonNode dashboard = Dashboards.read(file);
            for (Dashboards.Query query : Dashboards.queries(dashboard)) {
                if (query.dashboard().equals(dashboardTitle) && query.panel().equals(panelTitle)) {
                    return run(query, Dashboards.expand(query.sql(), from, to, "1 day",
                            Dashboards.interpolated(dashboard, selected)));
                }
            }
        }
        throw new AssertionError("no panel '" + panelTitle + "' on '" + dashboardTitle + "'");
    }

    private static Map<String, Double> values(List<Map<String, Object>> rows, String label, String value) {
        Map<String, Double> values = new LinkedHashMap<>();
        rows.forEach(row -> values.put((String) row.get(label), ((Number) row.get(value)).doubleValue()));
        return values;
    }

    private List<Map<String, Object>> run(Dashboards.Query query, String sql) throws SQLException {
        String expanded = sql == null ? query.sql() : sql;
        String role = ROLE_OF_DATASOURCE.get(query.datasource());
        if (role == null) {
            throw new AssertionError(query.dashboard() + " / " + query.panel() + " runs on datasource '" + query.datasource()
                    + "', which is not provisioned");
        }
        try (Connection c = connectAs(role)) {
            try (ResultSet rs = c.createStatement().executeQuery(expanded)) {
                ResultSetMetaData meta = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            } finally {
                leaveDashboardsRole(c);
            }
        } catch (SQLException e) {
            throw new AssertionError(query.dashboard() + " / " + query.panel() + " fails: " + e.getMessage() + "\n" + expanded, e);
        }
    }
}
