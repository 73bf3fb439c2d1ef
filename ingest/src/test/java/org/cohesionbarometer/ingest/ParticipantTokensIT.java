package org.cohesionbarometer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.cohesionbarometer.clients.csv.CsvImport;
import org.cohesionbarometer.schemas.ParticipantToken;
import org.cohesionbarometer.schemas.signal.CheckIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Only pseudonyms enter Kafka: what a participant token is, what is refused, and how a sheet's names become tokens. */
class ParticipantTokensIT {
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

    private static String checkIn(UUID id, String tokenField, String token) {
        return "{\"eventId\":\"" + id + "\",\"eventTime\":\"2026-03-14T17:00:00Z\",\"activityId\":\"cafe-north\",\""
                + tokenField + "\":\"" + token + "\"}";
    }

    @ParameterizedTest
    @ValueSource(strings = {"tel:004915112345678", "anna.schmidt", "mobile_015112345678", "jane@example.org",
            "0151 1234 5678", "p-3f9a1c77e2b4d801", "3f9a1c77e2b4d8013f9a1c77e2b4d80", "7C93F40D3E7D0511907EFBA173DD527E"})
    void anythingButAHexHashOfAtLeast128BitsIsRefusedNamingTheFieldAndHowToMakeOne(String token) throws Exception {
        UUID id = UUID.randomUUID();
        HttpResponse<String> response = fixture.send("POST", "/v1/check-ins", "application/json",
                checkIn(id, "participantToken", token));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).as("the value is not echoed").doesNotContain(token);
        JsonNode error = JSON.readTree(response.body()).path("errors").get(0);
        assertThat(error.path("field").asText()).isEqualTo("participantToken");
        assertThat(error.path("reason").asText()).contains("32 to 128 lowercase hex", "HMAC-SHA256", "secret salt",
                "openssl dgst -sha256 -hmac");
        assertThat(fixture.checkInsOnTheTopic()).noneMatch(c -> c.getEventId().equals(id));
    }

    @Test
    void bothTokensOfAMixingContactAreHeldToTheFormat() throws Exception {
        String valid = ParticipantToken.of("org-1 salt of at least thirty-two chars", "anna schmidt");
        HttpResponse<String> response = fixture.send("POST", "/v1/mixing-contacts", "application/json",
                "{\"eventId\":\"" + UUID.randomUUID() + "\",\"eventTime\":\"2026-03-14T17:00:00Z\",\"activityId\":\"cafe-north\","
                        + "\"participantTokenA\":\"" + valid + "\",\"participantTokenB\":\"anna.schmidt\"}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(response.body()).path("errors")).singleElement()
                .satisfies(e -> assertThat(e.path("field").asText()).isEqualTo("participantTokenB"));
    }

    @Test
    void aTokenMadeAsTheDocsSayIsStoredAsItIs() throws Exception {
        UUID id = UUID.randomUUID();
        String token = ParticipantToken.of("org-1 salt of at least thirty-two chars", "M-10442");

        HttpResponse<String> response = fixture.send("POST", "/v1/check-ins", "application/json", checkIn(id, "participantToken", token));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(fixture.checkInsOnTheTopic()).filteredOn(c -> c.getEventId().equals(id)).singleElement()
                .satisfies(c -> assertThat(c.getParticipantToken()).isEqualTo(token));
    }

    @Test
    void importCsvSendsTheNamesOfASheetOnlyAsTheTokensTheOrganisersSaltMakesOfThem(@TempDir Path dir) throws Exception {
        Path sheet = dir.resolve("sign-in.csv");
        Files.writeString(sheet, """
                eventTime,activityId,Name,groupCode
                2026-03-11 18:30,cafe-north,Anna Schmidt,A
                2026-03-11 18:31,cafe-north,Mehmet Yılmaz,B
                2026-03-11 18:32,cafe-north,M-10442,C
                2026-03-11 19:30,cafe-north,anna  schmidt,A
                """);
        Path saltFile = dir.resolve("organiser/participant-salt");

        CsvImport importer = new CsvImport();
        new CommandLine(importer).parseArgs("--file", sheet.toString(), "--ingest-url", fixture.url(),
                "--token", fixture.issueToken("org-1"), "--salt-file", saltFile.toString(), "--zone", "UTC", "--quiet");
        CsvImport.Summary summary = importer.run();

        assertThat(summary.stored()).isEqualTo(4);
        String salt = Files.readString(saltFile).strip();
        List<CheckIn> stored = fixture.checkInsOnTheTopic().stream()
                .filter(c -> c.getEventTime().toString().startsWith("2026-03-11T1")).toList();
        assertThat(stored).extracting(CheckIn::getParticipantToken).containsExactlyInAnyOrder(
                ParticipantToken.of(salt, "anna schmidt"), ParticipantToken.of(salt, "Mehmet Yılmaz"),
                ParticipantToken.of(salt, "M-10442"), ParticipantToken.of(salt, "Anna Schmidt"));
        assertThat(stored).as("nothing identifying reached Kafka").allSatisfy(c -> assertThat(c.toString())
                .doesNotContainIgnoringCase("anna").doesNotContainIgnoringCase("schmidt")
                .doesNotContain("Mehmet").doesNotContain("10442"));
    }
}
