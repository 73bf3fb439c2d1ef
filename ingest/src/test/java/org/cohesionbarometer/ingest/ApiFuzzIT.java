package org.cohesionbarometer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.cohesionbarometer.schemas.ParticipantToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand generated requests over every route the server answers, and some it does not:
 * every method, tokens good and bad, content types right and wrong, headers odd and oversized,
 * bodies whole or in chunks of any size, JSON, arrays and NDJSON, valid records and every kind of
 * mutation of them. The server may refuse any of them, but never with a 5xx, and every refusal is
 * problem+json.
 *
 * <p>Request {@code i} is generated from {@code new Random(seed * 1_000_003 + i)} alone, so a
 * failure is reproduced by its seed and index ({@code -Dfuzz.seed=...}), whatever ran before.
 */
class ApiFuzzIT {
    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 10_000);
    private static final long SEED = Long.getLong("fuzz.seed", 20261202L);
    private static final int CLIENTS = 4;

    private static IngestFixture fixture;
    private static String organiser;
    private static String otherOrganiser;
    private static String revoked;
    private static List<String> routes;

    @BeforeAll
    static void start() throws Exception {
        fixture = new IngestFixture();
        fixture.send("PUT", "/v1/activities/garden-north", "application/json", "{\"title\":\"Urban garden\","
                + "\"type\":\"URBAN_GARDEN\",\"neighbourhoodId\":\"north\",\"organiserId\":\"org-2\","
                + "\"startsAt\":\"2026-02-01T10:00:00Z\"}");
        organiser = fixture.issueToken("org-1");
        otherOrganiser = fixture.issueToken("org-2");
        revoked = fixture.issueToken("org-1");
        fixture.send("DELETE", "/v1/tokens/" + revoked.substring(4, 16), "application/json", "");
        routes = fixture.server.routes();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    /** One generated request, described for the failure report. */
    private record Request(int index, String head, List<byte[]> parts, boolean chunked, String description) {
    }

    @Test
    void noGeneratedRequestGetsA5xxAndEveryRefusalIsAProblem() throws Exception {
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        long started = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            running.add(clients.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < REQUESTS; ) {
                    Request request = generate(i);
                    try {
                        RawHttp.Answer answer = RawHttp.exchange(fixture.server.port(), request.head(), request.parts(),
                                request.chunked(), 20_000);
                        statuses.computeIfAbsent(answer.status(), s -> new AtomicInteger()).incrementAndGet();
                        if (answer.status() >= 500 || answer.status() < 100
                                || answer.status() >= 400 && !answer.isProblem()) {
                            failures.add("#" + i + " " + request.description() + " -> " + answer.status() + " "
                                    + answer.contentType() + " " + RecordReader.abbreviate(answer.body()));
                        }
                    } catch (Exception e) {
                        failures.add("#" + i + " " + request.description() + " -> " + e);
                    }
                }
                return null;
            }));
        }
        for (Future<?> client : running) {
            client.get(170, TimeUnit.SECONDS);
        }
        clients.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("ApiFuzzIT: %,d requests (seed %d) in %.1f s; statuses %s%n", REQUESTS, SEED, seconds,
                new TreeMap<>(statuses));

        assertThat(failures).as("requests answered with a 5xx, or refused without problem+json (seed " + SEED + ")")
                .hasSizeLessThan(1).isEmpty();
        assertThat(statuses.keySet()).as("the generator reaches stored, refused and unauthorised answers")
                .contains(200, 202, 400, 401, 403, 404, 405, 413, 415, 422);
        assertThat(seconds).as("bounded time").isLessThan(120);
    }

    // The generator --------------------------------------------------------------------------------

    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FOO"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8",
            "application/x-ndjson", "application/jsonlines", "APPLICATION/JSON", "text/plain", "application/xml",
            "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json; charset=latin1",
            "", "\u00ff\u00fe", "application/problem+json"};
    private static final String[] IDS = {"north", "cafe-north", "garden-north", "kiosk-north", "A", "B", "Z", "x".repeat(65),
            ".".repeat(2), "%2e%2e", "%00", "a%20b", "caf%C3%A9", "-x", "ok:1", "😀", "null", "1e400"};

    private static Request generate(int index) {
        Random random = new Random(SEED * 1_000_003L + index);
        String route = routes.get(random.nextInt(routes.size()));
        String method = random.nextInt(10) < 8 ? route.split(" ")[0] : pick(random, METHODS);
        String path = path(random, route.split(" ", 2)[1]);
        String token = token(random);
        String contentType = pick(random, CONTENT_TYPES);
        List<String> body = body(random, path, contentType);
        boolean chunked = random.nextInt(4) == 0;
        List<byte[]> parts = parts(random, String.join("", body).getBytes(StandardCharsets.UTF_8), chunked);
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n")
                .append("Connection: close\r\n");
        if (token != null) {
            head.append(random.nextInt(20) == 0 ? "authorization: bearer " : "Authorization: Bearer ").append(token).append("\r\n");
        }
        if (!contentType.isEmpty()) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        int length = parts.stream().mapToInt(p -> p.length).sum();
        if (chunked) {
            head.append("Transfer-Encoding: chunked\r\n");
        } else if (length > 0 || random.nextBoolean()) {
            head.append("Content-Length: ").append(length).append("\r\n");
        }
        oddHeaders(random, head);
        head.append("\r\n");
        String excerpt = String.join("", body);
        return new Request(index, head.toString(), parts, chunked, method + " " + RecordReader.abbreviate(path) + " ["
                + contentType + (chunked ? ", chunked" : "") + "] " + RecordReader.abbreviate(excerpt.length() > 120
                ? excerpt.substring(0, 120) + "..." : excerpt));
    }

    private static String path(Random random, String route) {
        int kind = random.nextInt(20);
        if (kind == 0) {
            return "/v1/" + "nope/".repeat(random.nextInt(4)) + pick(random, IDS);
        }
        if (kind == 1) {
            return "/" + "a".repeat(random.nextInt(9000));
        }
        if (kind == 2) {
            return pick(random, new String[] {"/v1/check-ins?x=%zz", "/v1/groups?" + "q=1&".repeat(500), "/%", "/v1//groups",
                    "/v1/check-ins/", "/V1/CHECK-INS", "/v1/check-ins;x=1", "/v1/" + ".".repeat(2) + "/v1/groups", "*", "/v1/groups#frag"});
        }
        return route.replaceAll("\\{[^}]+}", pick(random, IDS));
    }

    private static String token(Random random) {
        return switch (random.nextInt(12)) {
            case 0, 1, 2, 3 -> IngestFixture.ADMIN;
            case 4, 5, 6 -> organiser;
            case 7 -> otherOrganiser;
            case 8 -> revoked;
            case 9 -> null;
            case 10 -> organiser.substring(0, 17) + "A".repeat(43);
            default -> pick(random, new String[] {"", "cbt_", "cbt_x.y", "\u00e9\u00e9", "a".repeat(random.nextInt(5000)),
                    "Bearer Bearer", IngestFixture.ADMIN + " "});
        };
    }

    /** The body, as the pieces it is made of (joined before it is sent). */
    private static List<String> body(Random random, String path, String contentType) {
        int kind = random.nextInt(20);
        if (kind == 0) {
            return List.of();
        }
        if (kind == 1) {
            byte[] noise = new byte[random.nextInt(2000)];
            random.nextBytes(noise);
            return List.of(new String(noise, StandardCharsets.ISO_8859_1));
        }
        if (kind == 2) {
            return List.of(pick(random, new String[] {"[".repeat(2000), "{\"a\":".repeat(500), "9".repeat(5000),
                    "\"" + "s".repeat(20_000) + "\"", "{\"headcount\":18446744073709551621}", "{\"scale\":1e400}",
                    "null", "[]", "{}", "[[]]", "\ufeff{}", "{\"eventId\":\"a\",\"eventId\":\"b\"}", " ".repeat(100_000)}));
        }
        if (kind == 3) {
            StringBuilder many = new StringBuilder("{");
            int fields = random.nextInt(3000);
            for (int f = 0; f < fields; f++) {
                many.append(f == 0 ? "" : ",").append("\"unknown").append(f).append("\":").append(f);
            }
            return List.of(many.append('}').toString());
        }
        int records = random.nextInt(5) == 0 ? 1 + random.nextInt(150) : 1;
        List<String> generated = new ArrayList<>();
        for (int r = 0; r < records; r++) {
            String record = record(random, path);
            generated.add(random.nextInt(3) == 0 ? mutate(random, record) : record);
        }
        boolean ndjson = contentType.contains("ndjson") || contentType.contains("jsonlines");
        if (ndjson) {
            return List.of(String.join(random.nextBoolean() ? "\n" : "\r\n", generated));
        }
        return records == 1 && random.nextBoolean() ? generated : List.of("[" + String.join(",", generated) + "]");
    }

    private static String record(Random random, String path) {
        String id = UUID.randomUUID().toString();
        String time = "2026-03-1" + (1 + random.nextInt(4)) + "T1" + random.nextInt(8) + ":00:00Z";
        String token = random.nextBoolean() ? ParticipantToken.of("fuzz salt of at least 32 characters", "p" + random.nextInt(50))
                : "p-" + random.nextInt(50);
        String group = pick(random, new String[] {"A", "B", "C", "Z"});
        if (path.contains("mixing")) {
            return "{\"eventId\":\"" + id + "\",\"eventTime\":\"" + time + "\",\"activityId\":\"" + pick(random,
                    new String[] {"cafe-north", "garden-north", "nowhere"}) + "\",\"participantTokenA\":\"" + token
                    + "\",\"groupCodeA\":\"" + group + "\",\"participantTokenB\":\"" + ParticipantToken.of("s", id)
                    + "\",\"groupCodeB\":\"B\"}";
        }
        if (path.contains("sentiment")) {
            return "{\"eventId\":\"" + id + "\",\"eventTime\":\"" + time + "\",\"kioskId\":\"kiosk-north\","
                    + "\"questionCode\":\"welcome\",\"scale\":" + (3 + random.nextInt(3)) + ",\"level\":" + (1 + random.nextInt(5)) + "}";
        }
        if (path.contains("/neighbourhoods")) {
            return "{\"name\":\"Fuzz " + random.nextInt(9) + "\",\"city\":\"Riverton\",\"population\":" + random.nextInt(90_000)
                    + ",\"centroidLat\":" + (random.nextDouble() * 200 - 100) + "}";
        }
        if (path.contains("/activities")) {
            return "{\"title\":\"Fuzz\",\"type\":\"SPORT\",\"neighbourhoodId\":\"north\",\"organiserId\":\"org-" + random.nextInt(3)
                    + "\",\"startsAt\":\"2026-02-01T10:00:00Z\"}";
        }
        if (path.contains("/kiosks")) {
            return "{\"neighbourhoodId\":\"north\",\"organiserId\":\"org-1\",\"lat\":" + (random.nextDouble() * 200 - 100) + "}";
        }
        if (path.contains("/groups")) {
            return "{\"label\":\"group " + random.nextInt(9) + "\"}";
        }
        if (path.contains("/tokens")) {
            return "{\"label\":\"fuzz\"}";
        }
        return "{\"eventId\":\"" + id + "\",\"eventTime\":\"" + time + "\",\"activityId\":\"cafe-north\",\"participantToken\":\""
                + token + "\",\"groupCode\":\"" + group + "\",\"headcount\":" + (1 + random.nextInt(5)) + "}";
    }

    /** A valid record with one thing wrong with it: a value's type or size, a field gone or twice, a cut, noise. */
    private static String mutate(Random random, String record) {
        int at = random.nextInt(record.length());
        return switch (random.nextInt(10)) {
            case 0 -> record.substring(0, at);
            case 1 -> record.substring(0, at) + record.substring(Math.min(record.length(), at + 1 + random.nextInt(20)));
            case 2 -> record.replaceFirst("\"[a-zA-Z]+\":\"[^\"]*\",?", "");
            case 3 -> record.replaceFirst(":\"[^\"]*\"", ":" + pick(random, new String[] {"null", "1", "[]", "{}", "true",
                    "-1e999", "\"\"", "\"" + "x".repeat(300) + "\"", "99999999999999999999999"}));
            case 4 -> record.replaceFirst(":(-?\\d+)", ":" + pick(random, new String[] {"\"3\"", "0", "-1", "1.5",
                    "9223372036854775808", "1e3", "NaN"}));
            case 5 -> "{\"name\":\"Anna Schmidt\"," + record.substring(1);
            case 6 -> record.substring(0, record.length() - 1) + "," + record.substring(1);
            case 7 -> record.substring(0, at) + (char) random.nextInt(0x2FF) + record.substring(at);
            case 8 -> record.replace("2026-03-1", pick(random, new String[] {"2025-01-0", "2099-03-1", "2026-02-3", "x"}));
            default -> record.replace("\"", random.nextBoolean() ? "'" : "\\\"");
        };
    }

    /** The body's bytes in the pieces they are written in: one, or chunks of any size from 1 byte on. */
    private static List<byte[]> parts(Random random, byte[] body, boolean chunked) {
        if (!chunked) {
            return body.length == 0 ? List.of() : List.of(body);
        }
        List<byte[]> parts = new ArrayList<>();
        for (int from = 0; from < body.length; ) {
            int size = Math.min(body.length - from, 1 + random.nextInt(random.nextBoolean() ? 16 : 64 * 1024));
            byte[] part = new byte[size];
            System.arraycopy(body, from, part, 0, size);
            parts.add(part);
            from += size;
        }
        if (random.nextInt(200) == 0) { // now and then a stream past the body limit
            byte[] megabyte = new byte[1024 * 1024];
            java.util.Arrays.fill(megabyte, (byte) ' ');
            for (int m = 0; m < 17; m++) {
                parts.add(megabyte);
            }
        }
        return parts;
    }

    private static void oddHeaders(Random random, StringBuilder head) {
        switch (random.nextInt(12)) {
            case 0 -> head.append("X-Padding: ").append("p".repeat(random.nextInt(20_000))).append("\r\n");
            case 1 -> head.append("Accept: application/xml\r\n");
            case 2 -> head.append("Content-Encoding: gzip\r\n");
            case 3 -> head.append("Expect: 100-continue\r\n");
            case 4 -> head.append("X-Forwarded-For: 10.0.0.").append(random.nextInt(255)).append("\r\n");
            case 5 -> head.append("Authorization: Bearer ").append(IngestFixture.ADMIN).append("\r\n");
            case 6 -> head.append("Content-Type: text/plain\r\n");
            case 7 -> head.append("X-\u00e9: \u00ff\r\n");
            default -> {
            }
        }
    }

    private static String pick(Random random, String[] options) {
        return options[random.nextInt(options.length)];
    }
}
