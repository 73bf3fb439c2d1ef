package org.cohesionbarometer.clients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
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

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Issue a token for an organiser. The token is printed once; only its hash is kept.")
    static final class Issue implements Callable<Integer> {
        @Mixin
        AdminApi api;

        @Option(names = "--organiser", required = true, description = "the organiser id its activities and kiosks carry")
        String organiser;

        @Option(names = "--label", description = "what the token is for, e.g. 'kiosk app, library'")
        String label;

        @Option(names = "--city", description = "the city the organiser works in: the token then writes only for its "
                + "activities and kiosks in that city's neighbourhoods")
        String city;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var body = JSON.createObjectNode();
            if (city != null) {
                body.put("city", city);
            }
            if (label != null) {
                body.put("label", label);
            }
            JsonNode issued = api.call("POST", "/v1/organisers/" + segment(organiser) + "/tokens", body.toString());
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
        AdminApi api;

        @Option(names = "--organiser", required = true)
        String organiser;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            JsonNode tokens = api.call("GET", "/v1/organisers/" + segment(organiser) + "/tokens", null);
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
        AdminApi api;

        @Option(names = "--token-id", required = true, description = "the 12-character id shown by 'issue' and 'list'")
        String tokenId;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            JsonNode revoked = api.call("DELETE", "/v1/tokens/" + segment(tokenId), null);
            spec.commandLine().getOut().printf("revoked %s of organiser %s at %s%n", revoked.path("tokenId").asText(),
                    revoked.path("organiserId").asText(), revoked.path("revokedAt").asText());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
