package org.cohesionbarometer.clients.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
import java.time.ZoneId;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cohesionbarometer.schemas.ParticipantToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignInSheetTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static List<SignInSheet.Row> read(String sheet) throws Exception {
        return new SignInSheet(BERLIN, null).read(new StringReader(sheet));
    }

    private static JsonNode json(SignInSheet.Row row) {
        try {
            return JSON.readTree(row.json());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void excelsByteOrderMarkSemicolonsAndHeadersInAnyCaseAreRead() throws Exception {
        List<SignInSheet.Row> rows = read("\uFEFFEvent Time;ACTIVITYID;group_code;Head-Count\n"
                + "2026-11-24 20:40;cafe-north;B;3\n");

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).problems()).isEmpty();
        JsonNode checkIn = json(rows.get(0));
        assertThat(checkIn.path("eventTime").asText()).isEqualTo("2026-11-24T19:40:00Z");
        assertThat(checkIn.path("activityId").asText()).isEqualTo("cafe-north");
        assertThat(checkIn.path("groupCode").asText()).isEqualTo("B");
        assertThat(checkIn.path("headcount").asInt()).isEqualTo(3);
    }

    @Test
    void tabsBetweenColumnsAreReadToo() throws Exception {
        List<SignInSheet.Row> rows = read("eventTime\tactivityId\n2026-11-24 20:40\tcafe-north\n");

        assertThat(json(rows.get(0)).path("activityId").asText()).isEqualTo("cafe-north");
    }

    @Test
    void anUnknownColumnRefusesTheWholeSheetOnceNamingItAndTheColumnsItMayHave() {
        assertThatThrownBy(() -> read("eventTime,activityId,GroupCode2\n2026-11-24 20:40,cafe-north,B\n"))
                .isInstanceOf(SignInSheet.Refused.class)
                .hasMessageContaining("column 'GroupCode2'")
                .hasMessageContaining("nothing was imported")
                .hasMessageContaining("eventTime, activityId and, optionally, participantToken, participant, groupCode, headcount, eventId");
    }

    @Test
    void aMissingRequiredColumnRefusesTheSheetOnceRatherThanEveryRow() {
        assertThatThrownBy(() -> read("time,activityId\n2026-11-24 20:40,cafe-north\n"))
                .isInstanceOf(SignInSheet.Refused.class)
                .hasMessageContaining("'time'");
        assertThatThrownBy(() -> read("activityId,groupCode\ncafe-north,B\n"))
                .isInstanceOf(SignInSheet.Refused.class)
                .hasMessageContaining("no 'eventTime' column");
    }

    @Test
    void localTimesWithOrWithoutATAndSecondsAreInTheSheetsZoneAndOffsetsAreKept() throws Exception {
        List<SignInSheet.Row> rows = read("eventTime,activityId\n"
                + "2026-11-24T20:40,cafe\n2026-11-24 20:40:30,cafe\n2026-11-24T20:40:00+01:00,cafe\n2026-11-24T19:40:00Z,cafe\n");

        assertThat(rows).extracting(r -> json(r).path("eventTime").asText())
                .containsExactly("2026-11-24T19:40:00Z", "2026-11-24T19:40:30Z", "2026-11-24T19:40:00Z", "2026-11-24T19:40:00Z");
    }

    @Test
    void dayFirstDatesAreReadOnlyWhenTheirFormatIsGiven() throws Exception {
        String sheet = "eventTime,activityId\n24.11.2026 20:40,cafe\n";

        SignInSheet.Row refused = read(sheet).get(0);
        assertThat(refused.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("eventTime");
            assertThat(p.reason()).contains("--date-format 'dd.MM.yyyy HH:mm'");
        });
        SignInSheet.Row read = new SignInSheet(BERLIN, "dd.MM.yyyy HH:mm").read(new StringReader(sheet)).get(0);
        assertThat(json(read).path("eventTime").asText()).isEqualTo("2026-11-24T19:40:00Z");
    }

    @Test
    void rowsAreNumberedAsTheFilesLinesBlankLinesIncluded() throws Exception {
        List<SignInSheet.Row> rows = read("eventTime,activityId\n\n2026-11-24 20:40,cafe\n\n\n2026-11-24 20:41,cafe\r\n"
                + "\"2026-11-24 20:42\",\"cafe\"\n");

        assertThat(rows).extracting(SignInSheet.Row::line).containsExactly(3L, 6L, 7L);
    }

    @Test
    void aRowsIdDependsOnItsContentAloneNotOnOtherRowsOrItsPlace() throws Exception {
        String kept = "2026-11-24 20:41,cafe,81cc0e4b19ffa0c281cc0e4b19ffa0c2,A,1\n";
        List<SignInSheet.Row> first = read("eventTime,activityId,participantToken,groupCode,headcount\n"
                + "bad time,cafe,,,\n" + kept);
        List<SignInSheet.Row> corrected = read("eventTime,activityId,participantToken,groupCode,headcount\n" + kept);

        assertThat(first.get(1).eventId()).isEqualTo(corrected.get(0).eventId());
        List<SignInSheet.Row> twice = read("eventTime,activityId\n2026-11-24 20:41,cafe\n2026-11-24 20:41,cafe\n");
        assertThat(twice.get(0).eventId()).as("identical rows: one check-in").isEqualTo(twice.get(1).eventId());
    }

    @Test
    void theTemplateInTheDocsHasEveryColumnAndEachOfItsRowsIsRead(@TempDir Path dir) throws Exception {
        java.nio.file.Path repository = java.nio.file.Path.of(System.getProperty("user.dir")).getParent();
        String template = java.nio.file.Files.readString(repository.resolve("docs/csv-template.csv"));

        assertThat(template.lines().findFirst().orElseThrow().split(",")).containsExactlyElementsOf(SignInSheet.COLUMNS.keySet());
        OrganiserSalt salt = new OrganiserSalt(dir.resolve("salt"), notice -> { });
        assertThat(new SignInSheet(BERLIN, null, salt::tokenOf).read(new StringReader(template))).isNotEmpty()
                .allSatisfy(row -> assertThat(row.problems()).isEmpty());
        assertThat(java.nio.file.Files.readString(repository.resolve("README.md"))).as("the README shows the template")
                .contains(template.strip());
    }

    @Test
    void aNameColumnIsSentOnlyAsTheTokenTheOrganisersSaltMakesOfIt(@TempDir Path dir) throws Exception {
        OrganiserSalt salt = new OrganiserSalt(dir.resolve("salt"), notice -> { });
        List<SignInSheet.Row> rows = new SignInSheet(BERLIN, null, salt::tokenOf).read(new StringReader(
                "eventTime,activityId,Name\n2026-11-24 20:40,cafe-north,Anna Schmidt\n2026-11-25 20:40,cafe-north,anna  schmidt\n"));

        assertThat(rows).allSatisfy(row -> assertThat(row.problems()).isEmpty());
        String token = json(rows.get(0)).path("participantToken").asText();
        assertThat(ParticipantToken.isValid(token)).isTrue();
        assertThat(token).isEqualTo(ParticipantToken.of(Files.readString(dir.resolve("salt")).strip(), "anna schmidt"));
        assertThat(json(rows.get(1)).path("participantToken").asText()).as("the same person on another evening").isEqualTo(token);
        assertThat(rows).allSatisfy(row -> assertThat(row.json()).doesNotContainIgnoringCase("anna").doesNotContainIgnoringCase("schmidt"));
    }

    @Test
    void aNameInTheTokenColumnIsRefusedUnsentWithHowToMakeAToken() throws Exception {
        List<SignInSheet.Row> rows = read("eventTime,activityId,participantToken\n2026-11-24 20:40,cafe-north,anna.schmidt\n");

        assertThat(rows.get(0).json()).isNull();
        assertThat(rows.get(0).problems()).singleElement().satisfies(problem -> {
            assertThat(problem.field()).isEqualTo("participantToken");
            assertThat(problem.value()).doesNotContain("anna");
            assertThat(problem.reason()).contains("HMAC-SHA256", "salt", "'participant' column");
        });
    }

    @Test
    void theSaltIsMadeOnceReadableByItsOwnerOnlyAndKeptForTheNextSheet(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("home/.barometer/participant-salt");
        List<String> notices = new java.util.ArrayList<>();
        String first = new OrganiserSalt(file, notices::add).tokenOf("M-10442");
        String later = new OrganiserSalt(file, notices::add).tokenOf("M-10442");

        assertThat(later).isEqualTo(first);
        assertThat(notices).singleElement().asString().contains(file.toString(), "back it up");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(new OrganiserSalt(dir.resolve("other"), n -> { }).tokenOf("M-10442")).as("another organiser's salt").isNotEqualTo(first);
    }
}
