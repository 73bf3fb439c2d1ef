package org.cohesionbarometer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reference lists need a token, and show each caller what it may see: the admin everything,
 * an organiser its own activities and kiosks, their neighbourhoods, and the taxonomy of groups.
 * The OpenAPI document lists exactly the routes the server answers.
 */
class ReferenceRoutesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static IngestFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new IngestFixture();
        // A second organiser in a neighbourhood of its own: the fixture's org-1 is in 'north'.
        put("/v1/neighbourhoods/south", "{\"name\":\"South\",\"city\":\"Riverton\"}");
        put("/v1/neighbourhoods/east", "{\"name\":\"East\",\"city\":\"Riverton\"}");
        put("/v1/activities/garden-south", "{\"title\":\"Urban garden\",\"type\":\"URBAN_GARDEN\",\"neighbourhoodId\":\"south\","
                + "\"organiserId\":\"org-2\",\"startsAt\":\"2026-02-01T10:00:00Z\"}");
        put("/v1/kiosks/kiosk-south", "{\"neighbourhoodId\":\"south\",\"organiserId\":\"org-2\",\"location\":\"Gate 2\"}");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static void put(String path, String body) throws Exception {
        assertThat(fixture.send("PUT", path, "application/json", body).statusCode()).isEqualTo(200);
    }

    private static List<String> ids(String token, String path, String idField) throws Exception {
        HttpResponse<String> response = fixture.sendAs(token, "GET", path, "application/json", "");
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).findValuesAsText(idField);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/activities", "/v1/kiosks", "/v1/neighbourhoods", "/v1/groups"})
    void aReferenceListNeedsAToken(String path) throws Exception {
        for (String token : new String[] {null, "cbt_000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "guess"}) {
            HttpResponse<String> response = fixture.sendAs(token, "GET", path, "application/json", "");

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.body()).doesNotContain("org-1", "cafe-north", "kiosk-north", "North");
        }
    }

    @Test
    void theAdminSeesEveryActivityKioskNeighbourhoodAndGroup() throws Exception {
        String admin = IngestFixture.ADMIN;
        assertThat(ids(admin, "/v1/activities", "id")).containsExactlyInAnyOrder("cafe-north", "garden-south");
        assertThat(ids(admin, "/v1/kiosks", "id")).containsExactlyInAnyOrder("kiosk-north", "kiosk-south");
        assertThat(ids(admin, "/v1/neighbourhoods", "id")).containsExactlyInAnyOrder("north", "south", "east");
        assertThat(ids(admin, "/v1/groups", "code")).containsExactlyInAnyOrder("A", "B", "C");
    }

    @Test
    void anOrganiserSeesItsOwnActivitiesKiosksAndTheirNeighbourhoodsAndEveryGroupCode() throws Exception {
        String org1 = fixture.issueToken("org-1");
        String org2 = fixture.issueToken("org-2");

        assertThat(ids(org1, "/v1/activities", "id")).containsExactly("cafe-north");
        assertThat(ids(org1, "/v1/kiosks", "id")).containsExactly("kiosk-north");
        assertThat(ids(org1, "/v1/neighbourhoods", "id")).containsExactly("north");
        assertThat(ids(org2, "/v1/activities", "id")).containsExactly("garden-south");
        assertThat(ids(org2, "/v1/kiosks", "id")).containsExactly("kiosk-south");
        assertThat(ids(org2, "/v1/neighbourhoods", "id")).containsExactly("south");
        assertThat(ids(org1, "/v1/groups", "code")).as("the codes a check-in may carry")
                .containsExactlyInAnyOrder("A", "B", "C");
        assertThat(ids(fixture.issueToken("org-3"), "/v1/activities", "id")).as("an organiser with nothing yet").isEmpty();
    }

    @Test
    void theOpenApiDocumentListsExactlyTheRoutesTheServerAnswers() throws Exception {
        JsonNode paths;
        try (var in = IngestServer.class.getResourceAsStream("/public/openapi.yaml")) {
            paths = new ObjectMapper(new YAMLFactory()).readTree(in).path("paths");
        }
        Set<String> documented = new TreeSet<>();
        paths.fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(method)) {
                documented.add(method.toUpperCase() + " " + path.getKey());
            }
        }));
        Set<String> answered = new TreeSet<>(fixture.server.routes());

        assertThat(documented).as("documented in openapi.yaml and answered by the server").isEqualTo(answered);
        assertThat(answered).contains("GET /v1/activities", "GET /v1/kiosks", "GET /v1/neighbourhoods", "GET /v1/groups");
    }
}
