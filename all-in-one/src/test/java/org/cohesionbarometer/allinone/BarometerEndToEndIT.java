package org.cohesionbarometer.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.cohesionbarometer.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signals posted over HTTP, through Kafka, Kafka Streams and the sink, into PostgreSQL. */
class BarometerEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));

    @TempDir
    Path dataDir;

    private HttpResponse<String> send(EmbeddedBarometer barometer, String method, String path, String contentType, String body)
            throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(barometer.ingestUrl() + path))
                .header("Content-Type", contentType)
                .header("Authorization", "Bearer " + barometer.adminToken())
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void seedCity(EmbeddedBarometer barometer) throws Exception {
        put(barometer, "/v1/neighbourhoods/north", "{\"name\":\"North\",\"city\":\"Riverton\"}");
        put(barometer, "/v1/activities/cafe-north", "{\"title\":\"Language café\",\"type\":\"language café\","
                + "\"neighbourhoodId\":\"north\",\"organiserId\":\"org-1\",\"startsAt\":\"2026-01-05T18:00:00Z\"}");
        put(barometer, "/v1/kiosks/kiosk-north", "{\"neighbourhoodId\":\"north\",\"organiserId\":\"org-1\",\"location\":\"library\"}");
    }

    private void put(EmbeddedBarometer barometer, String path, String body) throws Exception {
        HttpResponse<String> response = send(barometer, "PUT", path, "application/json", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static String checkIn(UUID id, Instant at, String group) {
        return "{\"eventId\":\"" + id + "\",\"eventTime\":\"" + at + "\",\"activityId\":\"cafe-north\","
                + "\"participantToken\":\"" + id.toString().replace("-", "") + "\",\"groupCode\":\"" + group + "\"}";
    }

    private long query(EmbeddedBarometer barometer, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(barometer.jdbcUrl(), barometer.jdbcUser(), barometer.jdbcPassword());
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    private String checkInsOfTheHour() {
        return "SELECT coalesce(sum(check_ins), 0) FROM neighbourhood_hourly WHERE neighbourhood_id = 'north'"
                + " AND activity_id = '' AND window_start = '" + hour + "'";
    }

    @Test
    void signalsPostedOverHttpEndUpAsTheRightCountsInPostgres() throws Exception {
        try (EmbeddedBarometer barometer = EmbeddedBarometer.start(EmbeddedSettings.forTests(dataDir))) {
            seedCity(barometer);
            List<String> checkIns = new ArrayList<>();
            String[] groups = {"A", "A", "B", "C", "B", "A"};
            for (int i = 0; i < groups.length; i++) {
                checkIns.add(checkIn(UUID.randomUUID(), hour.plusSeconds(60L * i), groups[i]));
            }
            assertThat(send(barometer, "POST", "/v1/check-ins", "application/json", "[" + String.join(",", checkIns) + "]")
                    .statusCode()).isEqualTo(200);
            String contacts = "{\"eventId\":\"%s\",\"eventTime\":\"%s\",\"activityId\":\"cafe-north\",\"groupCodeA\":\"%s\",\"groupCodeB\":\"%s\"}";
            assertThat(send(barometer, "POST", "/v1/mixing-contacts", "application/x-ndjson", String.join("\n",
                    contacts.formatted(UUID.randomUUID(), hour.plusSeconds(100), "A", "B"),
                    contacts.formatted(UUID.randomUUID(), hour.plusSeconds(200), "A", "A"),
                    contacts.formatted(UUID.randomUUID(), hour.plusSeconds(300), "C", "A"))).statusCode()).isEqualTo(200);
            String tap = "{\"eventId\":\"%s\",\"eventTime\":\"%s\",\"kioskId\":\"kiosk-north\",\"questionCode\":\"welcome\",\"scale\":5,\"level\":%d}";
            assertThat(send(barometer, "POST", "/v1/sentiment-taps", "application/json",
                    tap.formatted(UUID.randomUUID(), hour.plusSeconds(400), 5)).statusCode()).isEqualTo(202);

            await().atMost(Duration.ofSeconds(90)).until(() -> query(barometer, checkInsOfTheHour()) == 6
                    && query(barometer, "SELECT coalesce(sum(sentiment_taps), 0) FROM neighbourhood_hourly WHERE activity_id = ''") == 1
                    && query(barometer, "SELECT coalesce(sum(contacts), 0) FROM neighbourhood_hourly WHERE activity_id = ''") == 3);

            String window = " WHERE neighbourhood_id = 'north' AND activity_id = '' AND window_start = '" + hour + "'";
            assertThat(query(barometer, "SELECT cross_group_contacts FROM neighbourhood_hourly" + window)).isEqualTo(2);
            assertThat(query(barometer, "SELECT headcount FROM neighbourhood_group_hourly" + window + " AND group_code = 'A'")).isEqualTo(3);
            assertThat(query(barometer, "SELECT headcount FROM neighbourhood_group_hourly" + window + " AND group_code = 'B'")).isEqualTo(2);
            assertThat(query(barometer, "SELECT contacts FROM neighbourhood_mixing_hourly" + window + " AND group_a = 'A' AND group_b = 'C'")).isEqualTo(1);
            assertThat(query(barometer, "SELECT taps FROM neighbourhood_sentiment_hourly" + window + " AND level = 5")).isEqualTo(1);
            assertThat(query(barometer, "SELECT unique_participants FROM neighbourhood_hourly" + window)).isEqualTo(6);
            assertThat(query(barometer, "SELECT count(*) FROM neighbourhood_hourly" + window
                    + " AND gini_simpson IS NULL AND 'diversity' = ANY (withheld)")).as("6 people < k = 10: withheld").isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> query(barometer, "SELECT check_ins FROM neighbourhood_hourly"
                    + " WHERE activity_id = 'cafe-north' AND window_start = '" + hour + "'") == 6);

            String day = hour.truncatedTo(ChronoUnit.DAYS).toString();
            await().atMost(Duration.ofSeconds(30)).until(() -> query(barometer,
                    "SELECT headcount FROM city_daily WHERE window_start = '" + day + "'") == 6);
            assertThat(query(barometer, "SELECT headcount FROM city_attendance_daily WHERE window_start = '" + day
                    + "' AND activity_id = 'cafe-north' AND group_code = 'A'")).isEqualTo(3);

            anIndicatorRecordDecodesWithAPlainAvroReaderAndARegistryLookUp(barometer);
        }
    }

    /** What any Confluent-compatible consumer does: strip the 5-byte header, fetch the writer schema by id over REST. */
    private void anIndicatorRecordDecodesWithAPlainAvroReaderAndARegistryLookUp(EmbeddedBarometer barometer) throws Exception {
        byte[] payload;
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", barometer.bootstrapServers(),
                "group.id", "plain-reader", "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.NEIGHBOURHOOD_INDICATORS));
            List<byte[]> values = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                return !values.isEmpty();
            });
            payload = values.get(values.size() - 1);
        }
        assertThat(payload[0]).isZero();
        int schemaId = ByteBuffer.wrap(payload, 1, 4).getInt();
        HttpResponse<String> schemaResponse = http.send(HttpRequest.newBuilder(
                URI.create(barometer.registryUrl() + "/schemas/ids/" + schemaId)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(schemaResponse.statusCode()).isEqualTo(200);
        Schema writer = new Schema.Parser().parse(JSON.readTree(schemaResponse.body()).get("schema").asText());
        GenericRecord record = new GenericDatumReader<GenericRecord>(writer).read(null,
                DecoderFactory.get().binaryDecoder(Arrays.copyOfRange(payload, 5, payload.length), null));
        assertThat(record.get("neighbourhoodId").toString()).isEqualTo("north");
        assertThat((Long) record.get("checkIns")).isPositive();
    }

    @Test
    void restartingResumesFromTheDataDirectoryWithoutDoubleCounting() throws Exception {
        List<UUID> ids = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        String firstUpload = "[" + String.join(",", ids.stream().map(id -> checkIn(id, hour.plusSeconds(30), "A")).toList()) + "]";
        try (EmbeddedBarometer barometer = EmbeddedBarometer.start(EmbeddedSettings.forTests(dataDir))) {
            seedCity(barometer);
            assertThat(send(barometer, "POST", "/v1/check-ins", "application/json", firstUpload).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(90)).until(() -> query(barometer, checkInsOfTheHour()) == 5);
        }

        try (EmbeddedBarometer barometer = EmbeddedBarometer.start(EmbeddedSettings.forTests(dataDir))) {
            assertThat(query(barometer, checkInsOfTheHour())).as("the database kept its rows").isEqualTo(5);
            // A client retries its whole upload after the restart, plus two new check-ins.
            HttpResponse<String> retried = send(barometer, "POST", "/v1/check-ins", "application/json", firstUpload);
            assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
            String more = "[" + checkIn(UUID.randomUUID(), hour.plusSeconds(90), "B") + ","
                    + checkIn(UUID.randomUUID(), hour.plusSeconds(95), "C") + "]";
            assertThat(send(barometer, "POST", "/v1/check-ins", "application/json", more).statusCode()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(90)).until(() -> query(barometer, checkInsOfTheHour()) == 7);
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(20))
                    .until(() -> query(barometer, checkInsOfTheHour()) == 7);
        }
    }

    @Test
    void aBadRecordGetsAProblemNamingTheFieldAndTheGoodOnesBesideItAreStored() throws Exception {
        try (EmbeddedBarometer barometer = EmbeddedBarometer.start(EmbeddedSettings.forTests(dataDir))) {
            seedCity(barometer);
            String good = checkIn(UUID.randomUUID(), hour.plusSeconds(10), "A");
            String unknownActivity = good.replace("cafe-north", "no-such-cafe").replaceFirst("[0-9a-f]{8}-", "00000000-");
            HttpResponse<String> response = send(barometer, "POST", "/v1/check-ins", "application/json",
                    "[" + good + "," + unknownActivity + ",{\"eventId\":\"nope\",\"name\":\"Jane Doe\"}]");

            assertThat(response.statusCode()).isEqualTo(422);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.get("stored")).hasSize(1);
            assertThat(problem.at("/rejected/0/index").asInt()).isEqualTo(1);
            assertThat(problem.at("/rejected/0/errors/0/field").asText()).isEqualTo("activityId");
            assertThat(problem.at("/rejected/0/errors/0/reason").asText()).startsWith("unknown activity");
            assertThat(problem.at("/rejected/1/errors").toString()).contains("\"field\":\"name\"", "\"field\":\"eventId\"",
                    "\"field\":\"eventTime\"", "\"field\":\"activityId\"");
            await().atMost(Duration.ofSeconds(90)).until(() -> query(barometer, checkInsOfTheHour()) == 1);
        }
    }
}
