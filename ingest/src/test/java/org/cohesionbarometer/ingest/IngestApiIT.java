package org.cohesionbarometer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.cohesionbarometer.schemas.KafkaEndpoints;
import org.cohesionbarometer.schemas.SignalAge;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The organisers' API against a real broker: what is refused, why, and what is stored. */
class IngestApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static IngestFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new IngestFixture();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static String checkIn(String eventId, String eventTime, String extra) {
        return "{\"eventId\":\"" + eventId + "\",\"eventTime\":\"" + eventTime + "\",\"activityId\":\"cafe-north\""
                + extra + "}";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown activity      | /v1/check-ins      | {"eventId":"6f1c2b1e-1d2f-4a7e-9b3c-0a1b2c3d4e5f","eventTime":"2026-03-14T17:00:00Z","activityId":"no-such-cafe"} | activityId       | unknown activity
            time in the future    | /v1/check-ins      | {"eventId":"6f1c2b1e-1d2f-4a7e-9b3c-0a1b2c3d4e5f","eventTime":"2026-03-14T19:00:00Z","activityId":"cafe-north"}   | eventTime        | in the future
            time too far back     | /v1/check-ins      | {"eventId":"6f1c2b1e-1d2f-4a7e-9b3c-0a1b2c3d4e5f","eventTime":"2025-01-01T00:00:00Z","activityId":"cafe-north"}   | eventTime        | too old
            malformed UUID        | /v1/check-ins      | {"eventId":"6f1c2b1e","eventTime":"2026-03-14T17:00:00Z","activityId":"cafe-north"}                             | eventId          | not a UUID
            missing field         | /v1/check-ins      | {"eventId":"6f1c2b1e-1d2f-4a7e-9b3c-0a1b2c3d4e5f","activityId":"cafe-north"}                                   | eventTime        | missing
            a name slipped in     | /v1/check-ins      | {"eventId":"6f1c2b1e-1d2f-4a7e-9b3c-0a1b2c3d4e5f","eventTime":"2026-03-14T17:00:00Z","activityId":"cafe-north","name":"Jane Doe"} | name | unknown field
            an e-mail as token    | /v1/check-ins      | {"eventId":"6f1c2b1e-1d2f-4a7e-9b3c-0a1b2c3d4e5f","eventTime":"2026-03-14T17:00:00Z","activityId":"cafe-north","participantToken":"jane@example.org"} | participantToken | not a pseudonymous token
            score out of range    | /v1/sentiment-taps | {"eventId":"6f1c2b1e-1d2f-4a7e-9b3c-0a1b2c3d4e5f","eventTime":"2026-03-14T17:00:00Z","kioskId":"kiosk-north","questionCode":"welcome","scale":3,"level":4} | level | out of range
            scale not 3, 4 or 5   | /v1/sentiment-taps | {"eventId":"6f1c2b1e-1d2f-4a7e-9b3c-0a1b2c3d4e5f","eventTime":"2026-03-14T17:00:00Z","kioskId":"kiosk-north","questionCode":"welcome","scale":7,"level":4} | scale | out of range
            unknown group code    | /v1/check-ins      | {"eventId":"6f1c2b1e-1d2f-4a7e-9b3c-0a1b2c3d4e5f","eventTime":"2026-03-14T17:00:00Z","activityId":"cafe-north","groupCode":"Z"} | groupCode | unknown group code
            unknown kiosk         | /v1/sentiment-taps | {"eventId":"6f1c2b1e-1d2f-4a7e-9b3c-0a1b2c3d4e5f","eventTime":"2026-03-14T17:00:00Z","kioskId":"kiosk-x","questionCode":"welcome","scale":5,"level":4} | kioskId | unknown kiosk
            """)
    void eachBadInputIsAnsweredWithAProblemNamingTheFieldAndTheReason(String name, String path, String body,
                                                                       String field, String reason) throws Exception {
        HttpResponse<String> response = fixture.send("POST", path, "application/json", body);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(422);
        assertThat(problem.path("errors")).anySatisfy(error -> {
            assertThat(error.path("field").asText()).isEqualTo(field);
            assertThat(error.path("reason").asText()).contains(reason);
        });
    }

    @Test
    void aCityIsRegisteredWithWhetherItTakesPartInTheNetworkComparisonAndABadFlagIsNamed() throws Exception {
        HttpResponse<String> stored = fixture.send("PUT", "/v1/cities/Riverton", "application/json",
                "{\"name\":\"Riverton\",\"inNetwork\":true}");
        HttpResponse<String> refused = fixture.send("PUT", "/v1/cities/Lakeside", "application/json", "{\"inNetwork\":\"yes\"}");

        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(fixture.send("GET", "/v1/cities", "application/json", "").body()))
                .anySatisfy(city -> {
                    assertThat(city.path("id").asText()).isEqualTo("Riverton");
                    assertThat(city.path("inNetwork").asBoolean()).isTrue();
                });
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(refused.body()).path("errors")).anySatisfy(error -> {
            assertThat(error.path("field").asText()).isEqualTo("inNetwork");
            assertThat(error.path("reason").asText()).contains("not true or false");
        });
    }

    @Test
    void aBulkRequestStoresExactlyTheGoodRecordsAndSaysWhich() throws Exception {
        List<String> good = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString());
        String ndjson = String.join("\n",
                checkIn(good.get(0), "2026-03-14T17:00:00Z", ""),
                checkIn("not-a-uuid", "2026-03-14T17:00:00Z", ""),
                checkIn(good.get(1), "2026-03-14T17:01:00Z", ",\"groupCode\":\"B\""),
                "{ this is not json",
                checkIn(good.get(2), "2026-03-14T17:02:00Z", ",\"headcount\":3"));

        HttpResponse<String> response = fixture.send("POST", "/v1/check-ins", "application/x-ndjson", ndjson);

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("stored")).extracting(JsonNode::asText).containsExactlyElementsOf(good);
        assertThat(problem.path("rejected")).extracting(r -> r.path("index").asInt()).containsExactly(1, 3);
        assertThat(fixture.checkInsOnTheTopic().stream().map(c -> c.getEventId().toString()))
                .containsAll(good).doesNotContain("not-a-uuid");
    }

    @Test
    void whileKafkaIsUnreachableTheAnswerIs503WithRetryAfterNever2xx() throws Exception {
        // Nothing listens on port 1: Kafka is unreachable for this ingest server.
        var settings = new IngestSettings(KafkaEndpoints.of("localhost:1", fixture.registry.url()),
                new IngestSettings.Listener("localhost", 0), IngestFixture.ADMIN,
                new IngestSettings.Acceptance(100, SignalAge.DEFAULT, Duration.ofSeconds(2)), new IngestSettings.RateLimit(60, 10));
        try (var deadPublisher = new SignalPublisher("localhost:1", fixture.serdes, Duration.ofSeconds(2));
             var server = new IngestServer(settings, fixture.catalog, deadPublisher,
                     Clock.fixed(IngestFixture.NOW, ZoneOffset.UTC)).start()) {
            var http = java.net.http.HttpClient.newHttpClient();
            HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://localhost:" + server.port() + "/v1/check-ins"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + IngestFixture.ADMIN)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(checkIn(UUID.randomUUID().toString(),
                            "2026-03-14T17:00:00Z", ""))).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            assertThat(JSON.readTree(response.body()).path("stored")).isEmpty();
        }
    }

    @Test
    void theServiceServesItsOpenApiDocument() throws Exception {
        HttpResponse<String> response = fixture.send("GET", "/openapi.yaml", "text/plain", "");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("openapi: 3.1.0", "/v1/check-ins", "/v1/sentiment-taps", "application/problem+json");
    }

    @Test
    void aSignalIsStampedWithItsEventTimeAndCarriesWhenTheApiAcceptedIt() throws Exception {
        UUID id = UUID.randomUUID();
        java.time.Instant before = java.time.Instant.now();
        HttpResponse<String> stored = fixture.send("POST", "/v1/check-ins", "application/json", "{\"eventId\":\"" + id
                + "\",\"eventTime\":\"2026-03-13T17:00:00Z\",\"activityId\":\"cafe-north\"}"); // a day late

        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(202);
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(java.util.Map.<String, Object>of(
                "bootstrap.servers", fixture.kafka.bootstrapServers(), "auto.offset.reset", "earliest"),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                fixture.serdes.of(org.cohesionbarometer.schemas.signal.CheckIn.class).deserializer())) {
            var partitions = consumer.partitionsFor(org.cohesionbarometer.schemas.Topics.CHECK_INS).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            java.util.List<org.apache.kafka.clients.consumer.ConsumerRecord<String, org.cohesionbarometer.schemas.signal.CheckIn>> found =
                    new java.util.ArrayList<>();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.value().getEventId().equals(id)) {
                        found.add(r);
                    }
                });
            }
            assertThat(found).singleElement().satisfies(r -> {
                assertThat(r.timestamp()).as("the record's time: the event's").isEqualTo(java.time.Instant.parse("2026-03-13T17:00:00Z").toEpochMilli());
                assertThat(org.cohesionbarometer.schemas.AcceptedAt.of(r.headers())).as("when the API accepted it")
                        .hasValueSatisfying(at -> assertThat(at).isBetween(before.minusSeconds(1), java.time.Instant.now()));
            });
        }
    }
}
