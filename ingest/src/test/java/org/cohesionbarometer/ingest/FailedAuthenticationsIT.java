package org.cohesionbarometer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failed authentications are counted per client address and logged without the secret: past the
 * limit, every request of that address that needs a token gets 429 with Retry-After, as
 * problem+json, until the limit refills, even with a valid token.
 */
class FailedAuthenticationsIT {
    private static final int LIMIT = 5;
    private IngestFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new IngestFixture(600_000, 10_000, LIMIT);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static String checkIn() {
        return "{\"eventId\":\"" + UUID.randomUUID() + "\",\"eventTime\":\"2026-03-14T17:00:00Z\",\"activityId\":\"cafe-north\"}";
    }

    @Test
    void pastTheLimitOfWrongTokensAnAddressGets429WithRetryAfterEvenWithAValidToken() throws Exception {
        String valid = fixture.issueToken("org-1");
        String wrongSecret = valid.substring(0, valid.indexOf('.') + 1) + "A".repeat(43);
        String revoked = fixture.issueToken("org-1");
        fixture.send("DELETE", "/v1/tokens/" + revoked.substring(4, 16), "application/json", "");
        List<String> guesses = List.of(wrongSecret, "cbt_000000000000." + "B".repeat(43), revoked, "wrong-admin-token", "guess");

        List<Integer> statuses = new ArrayList<>();
        for (String guess : guesses) {
            statuses.add(fixture.sendAs(guess, "POST", "/v1/check-ins", "application/json", checkIn()).statusCode());
        }
        HttpResponse<String> afterwards = fixture.sendAs(valid, "POST", "/v1/check-ins", "application/json", checkIn());
        HttpResponse<String> admin = fixture.sendAs(IngestFixture.ADMIN, "GET", "/v1/activities", "application/json", "");

        assertThat(statuses).as("each guess within the limit: 401").containsOnly(401);
        assertThat(afterwards.statusCode()).isEqualTo(429);
        assertThat(afterwards.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(Long.parseLong(afterwards.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(new ObjectMapper().readTree(afterwards.body()).path("detail").asText())
                .contains("from your address", "retry after");
        assertThat(admin.statusCode()).as("the admin's requests from that address too").isEqualTo(429);
        assertThat(fixture.checkInsOnTheTopic()).as("nothing from a throttled request is stored").isEmpty();
    }

    @Test
    void requestsWithoutAnyTokenAreRefusedButDoNotCountAsGuesses() throws Exception {
        for (int i = 0; i < LIMIT * 3; i++) {
            assertThat(fixture.sendAs(null, "POST", "/v1/check-ins", "application/json", checkIn()).statusCode()).isEqualTo(401);
        }
        assertThat(fixture.sendAs(fixture.issueToken("org-1"), "POST", "/v1/check-ins", "application/json", checkIn())
                .statusCode()).isEqualTo(202);
    }

    @Test
    void eachFailureIsLoggedWithAddressRouteAndReasonButNeverTheSecret() throws Exception {
        String valid = fixture.issueToken("org-1");
        String tokenId = valid.substring(4, 16);
        String wrongSecret = "cbt_" + tokenId + ".s3cretGuessS3cretGuessS3cretGuessS3cretGues";
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            fixture.sendAs(wrongSecret, "GET", "/v1/kiosks", "application/json", "");
            fixture.sendAs("not-the-admin-but-close", "PUT", "/v1/groups/D", "application/json", "{\"label\":\"d\"}");
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        err.print(log);

        assertThat(log).contains("Failed authentication from 127.0.0.1 on GET /v1/kiosks: wrong secret for organiser token id "
                + tokenId);
        assertThat(log).contains("Failed authentication from 127.0.0.1 on PUT /v1/groups/D: neither the admin token nor an organiser token");
        assertThat(log).doesNotContain("s3cretGuess", "not-the-admin-but-close", valid.substring(17));
    }
}
