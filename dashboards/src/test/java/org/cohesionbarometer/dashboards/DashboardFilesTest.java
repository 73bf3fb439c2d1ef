package org.cohesionbarometer.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
}
