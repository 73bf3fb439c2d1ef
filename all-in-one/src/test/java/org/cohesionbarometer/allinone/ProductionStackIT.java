package org.cohesionbarometer.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The production stack from docker-compose.yml, built from this repository: a check-in posted to
 * the ingest API reaches Grafana's datasource query API as a published count. Needs a Docker
 * engine (and Compose v2); without one, JUnit reports it as disabled ("Docker is not available").
 */
@Testcontainers(disabledWithoutDocker = true)
class ProductionStackIT {
    private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
    private static final String ADMIN_TOKEN = "stack-test-admin-" + UUID.randomUUID();
    private static final String GRAFANA_PASSWORD = "stack-test-grafana-" + UUID.randomUUID();

    @Container
    static final ComposeContainer STACK = new ComposeContainer(new File(REPO.toFile(), "docker-compose.yml"))
            .withEnv(Map.of("POSTGRES_PASSWORD", "stack-test-db-" + UUID.randomUUID(),
                    "BAROMETER_WRITER_DB_PASSWORD", "stack-test-writer-" + UUID.randomUUID(),
                    "BAROMETER_DASHBOARD_DB_PASSWORD", "stack-test-dash-" + UUID.randomUUID(),
                    "BAROMETER_ADMIN_TOKEN", ADMIN_TOKEN, "GF_SECURITY_ADMIN_PASSWORD", GRAFANA_PASSWORD,
                    "BAROMETER_ALERT_EMAILS", "city-data@localhost", "SMTP_HOST", "localhost:25",
                    "SMTP_FROM_ADDRESS", "barometer@localhost", "BAROMETER_PARTITIONS", "1"))
            .withBuild(true)
            .withExposedService("ingest", 8080, Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(10)))
            .withExposedService("grafana", 3000, Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(5)));

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aCheckInPostedToTheIngestApiReachesGrafanasDatasource() throws Exception {
        put("/v1/neighbourhoods/north", "{\"name\":\"North\",\"city\":\"Riverton\"}");
        put("/v1/activities/cafe-north", "{\"title\":\"Language café\",\"type\":\"language café\","
                + "\"neighbourhoodId\":\"north\",\"organiserId\":\"org-1\",\"startsAt\":\"2026-01-05T18:00:00Z\"}");
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        List<String> checkIns = new ArrayList<>();
        for (int i = 0; i < 12; i++) { // k = 10: enough people for the hour to be published
            UUID id = UUID.randomUUID();
            checkIns.add("{\"eventId\":\"" + id + "\",\"eventTime\":\"" + hour.plusSeconds(i) + "\",\"activityId\":\"cafe-north\","
                    + "\"participantToken\":\"" + "%032x".formatted(i) + "\",\"groupCode\":\"" + "ABC".charAt(i % 3) + "\"}");
        }
        HttpResponse<String> posted = send(ingest("/v1/check-ins"), "POST", "[" + String.join(",", checkIns) + "]",
                "Bearer " + ADMIN_TOKEN);
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);

        String query = """
                {"from": "now-6h", "to": "now", "queries": [{"refId": "A", "datasource": {"uid": "barometer-db"},
                 "format": "table", "rawSql": "SELECT sum(check_ins) AS check_ins FROM published_neighbourhood_hourly WHERE neighbourhood_id = 'north' AND activity_id = ''"}]}""";
        String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + GRAFANA_PASSWORD).getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(5)).untilAsserted(() -> {
            HttpResponse<String> answer = send(grafana("/api/ds/query"), "POST", query, basic);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).contains("[12]");
        });
    }

    private void put(String path, String body) throws Exception {
        HttpResponse<String> response = send(ingest(path), "PUT", body, "Bearer " + ADMIN_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static URI ingest(String path) {
        return URI.create("http://" + STACK.getServiceHost("ingest", 8080) + ":" + STACK.getServicePort("ingest", 8080) + path);
    }

    private static URI grafana(String path) {
        return URI.create("http://" + STACK.getServiceHost("grafana", 3000) + ":" + STACK.getServicePort("grafana", 3000) + path);
    }

    private HttpResponse<String> send(URI uri, String method, String body, String authorization) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("Authorization", authorization)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
