package org.cohesionbarometer.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Metrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.cohesionbarometer.infra.FreePort;
import org.junit.jupiter.api.Test;

/** What an operator's probes and Prometheus see on a service's operations port. */
class OperationsServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(OperationsServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readinessIsFalseNamingWhatIsAwayWhileLivenessStaysTrue() throws Exception {
        int nothing = FreePort.pick(1)[0];
        try (BrokerReachable broker = new BrokerReachable("localhost:" + nothing);
             OperationsServer server = OperationsServer.start("test", 0, new Readiness().with("kafka", broker)
                     .with("database", new DatabaseReachable("jdbc:postgresql://localhost:" + nothing + "/barometer", "u", "p"))
                     .with("streams", () -> Optional.of("the application is REBALANCING, not RUNNING")))) {
            HttpResponse<String> ready = get(server, "/health/ready");

            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"status\":\"DOWN\"")
                    .contains("kafka: Kafka at localhost:" + nothing + " does not answer")
                    .contains("database: the database at jdbc:postgresql://localhost:" + nothing + "/barometer does not answer")
                    .contains("streams: the application is REBALANCING, not RUNNING");
            assertThat(get(server, "/health/live").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void readinessIsTrueWhenEveryCheckPasses() throws Exception {
        try (OperationsServer server = OperationsServer.start("test", 0, new Readiness().with("fine", Optional::empty))) {
            HttpResponse<String> ready = get(server, "/health/ready");

            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("{\"status\":\"UP\"}");
        }
    }

    @Test
    void metricsAreValidPrometheusTextWithTheServicesOwnCountsAndTheJvms() throws Exception {
        try (OperationsServer server = OperationsServer.start("ingest", 0, new Readiness())) {
            Metrics.counter("barometer.test.refused", "reason", "invalid-record").increment(3);

            HttpResponse<String> metrics = get(server, "/metrics");

            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            PrometheusText text = PrometheusText.parse(metrics.body());
            assertThat(text.sum("barometer_test_refused_total", Map.of("reason", "invalid-record", "process", "ingest")))
                    .isEqualTo(3.0);
            assertThat(text.hasSeriesStartingWith("jvm_memory_used_bytes")).isTrue();
        }
    }

    @Test
    void onlyGetIsAnswered() throws Exception {
        try (OperationsServer server = OperationsServer.start("test", 0, new Readiness())) {
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/health/ready"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(post.statusCode()).isEqualTo(405);
        }
    }

    @Test
    void theStrictReaderRefusesWhatIsNotPrometheusText() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PrometheusText.parse("up 1\n"))
                .hasMessageContaining("no TYPE before it");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PrometheusText.parse("# TYPE up gauge\nup{a=b} 1\n"))
                .hasMessageContaining("line 2");
    }
}
