package org.cohesionbarometer.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.cohesionbarometer.schemas.KafkaEndpoints;
import org.cohesionbarometer.schemas.SignalAge;
import org.cohesionbarometer.schemas.Topics;
import org.cohesionbarometer.schemas.signal.CheckIn;
import org.cohesionbarometer.infra.InJvmKafka;
import org.cohesionbarometer.infra.registry.RegisteredSchemas;
import org.cohesionbarometer.infra.registry.SchemaRegistryServer;
import org.cohesionbarometer.schemas.wire.RegistrySerdes;

/** A real broker, registry and ingest server for the ingest ITs, with a city of one activity and one kiosk. */
final class IngestFixture implements AutoCloseable {
    static final Instant NOW = Instant.parse("2026-03-14T18:00:00Z");
    static final String ADMIN = "admin-secret";

    final InJvmKafka kafka;
    final SchemaRegistryServer registry;
    final RegistrySerdes serdes;
    final ReferenceCatalog catalog;
    final SignalPublisher publisher;
    final IngestServer server;
    final IngestSettings settings;
    private final HttpClient http = HttpClient.newHttpClient();

    /** A fixture whose organiser tokens are not rate limited in practice. */
    IngestFixture() throws Exception {
        this(600_000, 10_000);
    }

    /** A fixture whose organiser tokens may send {@code burst} requests at once, refilled at {@code perMinute}. */
    IngestFixture(int perMinute, int burst) throws Exception {
        this(perMinute, burst, 1_000_000);
    }

    /** ... and from whose address {@code failedAuthenticationsPerMinute} wrong tokens a minute are taken before 429. */
    IngestFixture(int perMinute, int burst, int failedAuthenticationsPerMinute) throws Exception {
        kafka = InJvmKafka.startTemporary();
        kafka.createBarometerTopics(2);
        registry = new SchemaRegistryServer(new RegisteredSchemas()).start("localhost", 0);
        serdes = new RegistrySerdes(registry.url(), true);
        settings = new IngestSettings(KafkaEndpoints.of(kafka.bootstrapServers(), registry.url()),
                new IngestSettings.Listener("localhost", 0), ADMIN,
                new IngestSettings.Acceptance(100, SignalAge.DEFAULT, Duration.ofSeconds(5)), new IngestSettings.RateLimit(perMinute, burst, failedAuthenticationsPerMinute));
        catalog = new ReferenceCatalog(kafka.bootstrapServers(), serdes).start(Duration.ofSeconds(30));
        publisher = new SignalPublisher(kafka.bootstrapServers(), serdes, settings.kafkaTimeout());
        server = new IngestServer(settings, catalog, publisher, Clock.fixed(NOW, ZoneOffset.UTC)).start();
        for (String group : new String[] {"A", "B", "C"}) {
            put("/v1/groups/" + group, "{\"label\":\"group " + group + "\"}");
        }
        put("/v1/neighbourhoods/north", "{\"name\":\"North\",\"city\":\"Riverton\"}");
        put("/v1/activities/cafe-north", "{\"title\":\"Language café\",\"type\":\"LANGUAGE_CAFE\",\"neighbourhoodId\":\"north\","
                + "\"organiserId\":\"org-1\",\"startsAt\":\"2026-01-05T18:00:00Z\"}");
        put("/v1/kiosks/kiosk-north", "{\"neighbourhoodId\":\"north\",\"organiserId\":\"org-1\"}");
    }

    String url() {
        return "http://localhost:" + server.port();
    }

    /** Sends as the city's admin, who may write every signal and manage reference data. */
    HttpResponse<String> send(String method, String path, String contentType, String body) throws Exception {
        return sendAs(ADMIN, method, path, contentType, body);
    }

    /** Sends with the given bearer token, or with no Authorization header when it is null. */
    HttpResponse<String> sendAs(String token, String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path))
                .header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Issues an API token for the organiser through the admin API and returns it (shown once). */
    String issueToken(String organiserId) throws Exception {
        HttpResponse<String> response = send("POST", "/v1/organisers/" + organiserId + "/tokens", "application/json",
                "{\"label\":\"test\"}");
        if (response.statusCode() != 201) {
            throw new IllegalStateException("token for " + organiserId + " -> " + response.statusCode() + " " + response.body());
        }
        return new ObjectMapper().readTree(response.body()).path("token").asText();
    }

    private void put(String path, String body) throws Exception {
        HttpResponse<String> response = send("PUT", path, "application/json", body);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " -> " + response.statusCode() + " " + response.body());
        }
    }

    /**
     * Every check-in on the topic now: everything a 2xx answer promised is acknowledged, so it is
     * there up to the end offsets of this moment.
     */
    List<CheckIn> checkInsOnTheTopic() {
        return checkInsOn(kafka.bootstrapServers(), serdes);
    }

    /** Every check-in on the topic of the broker at {@code bootstrap}, up to its end offsets of this moment. */
    static List<CheckIn> checkInsOn(String bootstrap, RegistrySerdes serdes) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
                "auto.offset.reset", "earliest"), new StringDeserializer(), serdes.of(CheckIn.class).deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CHECK_INS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<CheckIn> checkIns = new ArrayList<>();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> checkIns.add(r.value()));
            }
            return checkIns;
        }
    }

    @Override
    public void close() {
        server.close();
        publisher.close();
        catalog.close();
        registry.close();
        kafka.close();
    }
}
