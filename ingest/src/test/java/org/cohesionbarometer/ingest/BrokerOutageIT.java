package org.cohesionbarometer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.cohesionbarometer.schemas.KafkaEndpoints;
import org.cohesionbarometer.schemas.SignalAge;
import org.cohesionbarometer.infra.FreePort;
import org.cohesionbarometer.infra.InJvmKafka;
import org.cohesionbarometer.infra.registry.RegisteredSchemas;
import org.cohesionbarometer.infra.registry.SchemaRegistryServer;
import org.cohesionbarometer.schemas.wire.RegistrySerdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away and comes back on the same address with the same logs, as a production
 * broker restarts. While it is away the API answers 503 with Retry-After and stores nothing; a
 * client that retries as told is answered 2xx once it is back, and every check-in is on the topic
 * exactly once.
 */
class BrokerOutageIT {
    private static final String ADMIN = "admin-secret";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void whileTheBrokerIsDownTheAnswerIs503AndAfterItReturnsRetriesAreStoredWithNothingLost(@TempDir Path logs)
            throws Exception {
        int port = FreePort.pick();
        InJvmKafka kafka = InJvmKafka.start(logs, port);
        kafka.createBarometerTopics(2);
        try (SchemaRegistryServer registry = new SchemaRegistryServer(new RegisteredSchemas()).start("localhost", 0)) {
            var settings = new IngestSettings(KafkaEndpoints.of(kafka.bootstrapServers(), registry.url()),
                    new IngestSettings.Listener("localhost", 0), ADMIN,
                    new IngestSettings.Acceptance(100, SignalAge.DEFAULT, Duration.ofSeconds(3)), new IngestSettings.RateLimit(6000, 100));
            RegistrySerdes serdes = new RegistrySerdes(registry.url(), true);
            try (ReferenceCatalog catalog = new ReferenceCatalog(kafka.bootstrapServers(), serdes).start(Duration.ofSeconds(30));
                 SignalPublisher publisher = new SignalPublisher(kafka.bootstrapServers(), serdes, settings.kafkaTimeout());
                 IngestServer server = new IngestServer(settings, catalog, publisher,
                         Clock.fixed(IngestFixture.NOW, ZoneOffset.UTC)).start()) {
                String api = "http://localhost:" + server.port();
                assertThat(post(api, "PUT", "/v1/neighbourhoods/north", "{\"name\":\"North\",\"city\":\"Riverton\"}").statusCode())
                        .isEqualTo(200);
                assertThat(post(api, "PUT", "/v1/activities/cafe-north", "{\"title\":\"Language café\",\"neighbourhoodId\":"
                        + "\"north\",\"organiserId\":\"org-1\",\"startsAt\":\"2026-01-05T18:00:00Z\"}").statusCode()).isEqualTo(200);
                String before = checkIn();
                assertThat(post(api, "POST", "/v1/check-ins", before).statusCode()).isEqualTo(202);

                kafka.close();
                List<String> during = List.of(checkIn(), checkIn(), checkIn());
                String bulk = "[" + String.join(",", during) + "]";
                HttpResponse<String> refused = post(api, "POST", "/v1/check-ins", bulk);
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
                assertThat(new ObjectMapper().readTree(refused.body()).path("stored")).isEmpty();

                kafka = InJvmKafka.start(logs, port);
                HttpResponse<String> retried = Failsafe.with(RetryPolicy.<HttpResponse<String>>builder()
                                .handleResultIf(r -> r.statusCode() == 503)
                                .withDelay(Duration.ofMillis(500)).withMaxDuration(Duration.ofSeconds(90)).withMaxRetries(-1)
                                .build())
                        .get(() -> post(api, "POST", "/v1/check-ins", bulk));
                assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);

                Map<String, Long> onTheTopic = IngestFixture.checkInsOn(kafka.bootstrapServers(), serdes).stream()
                        .collect(Collectors.groupingBy(c -> c.getEventId().toString(), Collectors.counting()));
                List<String> sent = new ArrayList<>(List.of(before));
                sent.addAll(during);
                Map<String, Long> expected = sent.stream().map(BrokerOutageIT::eventId)
                        .collect(Collectors.toMap(Function.identity(), id -> 1L));
                assertThat(onTheTopic).as("each check-in exactly once").isEqualTo(expected);
            }
        } finally {
            kafka.close();
        }
    }

    private HttpResponse<String> post(String api, String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api + path))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String checkIn() {
        return "{\"eventId\":\"" + UUID.randomUUID() + "\",\"eventTime\":\"2026-03-14T17:00:00Z\","
                + "\"activityId\":\"cafe-north\"}";
    }

    private static String eventId(String checkIn) {
        return checkIn.substring(12, 48);
    }
}
