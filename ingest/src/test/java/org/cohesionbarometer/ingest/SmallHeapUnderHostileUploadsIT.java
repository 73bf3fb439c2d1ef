package org.cohesionbarometer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.cohesionbarometer.infra.InJvmKafka;
import org.cohesionbarometer.infra.registry.RegisteredSchemas;
import org.cohesionbarometer.infra.registry.SchemaRegistryServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest service in a JVM of its own with a 512 MB heap, as a small container runs it, while
 * eight clients upload what an attacker would: endless chunked bodies, JSON nested thousands deep,
 * numbers of thousands of digits, records of a million unknown fields, arrays of millions of empty
 * records, oversized headers. Meanwhile an organiser's ordinary check-ins are all stored (202), and
 * the service logs no OutOfMemoryError and stays up.
 */
class SmallHeapUnderHostileUploadsIT {
    private static final String ADMIN = "admin-secret-for-the-small-heap";
    private static final Duration HOSTILE_PHASE = Duration.ofSeconds(15);

    @Test
    void aServiceWith512MbOfHeapKeepsStoringOrdinaryCheckInsWhileEightClientsUploadHostileBodies(@TempDir Path dir)
            throws Exception {
        try (InJvmKafka kafka = InJvmKafka.startTemporary();
             SchemaRegistryServer registry = new SchemaRegistryServer(new RegisteredSchemas()).start("localhost", 0)) {
            kafka.createBarometerTopics(2);
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            Path log = dir.resolve("ingest.log");
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-cp", System.getProperty("java.class.path"), IngestApp.class.getName())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(Map.of("BAROMETER_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                    "BAROMETER_SCHEMA_REGISTRY_URL", registry.url(), "BAROMETER_INGEST_HOST", "127.0.0.1",
                    "BAROMETER_INGEST_PORT", String.valueOf(port), "BAROMETER_ADMIN_TOKEN", ADMIN,
                    "BAROMETER_INGEST_RATE_LIMIT_PER_MINUTE", "1000000", "BAROMETER_INGEST_RATE_LIMIT_BURST", "100000",
                    "BAROMETER_METRICS_PORT", "0"));
            Process ingest = builder.start();
            try {
                Api api = new Api("http://127.0.0.1:" + port);
                api.awaitHealthy(ingest, log);
                api.admin("PUT", "/v1/groups/A", "{\"label\":\"A\"}");
                api.admin("PUT", "/v1/neighbourhoods/north", "{\"name\":\"North\",\"city\":\"Riverton\"}");
                api.admin("PUT", "/v1/activities/cafe-north", "{\"title\":\"Language café\",\"type\":\"LANGUAGE_CAFE\","
                        + "\"neighbourhoodId\":\"north\",\"organiserId\":\"org-1\",\"startsAt\":\"2026-01-05T18:00:00Z\"}");
                String organiser = new ObjectMapper().readTree(api.admin("POST", "/v1/organisers/org-1/tokens", "{}"))
                        .path("token").asText();

                Map<String, AtomicInteger> hostile = new ConcurrentHashMap<>();
                AtomicBoolean stop = new AtomicBoolean();
                ExecutorService attackers = Executors.newFixedThreadPool(8);
                List<Future<?>> running = new ArrayList<>();
                for (int a = 0; a < 8; a++) {
                    int first = a;
                    running.add(attackers.submit(() -> {
                        for (int n = first; !stop.get(); n++) {
                            String outcome;
                            try {
                                outcome = upload(port, organiser, n % 7);
                            } catch (java.io.IOException e) {
                                outcome = e.getClass().getSimpleName() + " " + KINDS.get(n % 7);
                            }
                            hostile.computeIfAbsent(outcome, s -> new AtomicInteger()).incrementAndGet();
                        }
                        return null;
                    }));
                }
                List<Integer> ordinary = Collections.synchronizedList(new ArrayList<>());
                Instant end = Instant.now().plus(HOSTILE_PHASE);
                while (Instant.now().isBefore(end)) {
                    ordinary.add(api.checkIn(organiser));
                    Thread.sleep(200);
                }
                stop.set(true);
                for (Future<?> attacker : running) {
                    attacker.get(60, TimeUnit.SECONDS);
                }
                attackers.shutdown();
                String report = "hostile answers " + new TreeMap<>(hostile) + "; ordinary check-ins " + ordinary + "; the service's log: "
                        + tail(log);
                System.out.println("SmallHeapUnderHostileUploadsIT: " + report);

                assertThat(ordinary).as("every ordinary check-in during the attack: " + report).isNotEmpty().containsOnly(202);
                assertThat(hostile.keySet()).as("hostile uploads refused, never a 5xx or a dropped connection: " + report)
                        .allMatch(status -> status.startsWith("4"));
                assertThat(ingest.isAlive()).as("the service is up: " + report).isTrue();
                assertThat(api.checkIn(organiser)).isEqualTo(202);
                assertThat(Files.readString(log)).as("the service's log").doesNotContain("OutOfMemoryError");
            } finally {
                ingest.destroy();
                if (!ingest.waitFor(20, TimeUnit.SECONDS)) {
                    ingest.destroyForcibly();
                }
            }
        }
    }

    /** The hostile bodies, made once: name, content type and bytes (the endless body is streamed, the headers sent apart). */
    private record Payload(String name, String contentType, byte[] body) {
        static Payload of(String name, String contentType, String body) {
            return new Payload(name, contentType, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static final List<Payload> PAYLOADS = payloads();

    private static List<Payload> payloads() {
        StringBuilder fields = new StringBuilder(15_000_000).append('{');
        for (int f = 0; f < 1_200_000; f++) {
            fields.append(f == 0 ? "" : ",").append("\"f").append(f).append("\":1");
        }
        return List.of(
                Payload.of("deep JSON", "application/json", "[".repeat(100_000)),
                Payload.of("huge numbers", "application/json", "[" + ("{\"headcount\":" + "9".repeat(5000) + "},").repeat(2000) + "{}]"),
                Payload.of("a million unknown fields", "application/json", fields.append('}').toString()),
                Payload.of("millions of empty records", "application/json", "[" + "{},".repeat(5_000_000) + "{}]"),
                Payload.of("16 MB of NDJSON lines", "application/x-ndjson", "{\"a\":[1,2,3,4,5,6,7,8,9,0]}\n".repeat(580_000)));
    }

    private static final List<String> KINDS = List.of("deep JSON", "huge numbers", "a million unknown fields",
            "millions of empty records", "16 MB of NDJSON lines", "endless chunked body", "oversized headers");

    private static String tail(Path log) throws java.io.IOException {
        String text = Files.readString(log);
        return text.length() > 3000 ? "..." + text.substring(text.length() - 3000) : text;
    }

    private static final byte[] CHUNK = " ".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);

    /** One hostile upload of kind {@code kind}; returns its status and kind, e.g. "413 endless chunked body". */
    private static String upload(int port, String token, int kind) throws Exception {
        String auth = "Authorization: Bearer " + token + "\r\n";
        String post = "POST /v1/check-ins HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + auth;
        if (kind == 5) {
            return RawHttp.exchange(port, post + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                    Collections.nCopies(512, CHUNK), true, 30_000).status() + " " + KINDS.get(kind); // 32 MB
        }
        if (kind == 6) {
            return RawHttp.exchange(port, "GET /v1/groups HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + auth
                    + "X-Padding: " + "p".repeat(200_000) + "\r\n\r\n", List.of(), false, 30_000).status() + " " + KINDS.get(kind);
        }
        Payload payload = PAYLOADS.get(kind);
        return RawHttp.exchange(port, post + "Content-Type: " + payload.contentType() + "\r\nContent-Length: "
                + payload.body().length + "\r\n\r\n", List.of(payload.body()), false, 30_000).status() + " " + payload.name();
    }

    /** The service's API, as an ordinary client uses it. */
    private record Api(String url, HttpClient http) {
        Api(String url) {
            this(url, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
        }

        void awaitHealthy(Process ingest, Path log) throws Exception {
            for (int attempt = 0; attempt < 300; attempt++) {
                if (!ingest.isAlive()) {
                    throw new AssertionError("the ingest service exited: " + Files.readString(log));
                }
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create(url + "/health")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                        return;
                    }
                } catch (java.io.IOException notYet) {
                    // still starting
                }
                Thread.sleep(200);
            }
            throw new AssertionError("the ingest service did not answer /health: " + Files.readString(log));
        }

        String admin(String method, String path, String body) throws Exception {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + path))
                    .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path + ": " + response.body()).isBetween(200, 201);
            return response.body();
        }

        int checkIn(String token) throws Exception {
            String body = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"eventTime\":\"" + Instant.now().minus(1, ChronoUnit.HOURS)
                    + "\",\"activityId\":\"cafe-north\",\"groupCode\":\"A\"}";
            return http.send(HttpRequest.newBuilder(URI.create(url + "/v1/check-ins")).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        }
    }
}
