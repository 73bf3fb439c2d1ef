package org.cohesionbarometer.clients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.cohesionbarometer.schemas.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tokens issue|list|revoke}: the city's admin manages organisers' API tokens through the
 * ingest API, so the secret is generated and hashed in one place and only its hash reaches Kafka.
 */
@Command(name = "tokens", mixinStandardHelpOptions = true,
        subcommands = {TokensCli.Issue.class, TokensCli.ListTokens.class, TokensCli.Revoke.class},
        description = "Issue, list and revoke organisers' API tokens (admin).")
final class TokensCli implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Where the ingest API is and the admin token that manages tokens. */
    static final class Connection {
        @Option(names = "--ingest-url", defaultValue = "http://localhost:8080",
                description = "the ingest API (default ${DEFAULT-VALUE})")
        String ingestUrl;

        @Option(names = "--admin-token", defaultValue = "${env:BAROMETER_ADMIN_TOKEN}",
                description = "the city's admin token (default: the BAROMETER_ADMIN_TOKEN environment variable)")
        String adminToken;

        /** Sends one request as the admin; a non-2xx answer becomes an error naming the API's reason. */
        JsonNode send(String method, String path, String body) throws IOException, InterruptedException {
            if (adminToken == null || adminToken.isBlank()) {
                throw new IllegalArgumentException("--admin-token: missing; pass it or set BAROMETER_ADMIN_TOKEN");
            }
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(HttpRequest.newBuilder(URI.create(ingestUrl.replaceAll("/$", "") + path))
                            .header("Authorization", "Bearer " + adminToken)
                            .header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(30))
                            .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
            JsonNode answer = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
            if (response.statusCode() / 100 == 4) {
                throw new ExitCode.Refused("the ingest API refused it (" + response.statusCode() + "): "
                        + answer.path("title").asText("") + " " + answer.path("detail").asText("")
                        + (answer.has("errors") ? " " + answer.get("errors") : ""));
            }
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("the ingest API answered " + response.statusCode() + ": "
                        + answer.path("title").asText("") + " " + answer.path("detail").asText("")
                        + (answer.has("errors") ? " " + answer.get("errors") : ""));
            }
            return answer;
        }
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Issue a token for an organiser. The token is printed once; only its hash is kept.")
    static final class Issue implements Callable<Integer> {
        @Mixin
        Connection api;

        @Option(names = "--organiser", required = true, description = "the organiser id its activities and kiosks carry")
        String organiser;

        @Option(names = "--label", description = "what the token is for, e.g. 'kiosk app, library'")
        String label;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var body = JSON.createObjectNode();
            if (label != null) {
                body.put("label", label);
            }
            JsonNode issued = api.send("POST", "/v1/organisers/" + segment(organiser) + "/tokens", body.toString());
            PrintWriter out = spec.commandLine().getOut();
            out.printf("token id:  %s%n", issued.path("tokenId").asText());
            out.printf("organiser: %s%n", issued.path("organiserId").asText());
            out.printf("token:     %s%n", issued.path("token").asText());
            out.println("Shown once: hand it to the organiser now. The barometer keeps only its SHA-256.");
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List an organiser's tokens (never their secrets).")
    static final class ListTokens implements Callable<Integer> {
        @Mixin
        Connection api;

        @Option(names = "--organiser", required = true)
        String organiser;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            JsonNode tokens = api.send("GET", "/v1/organisers/" + segment(organiser) + "/tokens", null);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-16s %-24s %-26s %s%n", "TOKEN ID", "ISSUED", "REVOKED", "LABEL");
            for (JsonNode token : tokens) {
                out.printf("%-16s %-24s %-26s %s%n", token.path("tokenId").asText(), token.path("issuedAt").asText(),
                        token.path("revokedAt").isNull() ? "-" : token.path("revokedAt").asText(),
                        token.path("label").isNull() ? "" : token.path("label").asText());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a token: every ingest instance refuses it as soon as it reads the revocation.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        Connection api;

        @Option(names = "--token-id", required = true, description = "the 12-character id shown by 'issue' and 'list'")
        String tokenId;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            JsonNode revoked = api.send("DELETE", "/v1/tokens/" + segment(tokenId), null);
            spec.commandLine().getOut().printf("revoked %s of organiser %s at %s%n", revoked.path("tokenId").asText(),
                    revoked.path("organiserId").asText(), revoked.path("revokedAt").asText());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
