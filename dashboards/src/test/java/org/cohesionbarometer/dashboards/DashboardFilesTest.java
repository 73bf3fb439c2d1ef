package org.cohesionbarometer.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cohesionbarometer.schemas.SmallCells;
import org.junit.jupiter.api.Test;

class DashboardFilesTest {

    @Test
    void everyDashboardHasAUniqueFixedUidAndNoNumericId() {
        List<String> uids = new ArrayList<>();
        for (Path file : Dashboards.dashboardFiles()) {
            JsonNode dashboard = Dashboards.read(file);
            assertThat(dashboard.path("uid").asText()).as(file + " uid").isNotBlank();
            assertThat(dashboard.get("id").isNull()).as(file + " id must be null").isTrue();
            uids.add(dashboard.path("uid").asText());
        }
        assertThat(uids).isNotEmpty().doesNotHaveDuplicates();
    }

    @Test
    void everyDatasourceADashboardNamesIsProvisioned() {
        List<String> provisioned = Dashboards.provisionedDatasourceUids();
        for (Path file : Dashboards.dashboardFiles()) {
            assertThat(Dashboards.referencedDatasourceUids(Dashboards.read(file)))
                    .as(file + " refers to datasources by provisioned uid").isNotEmpty().isSubsetOf(provisioned);
        }
    }

    @Test
    void everyVariableAQueryUsesIsDefined() {
        for (Path file : Dashboards.dashboardFiles()) {
            JsonNode dashboard = Dashboards.read(file);
            assertThat(Dashboards.definedVariables(dashboard)).as(file + " defines what it uses")
                    .containsAll(Dashboards.usedVariables(dashboard));
        }
    }

    @Test
    void everyPanelExplainsWhatItMeasures() {
        for (Path file : Dashboards.dashboardFiles()) {
            Dashboards.read(file).path("panels").forEach(panel -> assertThat(panel.path("description").asText())
                    .as(file + ": panel '" + panel.path("title").asText() + "' needs a plain-language description")
                    .hasSizeGreaterThan(20));
        }
    }

    @Test
    void theFourDashboardsOfficersUseAreProvisioned() {
        assertThat(Dashboards.dashboardFiles()).extracting(file -> Dashboards.read(file).path("uid").asText())
                .containsExactlyInAnyOrder("barometer-city-overview", "barometer-neighbourhood", "barometer-activity-impact",
                        "barometer-pipeline-health");
    }

    @Test
    void officersCanChooseCityNeighbourhoodActivityAndIndicator() {
        List<String> variables = new ArrayList<>();
        Dashboards.dashboardFiles().forEach(file -> variables.addAll(Dashboards.definedVariables(Dashboards.read(file))));
        assertThat(variables).contains("city", "neighbourhood", "activity", "indicator");
    }

    @Test
    void everyPanelReadingPublishedFiguresShowsAWithheldValueAsFewerThanKNotAsZero() {
        for (Path file : Dashboards.dashboardFiles()) {
            Dashboards.read(file).path("panels").forEach(panel -> {
                boolean published = false;
                for (JsonNode target : panel.path("targets")) {
                    published |= target.path("rawSql").asText().contains("published_");
                }
                if (published) {
                    assertThat(panel.path("fieldConfig").path("defaults").path("mappings").toString())
                            .as(file + ": panel '" + panel.path("title").asText() + "'")
                            .contains("\"match\":\"null\"").contains("fewer than k");
                }
            });
        }
    }

    /** k is set once (SmallCells, BAROMETER_SUPPRESSION_K); a dashboard that printed its value would go stale. */
    @Test
    void dashboardTextsNameKAndNeverItsValue() throws IOException {
        for (Path file : Dashboards.dashboardFiles()) {
            String text = Files.readString(file);
            assertThat(text).as(file.toString()).contains("fewer than k")
                    .doesNotContainPattern("fewer than \\d")
                    .doesNotContain("k = " + SmallCells.DEFAULT_K, "k=" + SmallCells.DEFAULT_K);
        }
    }

    @Test
    void alertRulesHaveUniqueUidsQueryAProvisionedDatasourceAndLinkToADashboardThatExists() {
        List<String> provisioned = Dashboards.provisionedDatasourceUids();
        List<String> dashboards = Dashboards.dashboardFiles().stream().map(f -> Dashboards.read(f).path("uid").asText()).toList();
        List<String> uids = new ArrayList<>();
        for (JsonNode rule : Dashboards.alertRules()) {
            uids.add(rule.path("uid").asText());
            List<String> refIds = new ArrayList<>();
            rule.path("data").forEach(step -> {
                refIds.add(step.path("refId").asText());
                String datasource = step.path("datasourceUid").asText();
                assertThat(datasource.equals("__expr__") || provisioned.contains(datasource))
                        .as(rule.path("title") + " queries " + datasource).isTrue();
            });
            assertThat(refIds).as(rule.path("title") + " has its condition among its steps").contains(rule.path("condition").asText());
            assertThat(dashboards).contains(rule.path("annotations").path("dashboardUId").asText());
            assertThat(rule.path("annotations").path("description").asText()).hasSizeGreaterThan(40);
        }
        assertThat(uids).containsExactlyInAnyOrder("barometer-index-drop", "barometer-silent-kiosk", "barometer-indicator-refused");
    }
}
