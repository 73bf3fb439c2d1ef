package org.cohesionbarometer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.cohesionbarometer.clients.ClientsCli;
import org.cohesionbarometer.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Organisers' tokens against a real broker: each organiser writes for its own activities and
 * kiosks only, within its rate limit; tokens are issued and revoked by the admin and never stored
 * or shown in clear after issue.
 */
class OrganiserAccessIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BURST = 5;
    private static IngestFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new IngestFixture(60, BURST);
        // A second organiser's activity and kiosk in the same neighbourhood.
        fixture.send("PUT", "/v1/activities/garden-north", "application/json", "{\"title\":\"Urban garden\","
                + "\"type\":\"URBAN_GARDEN\",\"neighbourhoodId\":\"north\",\"organiserId\":\"org-2\","
                + "\"startsAt\":\"2026-02-01T10:00:00Z\"}");
        fixture.send("PUT", "/v1/kiosks/kiosk-garden", "application/json",
                "{\"neighbourhoodId\":\"north\",\"organiserId\":\"org-2\"}");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static String checkIn(String activityId) {
        return "{\"eventId\":\"" + UUID.randomUUID() + "\",\"eventTime\":\"2026-03-14T17:00:00Z\",\"activityId\":\""
                + activityId + "\",\"groupCode\":\"A\"}";
    }

    private static String tap(String kioskId) {
        return "{\"eventId\":\"" + UUID.randomUUID() + "\",\"eventTime\":\"2026-03-14T17:00:00Z\",\"kioskId\":\""
                + kioskId + "\",\"questionCode\":\"welcome\",\"scale\":5,\"level\":4}";
    }

    @Test
    void anOrganiserWritesCheckInsForItsOwnActivity() throws Exception {
        String token = fixture.issueToken("org-1");

        HttpResponse<String> response = fixture.sendAs(token, "POST", "/v1/check-ins", "application/json", checkIn("cafe-north"));

        assertThat(response.statusCode()).isEqualTo(202);
    }

    @Test
    void anotherOrganisersActivityIsForbiddenNamingTheField() throws Exception {
        String token = fixture.issueToken("org-1");
        String foreign = checkIn("garden-north");

        HttpResponse<String> response = fixture.sendAs(token, "POST", "/v1/check-ins", "application/json", foreign);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode error = JSON.readTree(response.body()).path("errors").get(0);
        assertThat(error.path("field").asText()).isEqualTo("activityId");
        assertThat(error.path("value").asText()).isEqualTo("garden-north");
        assertThat(error.path("reason").asText()).contains("another organiser");
        String eventId = JSON.readTree(foreign).path("eventId").asText();
        assertThat(fixture.checkInsOnTheTopic()).noneMatch(c -> c.getEventId().toString().equals(eventId));
    }

    @Test
    void aTokenIssuedForACityWritesOnlyForItsOrganisersActivitiesInThatCity() throws Exception {
        fixture.send("PUT", "/v1/neighbourhoods/lakeshore", "application/json", "{\"name\":\"Lakeshore\",\"city\":\"Lakeside\"}");
        for (String[] activity : new String[][] {{"dinner-north", "north"}, {"choir-lakeshore", "lakeshore"}}) {
            fixture.send("PUT", "/v1/activities/" + activity[0], "application/json", "{\"title\":\"" + activity[0]
                    + "\",\"type\":\"OTHER\",\"neighbourhoodId\":\"" + activity[1] + "\",\"organiserId\":\"org-3\","
                    + "\"startsAt\":\"2026-02-01T10:00:00Z\"}");
        }
        HttpResponse<String> issued = fixture.send("POST", "/v1/organisers/org-3/tokens", "application/json",
                "{\"label\":\"Riverton app\",\"city\":\"Riverton\"}");
        assertThat(issued.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(issued.body()).path("city").asText()).isEqualTo("Riverton");
        String token = JSON.readTree(issued.body()).path("token").asText();

        HttpResponse<String> home = fixture.sendAs(token, "POST", "/v1/check-ins", "application/json", checkIn("dinner-north"));
        HttpResponse<String> away = fixture.sendAs(token, "POST", "/v1/check-ins", "application/json", checkIn("choir-lakeshore"));

        assertThat(home.statusCode()).isEqualTo(202);
        assertThat(away.statusCode()).isEqualTo(403);
        JsonNode error = JSON.readTree(away.body()).path("errors").get(0);
        assertThat(error.path("field").asText()).isEqualTo("activityId");
        assertThat(error.path("reason").asText()).contains("is in Lakeside", "in Riverton only");
    }

    @Test
    void aTokenForACityNoNeighbourhoodIsInIsRefusedNamingTheCities() throws Exception {
        HttpResponse<String> response = fixture.send("POST", "/v1/organisers/org-1/tokens", "application/json",
                "{\"city\":\"Atlantis\"}");

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode error = JSON.readTree(response.body()).path("errors").get(0);
        assertThat(error.path("field").asText()).isEqualTo("city");
        assertThat(error.path("reason").asText()).contains("no neighbourhood is registered in this city", "Riverton");
    }

    @Test
    void anotherOrganisersKioskIsForbiddenNamingTheField() throws Exception {
        String token = fixture.issueToken("org-1");

        HttpResponse<String> response = fixture.sendAs(token, "POST", "/v1/sentiment-taps", "application/json", tap("kiosk-garden"));

        assertThat(response.statusCode()).isEqualTo(403);
        JsonNode error = JSON.readTree(response.body()).path("errors").get(0);
        assertThat(error.path("field").asText()).isEqualTo("kioskId");
        assertThat(error.path("reason").asText()).contains("another organiser");
    }

    @Test
    void inABulkRequestOwnRecordsAreStoredAndForeignOnesReportedByIndex() throws Exception {
        String token = fixture.issueToken("org-2");
        String body = String.join("\n", checkIn("garden-north"), checkIn("cafe-north"), checkIn("garden-north"));

        HttpResponse<String> response = fixture.sendAs(token, "POST", "/v1/check-ins", "application/x-ndjson", body);

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.path("stored")).hasSize(2);
        assertThat(answer.path("rejected")).extracting(r -> r.path("index").asInt()).containsExactly(1);
        assertThat(answer.path("rejected").get(0).path("errors").get(0).path("reason").asText()).startsWith("forbidden");
    }

    @Test
    void aBulkRequestOfOnlyForeignRecordsIsForbidden() throws Exception {
        String token = fixture.issueToken("org-2");
        String body = "[" + checkIn("cafe-north") + "," + checkIn("cafe-north") + "]";

        HttpResponse<String> response = fixture.sendAs(token, "POST", "/v1/check-ins", "application/json", body);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(response.body()).path("rejected")).hasSize(2);
    }

    @Test
    void withoutAKnownTokenNothingIsAccepted() throws Exception {
        ApiToken issued = ApiToken.parse(fixture.issueToken("org-1")).orElseThrow();
        String wrongSecret = new ApiToken(issued.tokenId(), ApiToken.issue().secret()).value();

        for (String token : new String[] {null, "not-a-token", ApiToken.issue().value(), wrongSecret}) {
            HttpResponse<String> response = fixture.sendAs(token, "POST", "/v1/check-ins", "application/json",
                    checkIn("cafe-north"));
            assertThat(response.statusCode()).as("token %s", token).isEqualTo(401);
            assertThat(JSON.readTree(response.body()).path("detail").asText()).contains("Authorization: Bearer");
        }
    }

    @Test
    void organiserTokensCannotManageReferenceDataOrTokens() throws Exception {
        String token = fixture.issueToken("org-1");

        assertThat(fixture.sendAs(token, "PUT", "/v1/neighbourhoods/south", "application/json",
                "{\"name\":\"South\",\"city\":\"Riverton\"}").statusCode()).isEqualTo(403);
        assertThat(fixture.sendAs(token, "POST", "/v1/organisers/org-1/tokens", "application/json", "{}").statusCode())
                .isEqualTo(403);
        assertThat(fixture.sendAs(null, "PUT", "/v1/neighbourhoods/south", "application/json",
                "{\"name\":\"South\",\"city\":\"Riverton\"}").statusCode()).isEqualTo(401);
    }

    @Test
    void pastItsBurstATokenIsAnswered429WithRetryAfterWhileOtherTokensGoOn() throws Exception {
        String busy = fixture.issueToken("org-1");
        String other = fixture.issueToken("org-1");
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> limited = null;
        for (int i = 0; i < BURST + 5 && limited == null; i++) {
            HttpResponse<String> response = fixture.sendAs(busy, "POST", "/v1/check-ins", "application/json", checkIn("cafe-north"));
            statuses.add(response.statusCode());
            if (response.statusCode() == 429) {
                limited = response;
            }
        }

        assertThat(statuses).startsWith(202, 202, 202, 202, 202).endsWith(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(s -> assertThat(Long.parseLong(s)).isPositive());
        assertThat(limited.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(fixture.sendAs(other, "POST", "/v1/check-ins", "application/json", checkIn("cafe-north")).statusCode())
                .isEqualTo(202);
    }

    @Test
    void theAdminIssuesListsAndRevokesTokensWithTheCliAndTheSecretIsShownOnlyOnce() throws Exception {
        String issued = cli("tokens", "issue", "--organiser", "org-1", "--label", "kiosk app");
        Matcher token = Pattern.compile("token:\\s+(cbt_\\S+)").matcher(issued);
        assertThat(token.find()).as(issued).isTrue();
        ApiToken apiToken = ApiToken.parse(token.group(1)).orElseThrow();
        assertThat(fixture.sendAs(apiToken.value(), "POST", "/v1/check-ins", "application/json", checkIn("cafe-north"))
                .statusCode()).isEqualTo(202);

        String listed = cli("tokens", "list", "--organiser", "org-1");
        HttpResponse<String> listing = fixture.send("GET", "/v1/organisers/org-1/tokens", "application/json", "");
        assertThat(listed).contains(apiToken.tokenId(), "kiosk app").doesNotContain(apiToken.secret());
        assertThat(listing.body()).contains(apiToken.tokenId())
                .doesNotContain(apiToken.secret()).doesNotContain(apiToken.secretSha256());

        String revoked = cli("tokens", "revoke", "--token-id", apiToken.tokenId());
        assertThat(revoked).contains("revoked " + apiToken.tokenId());
        assertThat(fixture.sendAs(apiToken.value(), "POST", "/v1/check-ins", "application/json", checkIn("cafe-north"))
                .statusCode()).isEqualTo(401);
        assertThat(cli("tokens", "list", "--organiser", "org-1")).containsPattern(apiToken.tokenId() + "\\s+\\S+\\s+20\\d\\d-");

        assertThat(tokenTopicText()).as("Kafka holds the hash, never the secret")
                .contains(apiToken.secretSha256()).doesNotContain(apiToken.secret());
    }

    @Test
    void aTokenRequestThatIsNotJsonOrNamesABadOrganiserIsRefusedSayingWhy() throws Exception {
        HttpResponse<String> notJson = fixture.send("POST", "/v1/organisers/org-1/tokens", "application/json", "{label");
        HttpResponse<String> badId = fixture.send("POST", "/v1/organisers/org%20one/tokens", "application/json", "");

        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(badId.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(badId.body()).path("errors").get(0).path("field").asText()).isEqualTo("organiserId");
    }

    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--ingest-url", fixture.url(), "--admin-token", IngestFixture.ADMIN));
        int exit = new CommandLine(new ClientsCli()).setOut(new PrintWriter(out)).execute(all.toArray(String[]::new));
        assertThat(exit).as(out.toString()).isZero();
        return out.toString();
    }

    /** Every byte on the organiser-token topic, as text. */
    private static String tokenTopicText() {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", fixture.kafka.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ORGANISER_TOKENS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            StringBuilder text = new StringBuilder();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> text.append(new String(r.value(), StandardCharsets.ISO_8859_1)));
            }
            return text.toString();
        }
    }
}
