package org.cohesionbarometer.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.tools.ProducerPerformance;
import org.cohesionbarometer.schemas.KafkaEndpoints;
import org.cohesionbarometer.schemas.SignalAge;
import org.cohesionbarometer.infra.InJvmKafka;
import org.cohesionbarometer.ingest.IngestSettings;
import org.cohesionbarometer.ingest.IngestServer;
import org.cohesionbarometer.ingest.ReferenceCatalog;
import org.cohesionbarometer.ingest.SignalPublisher;
import org.cohesionbarometer.schemas.Topics;
import org.cohesionbarometer.infra.registry.RegisteredSchemas;
import org.cohesionbarometer.schemas.signal.CheckIn;
import org.cohesionbarometer.schemas.signal.SignalSource;
import org.cohesionbarometer.infra.registry.SchemaRegistryServer;
import org.cohesionbarometer.schemas.wire.RegistrySerdes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Bulk check-ins through the HTTP API (NDJSON, validated, Avro, acks=all, answered after the
 * broker's acknowledgement) as a ratio to Kafka's own producer performance tool sending records
 * of the same size with acks=all to the same in-JVM broker, in the same run.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Bulk-API throughput vs kafka-producer-perf-test against the same broker.")
final class IngestBenchmark implements Callable<Integer> {

    @Option(names = "--records", description = "check-ins per measurement (default ${DEFAULT-VALUE})")
    int records = 200_000;

    @Option(names = "--batch", description = "check-ins per HTTP request (default ${DEFAULT-VALUE})")
    int batch = 1000;

    @Option(names = "--clients", description = "concurrent HTTP clients (default ${DEFAULT-VALUE})")
    int clients = 4;

    private String organiserToken;

    @Override
    public Integer call() throws Exception {
        try (InJvmKafka kafka = InJvmKafka.startTemporary();
             SchemaRegistryServer registry = new SchemaRegistryServer(new RegisteredSchemas()).start("localhost", 0)) {
            kafka.createBarometerTopics(2);
            try (var admin = kafka.admin()) {
                admin.createTopics(List.of(new NewTopic("bench.producer-perf", 2, (short) 1))).all().get();
            }
            RegistrySerdes serdes = new RegistrySerdes(registry.url(), true);
            IngestSettings settings = new IngestSettings(KafkaEndpoints.of(kafka.bootstrapServers(), registry.url()),
                    new IngestSettings.Listener("localhost", 0), "bench-admin",
                    new IngestSettings.Acceptance(5000, SignalAge.DEFAULT, Duration.ofSeconds(30)),
                    new IngestSettings.RateLimit(1_000_000, 10_000)); // the organiser's rate limit is not what is measured
            try (ReferenceCatalog catalog = new ReferenceCatalog(kafka.bootstrapServers(), serdes).start(Duration.ofSeconds(30));
                 SignalPublisher publisher = new SignalPublisher(kafka.bootstrapServers(), serdes, settings.kafkaTimeout());
                 IngestServer server = new IngestServer(settings, catalog, publisher, Clock.systemUTC()).start()) {
                String base = "http://localhost:" + server.port();
                HttpClient http = HttpClient.newHttpClient();
                put(http, base + "/v1/neighbourhoods/north", "{\"name\":\"North\",\"city\":\"Bench\"}");
                put(http, base + "/v1/activities/cafe", "{\"title\":\"Cafe\",\"neighbourhoodId\":\"north\","
                        + "\"organiserId\":\"org\",\"startsAt\":\"2026-01-01T00:00:00Z\"}");
                // Measured as an organiser: the token check, scope check and rate limit are on the path.
                organiserToken = issueToken(http, base + "/v1/organisers/org/tokens");

                System.out.printf("ingest benchmark: %,d check-ins in NDJSON requests of %,d from %d clients, acks=all%n",
                        records, batch, clients);
                postAll(http, base, records / 10); // warm-up
                long start = System.nanoTime();
                long stored = postAll(http, base, records);
                double apiRate = stored / ((System.nanoTime() - start) / 1e9);

                // The baseline sends records of exactly the size of one of the check-ins on the wire.
                int recordSize = serdes.of(CheckIn.class).serializer().serialize(Topics.CHECK_INS, CheckIn.newBuilder()
                        .setEventId(UUID.randomUUID()).setEventTime(Instant.now()).setActivityId("cafe")
                        .setParticipantToken("%064x".formatted(1)).setGroupCode("A").setSource(SignalSource.APP).build()).length;
                double perfRate = producerPerf(kafka.bootstrapServers(), records, recordSize);
                System.out.printf("  bulk API: %,.0f check-ins/s; kafka-producer-perf-test (%d-byte records): %,.0f records/s%n",
                        apiRate, recordSize, perfRate);
                System.out.printf("RESULT ingest: bulk-API throughput ratio (API / producer perf tool) = %.2f  [target >= 0.3]%n",
                        apiRate / perfRate);
            }
            return 0;
        }
    }

    private long postAll(HttpClient http, String base, int count) throws Exception {
        AtomicLong stored = new AtomicLong();
        int requests = Math.max(1, count / batch);
        AtomicLong next = new AtomicLong();
        Instant now = Instant.now().minusSeconds(60);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    while (next.getAndIncrement() < requests) {
                        StringBuilder body = new StringBuilder(batch * 200);
                        for (int i = 0; i < batch; i++) {
                            body.append("{\"eventId\":\"").append(UUID.randomUUID()).append("\",\"eventTime\":\"")
                                    .append(now).append("\",\"activityId\":\"cafe\",\"participantToken\":\"")
                                    .append(String.format("%064x", i)).append("\",\"groupCode\":\"A\"}\n");
                        }
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/check-ins"))
                                .header("Content-Type", "application/x-ndjson")
                                .header("Authorization", "Bearer " + organiserToken)
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException("bulk request answered " + response.statusCode() + ": " + response.body());
                        }
                        stored.addAndGet(batch);
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return stored.get();
    }

    /** Runs Kafka's ProducerPerformance in this JVM and reads its summary line. */
    private static double producerPerf(String bootstrap, int records, int recordSize) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ProducerPerformance.main(new String[] {"--topic", "bench.producer-perf", "--num-records", String.valueOf(records),
                    "--record-size", String.valueOf(recordSize), "--throughput", "-1",
                    "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all", "enable.idempotence=true"});
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        Matcher summary = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec").matcher(output);
        double rate = -1;
        while (summary.find()) {
            rate = Double.parseDouble(summary.group(2)); // the last line is the whole run's summary
        }
        if (rate < 0) {
            throw new IllegalStateException("no summary from ProducerPerformance:\n" + output);
        }
        return rate;
    }

    private static String issueToken(HttpClient http, String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer bench-admin").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"label\":\"benchmark\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return new ObjectMapper().readTree(response.body()).path("token").asText();
    }

    private static void put(HttpClient http, String url, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer bench-admin").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
    }
}
