package org.cohesionbarometer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an attacker (or a broken client) sends: bodies past the limit, chunked or not, JSON nested
 * or numbers long enough to exhaust a parser, integers past 64 bits, duplicate keys, a record of
 * countless fields, wrong media types, unknown routes, oversized headers. Every answer is a
 * bounded problem+json naming what is wrong, never a 500, never Jetty's HTML.
 */
class HostileRequestsIT {
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

    private record Answer(int status, String contentType, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private static Answer post(String path, String contentType, String body) throws Exception {
        HttpResponse<String> r = fixture.send("POST", path, contentType, body);
        return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    /** A raw HTTP/1.1 exchange: headers as given, then the body in 64 KB chunks until it is sent or the server answers. */
    private static Answer raw(String head, long chunkedBytes) throws Exception {
        URI url = URI.create(fixture.url());
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            try {
                for (long sent = 0; sent < chunkedBytes; sent += chunk.length) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                if (chunkedBytes > 0) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.flush();
            } catch (IOException closedByTheServer) {
                // the server answered and closed before the whole body was sent: read its answer
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    response.write(buffer, 0, n);
                    String text = response.toString(StandardCharsets.UTF_8);
                    int headerEnd = text.indexOf("\r\n\r\n");
                    if (headerEnd > 0 && text.toLowerCase().contains("transfer-encoding: chunked") && text.endsWith("0\r\n\r\n")) {
                        break;
                    }
                    if (headerEnd > 0 && text.toLowerCase().contains("content-length:")) {
                        int length = Integer.parseInt(text.toLowerCase().replaceAll("(?s).*content-length: *(\\d+).*", "$1"));
                        if (response.size() >= headerEnd + 4 + length) {
                            break;
                        }
                    }
                }
            } catch (IOException reset) {
                // what was read is the answer
            }
            String text = response.toString(StandardCharsets.UTF_8);
            int status = Integer.parseInt(text.substring(9, 12));
            String headers = text.substring(0, text.indexOf("\r\n\r\n")).toLowerCase();
            String contentType = headers.replaceAll("(?s).*content-type: *([^\r\n]*).*", "$1");
            String body = text.substring(text.indexOf("\r\n\r\n") + 4);
            if (headers.contains("transfer-encoding: chunked")) {
                StringBuilder decoded = new StringBuilder();
                for (int at = 0; ; ) {
                    int lineEnd = body.indexOf("\r\n", at);
                    int size = Integer.parseInt(body.substring(at, lineEnd).trim(), 16);
                    if (size == 0) {
                        break;
                    }
                    decoded.append(body, lineEnd + 2, lineEnd + 2 + size);
                    at = lineEnd + 2 + size + 2;
                }
                body = decoded.toString();
            }
            return new Answer(status, contentType, body);
        }
    }

    private static void isAProblem(Answer answer, int status) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).as("status " + status).startsWith("application/problem+json");
    }

    @Test
    void aChunkedBodyPastTheLimitIsRefusedWhileItIsRead() throws Exception {
        Answer answer = raw("POST /v1/check-ins HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + IngestFixture.ADMIN
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", 40L * 1024 * 1024);

        isAProblem(answer, 413);
        assertThat(answer.json().path("detail").asText()).contains("larger than 16 MB");
    }

    @Test
    void aBodyOfAnnouncedLengthPastTheLimitIsRefused() throws Exception {
        Answer answer = post("/v1/check-ins", "application/json", " ".repeat(24 * 1024 * 1024));

        isAProblem(answer, 413);
        assertThat(answer.json().path("detail").asText()).contains("larger than 16 MB");
    }

    @Test
    void deeplyNestedJsonIsABadRequestNotACrash() throws Exception {
        Answer answer = post("/v1/check-ins", "application/json", "[".repeat(2000));

        isAProblem(answer, 400);
        assertThat(answer.body().length()).isLessThan(2000);
    }

    @Test
    void aNumberOfThousandsOfDigitsIsABadRequestNotACrash() throws Exception {
        Answer answer = post("/v1/check-ins", "application/json", "{\"headcount\":" + "9".repeat(5000) + "}");

        isAProblem(answer, 400);
        assertThat(answer.body()).doesNotContain("9".repeat(100));
    }

    @Test
    void anIntegerPast64BitsIsRefusedNamingTheFieldNotWrappedIntoRange() throws Exception {
        Answer answer = post("/v1/check-ins", "application/json", "{\"eventId\":\"6f1c2b1e-1d2f-4a7e-9b3c-0a1b2c3d4e5f\","
                + "\"eventTime\":\"2026-03-14T17:00:00Z\",\"activityId\":\"cafe-north\",\"headcount\":18446744073709551621}");

        isAProblem(answer, 422);
        assertThat(answer.json().at("/errors/0/field").asText()).isEqualTo("headcount");
    }

    @Test
    void aKeyTwiceInARecordIsRefused() throws Exception {
        Answer answer = post("/v1/check-ins", "application/json", "{\"eventId\":\"6f1c2b1e-1d2f-4a7e-9b3c-0a1b2c3d4e5f\","
                + "\"activityId\":\"cafe-north\",\"activityId\":\"cafe-south\"}");

        isAProblem(answer, 400);
        assertThat(answer.json().path("detail").asText()).contains("Duplicate field 'activityId'");
    }

    @Test
    void aRecordOfCountlessFieldsGetsAShortAnswer() throws Exception {
        StringBuilder record = new StringBuilder("{");
        for (int i = 0; i < 100_000; i++) {
            record.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":1");
        }
        Answer answer = post("/v1/check-ins", "application/json", record.append('}').toString());

        isAProblem(answer, 422);
        assertThat(answer.body().length()).as("the answer's size").isLessThan(4096);
        assertThat(answer.body()).contains("too many fields");
    }

    @Test
    void manyUnknownFieldsAreListedUpToALimitAndCounted() throws Exception {
        StringBuilder record = new StringBuilder("{\"eventId\":\"6f1c2b1e-1d2f-4a7e-9b3c-0a1b2c3d4e5f\"");
        for (int i = 0; i < 25; i++) {
            record.append(",\"nickname").append(i).append("\":\"x\"");
        }
        Answer answer = post("/v1/check-ins", "application/json", record.append('}').toString());

        isAProblem(answer, 422);
        JsonNode errors = answer.json().path("errors");
        assertThat(errors.size()).isEqualTo(RequestLimits.MAX_PROBLEMS_PER_RECORD + 1);
        assertThat(errors.get(errors.size() - 1).path("reason").asText()).contains("more problems not listed");
    }

    @Test
    void aBodyThatIsNotJsonOrNdjsonIsAnUnsupportedMediaType() throws Exception {
        isAProblem(post("/v1/check-ins", "text/plain", "{}"), 415);
        isAProblem(post("/v1/check-ins", "application/x-www-form-urlencoded", "a=b"), 415);
    }

    @Test
    void unknownRoutesAndMethodsAreProblemsThatDoNotEchoThePath() throws Exception {
        String longPath = "/v1/" + "a".repeat(3000);
        HttpResponse<String> notFound = fixture.send("GET", longPath, "application/json", "");
        HttpResponse<String> wrongMethod = fixture.send("DELETE", "/v1/check-ins", "application/json", "");

        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(notFound.body().length()).isLessThan(600);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    }

    @Test
    void headersPastWhatTheServerTakesAreAProblemNotJettysHtml() throws Exception {
        Answer answer = raw("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "p".repeat(64 * 1024) + "\r\n\r\n", 0);

        isAProblem(answer, 431);
        assertThat(answer.body()).doesNotContain("<html");
    }

    @Test
    void referenceDataIsCheckedLikeSignals() throws Exception {
        HttpResponse<String> population = fixture.send("PUT", "/v1/neighbourhoods/east", "application/json",
                "{\"name\":\"East\",\"city\":\"Testville\",\"population\":\"abc\"}");
        HttpResponse<String> infinite = fixture.send("PUT", "/v1/neighbourhoods/east", "application/json",
                "{\"name\":\"East\",\"city\":\"Testville\",\"population\":1e400}");
        HttpResponse<String> longName = fixture.send("PUT", "/v1/neighbourhoods/east", "application/json",
                "{\"name\":\"" + "E".repeat(5000) + "\",\"city\":\"Testville\"}");

        assertThat(population.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(population.body()).at("/errors/0/field").asText()).isEqualTo("population");
        assertThat(infinite.statusCode()).isEqualTo(422);
        assertThat(longName.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(longName.body()).at("/errors/0/reason").asText()).contains("at most 200 characters");
    }
}
