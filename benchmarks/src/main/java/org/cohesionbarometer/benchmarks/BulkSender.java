package org.cohesionbarometer.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Posts signals to the ingest API as organisers' apps do in bulk: NDJSON, one kind per request,
 * over HTTP/1.1 keep-alive connections that the client's pool reuses.
 */
final class BulkSender {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String token;
    private volatile String lastRefusal = "";

    BulkSender(String ingestUrl, String token) {
        this.base = URI.create(ingestUrl);
        this.token = token;
    }

    /** Posts the signals (all of one kind); the status the API answered, or -1 when it could not be reached. */
    int post(List<Signal> signals) throws InterruptedException {
        StringBuilder body = new StringBuilder(signals.size() * 190);
        for (Signal s : signals) {
            s.appendJson(body);
            body.append('\n');
        }
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base.resolve(signals.get(0).kind().path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                lastRefusal = answer.statusCode() + " " + answer.body().substring(0, Math.min(600, answer.body().length()));
            }
            return answer.statusCode();
        } catch (IOException unreachable) {
            lastRefusal = "unreachable: " + unreachable;
            return -1;
        }
    }

    /** The last answer other than 200 (status and the start of its body), for the report. */
    String lastRefusal() {
        return lastRefusal;
    }

    /** Registers reference data with the admin token (PUT is idempotent). */
    void put(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException("PUT " + path + " answered " + answer.statusCode() + ": " + answer.body());
        }
    }

    void seed(BenchCity city) throws IOException, InterruptedException {
        for (String[] put : city.reference()) {
            put(put[0], put[1]);
        }
    }
}
