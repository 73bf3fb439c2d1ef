package org.cohesionbarometer.clients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.cohesionbarometer.schemas.ExitCode;
import picocli.CommandLine.Option;

/**
 * The ingest API's admin side as the command-line tools reach it (tokens, reference data): where it
 * is and the city's admin token, as options any command mixes in.
 */
public final class AdminApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--ingest-url", defaultValue = "http://localhost:8080",
            description = "the ingest API (env BAROMETER_INGEST_URL; default ${DEFAULT-VALUE})")
    String ingestUrl;

    @Option(names = "--admin-token", defaultValue = "${env:BAROMETER_ADMIN_TOKEN}",
            description = "the city's admin token (env BAROMETER_ADMIN_TOKEN; the embedded run keeps it in .barometer/admin-token)")
    String adminToken;

    /** Sends one request as the admin and returns the answer, whatever its status. */
    public HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        if (adminToken == null || adminToken.isBlank()) {
            throw new IllegalArgumentException("--admin-token is missing; pass it or set BAROMETER_ADMIN_TOKEN "
                    + "(the embedded run keeps it in .barometer/admin-token)");
        }
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                .send(HttpRequest.newBuilder(URI.create(ingestUrl.replaceAll("/$", "") + path))
                        .header("Authorization", "Bearer " + adminToken)
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** Sends one request as the admin; a 4xx answer is a refusal naming the API's reason, another non-2xx an error. */
    public JsonNode call(String method, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = send(method, path, body);
        JsonNode answer = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
        String reason = answer.path("title").asText("") + " " + answer.path("detail").asText("")
                + (answer.has("errors") ? " " + answer.get("errors") : "");
        if (response.statusCode() / 100 == 4) {
            throw new ExitCode.Refused("the ingest API refused it (" + response.statusCode() + "): " + reason);
        }
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("the ingest API answered " + response.statusCode() + ": " + reason);
        }
        return answer;
    }
}
