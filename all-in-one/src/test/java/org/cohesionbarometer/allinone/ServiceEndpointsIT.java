package org.cohesionbarometer.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.cohesionbarometer.clients.simulator.CitySimulator;
import org.cohesionbarometer.clients.simulator.DemoCity;
import org.cohesionbarometer.operations.PrometheusText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded run's operations port as Prometheus and an orchestrator use it: readiness turns true
 * once Kafka, the database and a RUNNING streams stage are there, and /metrics, read strictly as
 * Prometheus text, counts what happened: signals accepted, requests refused by reason, rows the sink
 * wrote, its batch latency and freshness, and the Kafka clients' and Kafka Streams' own metrics.
 */
class ServiceEndpointsIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theEmbeddedRunIsReadyAndItsMetricsCountAcceptedRefusedAndWrittenSignals(@TempDir Path data) throws Exception {
        try (EmbeddedBarometer barometer = EmbeddedBarometer.start(EmbeddedSettings.forTests(data))) {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> get(barometer.operationsUrl() + "/health/ready").statusCode() == 200);
            assertThat(get(barometer.operationsUrl() + "/health/live").statusCode()).isEqualTo(200);
            new CitySimulator(barometer.ingestUrl(), barometer.adminToken(), DemoCity.riverton(Instant.now()), 0,
                    Clock.systemUTC(), 1).seed();

            assertThat(post(barometer, "{\"eventId\":\"" + UUID.randomUUID() + "\",\"eventTime\":\"" + Instant.now()
                    + "\",\"activityId\":\"old-town-language-cafe\",\"groupCode\":\"A\"}").statusCode()).isBetween(200, 299);
            assertThat(post(barometer, "{\"eventId\":\"" + UUID.randomUUID() + "\",\"activityId\":\"old-town-language-cafe\"}")
                    .statusCode()).isEqualTo(422);

            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> metrics(barometer).sum("barometer_sink_rows_written_total", Map.of()) > 0);
            PrometheusText metrics = metrics(barometer);

            assertThat(metrics.sum("barometer_ingest_accepted_total",
                    Map.of("topic", "barometer.signals.check-ins", "process", "run"))).isEqualTo(1.0);
            assertThat(metrics.sum("barometer_ingest_refused_total", Map.of("reason", "invalid-record"))).isEqualTo(1.0);
            assertThat(metrics.sum("barometer_sink_batch_seconds_count", Map.of())).isPositive();
            assertThat(metrics.sum("barometer_sink_freshness_seconds", Map.of())).isBetween(0.0, 3600.0 + 600);
            assertThat(metrics.hasSeriesStartingWith("kafka_producer_")).as("the ingest producer's binder").isTrue();
            assertThat(metrics.hasSeriesStartingWith("kafka_consumer_")).as("the sink consumers' binder").isTrue();
            assertThat(metrics.hasSeriesStartingWith("kafka_stream_")).as("the Kafka Streams binder").isTrue();
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(EmbeddedBarometer barometer, String checkIn) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(barometer.ingestUrl() + "/v1/check-ins"))
                .header("Authorization", "Bearer " + barometer.adminToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(checkIn)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private PrometheusText metrics(EmbeddedBarometer barometer) throws Exception {
        HttpResponse<String> response = get(barometer.operationsUrl() + "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusText.parse(response.body());
    }
}
