package org.cohesionbarometer.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
            assertThat(rule.path("annotations").path("description").asText()).hasSizeGreaterThan(40);
        }
        assertThat(uids).containsExactlyInAnyOrder("barometer-index-drop", "barometer-silent-kiosk", "barometer-indicator-refused");
    }

    @Test
    void everyAlertRuleLinksToAPanelThatExistsOnADashboardThatExists() {
        for (JsonNode rule : Dashboards.alertRules()) {
            // Grafana reads the link from the rule's own fields; under annotations it is just text.
            assertThat(rule.path("annotations").has("dashboardUId") || rule.path("annotations").has("dashboardUid"))
                    .as(rule.path("title") + ": the dashboard link belongs beside the annotations, not in them").isFalse();
            String dashboardUid = rule.path("dashboardUid").asText();
            JsonNode dashboard = Dashboards.dashboardFiles().stream().map(Dashboards::read)
                    .filter(d -> d.path("uid").asText().equals(dashboardUid)).findFirst()
                    .orElseThrow(() -> new AssertionError(rule.path("title") + " links to dashboard '" + dashboardUid + "', which is not provisioned"));
            List<Integer> panels = new ArrayList<>();
            dashboard.path("panels").forEach(panel -> panels.add(panel.path("id").asInt()));
            assertThat(rule.path("panelId").isInt()).as(rule.path("title") + " names its panel").isTrue();
            assertThat(panels).as(rule.path("title") + " links to a panel of " + dashboardUid).contains(rule.path("panelId").asInt());
        }
    }

    @Test
    void alertRulesAndDashboardsLandInOneFolder() {
        // Grafana's alert rule files name their folder by title only, and Grafana provisions them
        // before dashboards: it creates that folder with a random uid. A dashboard provider that
        // asks for a folder uid then gets a second folder with the same title (or none at all).
        JsonNode providers = Dashboards.yaml(Dashboards.ROOT.resolve("provisioning/dashboards/barometer.yaml")).path("providers");
        assertThat(providers).hasSize(1);
        JsonNode provider = providers.get(0);
        assertThat(provider.has("folderUid")).as("the provider finds its folder by title, as the rules do").isFalse();
        for (JsonNode group : Dashboards.alertGroups()) {
            assertThat(group.path("folder").asText()).as("alert group " + group.path("name"))
                    .isEqualTo(provider.path("folder").asText()).isNotBlank();
        }
    }

    @Test
    void everyAlertReachesAContactPoint() {
        List<String> contactPoints = new ArrayList<>();
        List<JsonNode> policies = new ArrayList<>();
        for (Path file : Dashboards.alertRuleFiles()) {
            JsonNode content = Dashboards.yaml(file);
            content.path("contactPoints").forEach(point -> {
                assertThat(point.path("receivers")).as("contact point " + point.path("name")).isNotEmpty();
                contactPoints.add(point.path("name").asText());
            });
            content.path("policies").forEach(policies::add);
        }
        assertThat(policies).as("a notification policy for the organisation").hasSize(1);
        assertThat(policies.get(0).path("orgId").asInt()).isEqualTo(1);
        assertThat(contactPoints).as("the policy's receiver is provisioned").contains(policies.get(0).path("receiver").asText());
        assertThat(policies.get(0).path("routes").isMissingNode()).as("every alert goes to the one receiver").isTrue();
    }

    @Test
    void theDatasourcePasswordIsExpandedOnceSoADollarInItSurvives() {
        // Grafana expands ${NAME} and then expands $ inside the value again; $NAME is expanded once.
        for (JsonNode ds : Dashboards.yaml(Dashboards.ROOT.resolve("provisioning/datasources/barometer.yaml")).path("datasources")) {
            ds.path("secureJsonData").fields().forEachRemaining(secret -> assertThat(secret.getValue().asText())
                    .as(ds.path("name") + " secureJsonData." + secret.getKey()).matches("\\$[A-Z][A-Z0-9_]*"));
        }
    }

    @Test
    void theOfficersDashboardsReadOnlyThroughTheRoleThatSeesSuppressedFiguresAndOperationsCountsThroughTheirOwn() {
        for (Path file : Dashboards.dashboardFiles()) {
            JsonNode dashboard = Dashboards.read(file);
            if (!dashboard.path("uid").asText().equals("barometer-pipeline-health")) {
                assertThat(Dashboards.referencedDatasourceUids(dashboard)).as(file + ": officers' panels read published figures only")
                        .containsOnly("barometer-db");
            }
        }
        JsonNode pipelineHealth = Dashboards.read(Dashboards.ROOT.resolve("json/pipeline-health.json"));
        for (Dashboards.Query query : Dashboards.queries(pipelineHealth)) {
            boolean unsuppressed = query.sql().matches("(?s).*\\b(pipeline_arrivals_hourly|pipeline_partly_counted_daily|dead_letters_hourly|consumer_lag)\\b.*");
            assertThat(query.datasource()).as(query.panel()).isEqualTo(unsuppressed ? "barometer-operations" : "barometer-db");
        }
        Map<String, String> users = new java.util.HashMap<>();
        Dashboards.yaml(Dashboards.ROOT.resolve("provisioning/datasources/barometer.yaml")).path("datasources")
                .forEach(ds -> users.put(ds.path("uid").asText(), ds.path("user").asText()));
        assertThat(users).containsExactlyInAnyOrderEntriesOf(Map.of(
                "barometer-db", "${BAROMETER_DASHBOARD_DB_USER}", "barometer-operations", "${BAROMETER_OPERATIONS_DB_USER}"));
    }

    @Test
    void theCityVariableFiltersEveryPanelOfTheCityDashboards() {
        for (String uid : List.of("barometer-city-overview", "barometer-neighbourhood", "barometer-activity-impact")) {
            Path file = Dashboards.dashboardFiles().stream()
                    .filter(f -> Dashboards.read(f).path("uid").asText().equals(uid)).findFirst().orElseThrow();
            Dashboards.read(file).path("panels").forEach(panel -> panel.path("targets").forEach(target ->
                    assertThat(target.path("rawSql").asText()).as(uid + " / " + panel.path("title").asText()
                                    + ": filtered by $city, or by a neighbourhood or activity chosen within it")
                            .containsAnyOf("$city", "$neighbourhood", "$activity")));
        }
    }
}
