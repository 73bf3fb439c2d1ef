package org.cohesionbarometer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cohesionbarometer.clients.csv.CsvImport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CsvImportIT {
    private static IngestFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new IngestFixture();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void aSheetOfTenThousandRowsStoresExactlyTheGoodOnesReportsTheRestAndReimportsWithoutDoubling(@TempDir Path dir)
            throws Exception {
        Path sheet = dir.resolve("sign-in.csv");
        List<String> lines = new ArrayList<>(List.of("eventTime,activityId,participantToken,groupCode,headcount"));
        Set<Integer> badLines = new HashSet<>();
        Instant base = Instant.parse("2026-03-10T17:00:00Z");
        java.time.LocalDateTime start = java.time.LocalDateTime.parse("2026-03-10T18:00:00");
        for (int i = 0; i < 10_000; i++) {
            int line = i + 2;
            String time = start.plusSeconds(10L * i).toString().replace('T', ' '); // every row another check-in
            String row = switch (i % 97) {
                case 13 -> time + ",no-such-cafe,,A,1";                                  // unknown activity
                case 29 -> "yesterday evening,cafe-north,,B,1";                           // unreadable time
                case 41 -> time + ",cafe-north,jane@example.org,B,1";                     // an e-mail, not a token
                case 57 -> time + ",cafe-north,,C,many";                                  // headcount not a number
                case 71 -> base.plus(Duration.ofDays(30)).plusSeconds(i) + ",cafe-north,,C,1"; // in the future
                default -> time + ",cafe-north," + String.format("%032x", i % 700) + "," + "ABC".charAt(i % 3) + ",1";
            };
            if (i % 97 == 13 || i % 97 == 29 || i % 97 == 41 || i % 97 == 57 || i % 97 == 71) {
                badLines.add(line);
            }
            lines.add(row);
        }
        Files.write(sheet, lines);
        Path report = dir.resolve("errors.csv");

        CsvImport importer = new CsvImport();
        new CommandLine(importer).parseArgs("--file", sheet.toString(), "--ingest-url", fixture.url(),
                "--token", fixture.issueToken("org-1"),
                "--report", report.toString(), "--zone", "Europe/Berlin", "--quiet");
        CsvImport.Summary first = importer.run();

        assertThat(first.rows()).isEqualTo(10_000);
        assertThat(first.refused()).isEqualTo(badLines.size());
        assertThat(first.stored()).isEqualTo(10_000 - badLines.size());
        List<String> reported = Files.readAllLines(report);
        assertThat(reported.get(0)).isEqualTo("line,field,value,reason");
        assertThat(reported.stream().skip(1).map(r -> Integer.parseInt(r.split(",")[0])).toList())
                .containsExactlyInAnyOrderElementsOf(badLines);
        assertThat(reported).anySatisfy(r -> assertThat(r).startsWith("15,activityId,no-such-cafe,unknown activity"));
        List<String> firstRecords = storedEventIds(BIG_SHEET_DAYS);
        Set<String> afterFirst = new HashSet<>(firstRecords);
        assertThat(firstRecords).hasSize(10_000 - badLines.size());
        assertThat(afterFirst).hasSize(10_000 - badLines.size());

        CsvImport.Summary again = importer.run();
        assertThat(again.stored()).isEqualTo(first.stored());
        List<String> bothImports = storedEventIds(BIG_SHEET_DAYS);
        assertThat(bothImports).hasSize(2 * (10_000 - badLines.size()));
        assertThat(new HashSet<>(bothImports)).as("the same ids again: counted once downstream").isEqualTo(afterFirst);
    }

    private record Outcome(int exit, String out, String err) {
    }

    /** Runs the import as the command line does, with what it prints. */
    private static Outcome importing(String... args) {
        java.io.PrintStream stdout = System.out;
        java.io.PrintStream stderr = System.err;
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            List<String> all = new ArrayList<>(List.of(args));
            all.add("--quiet");
            int exit = new CommandLine(new CsvImport()).execute(all.toArray(String[]::new));
            return new Outcome(exit, out.toString(java.nio.charset.StandardCharsets.UTF_8),
                    err.toString(java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    @Test
    void aSheetAsExcelSavesItIsStoredWithItsRepeatedLineCountedOnceAndNoErrorFile(@TempDir Path dir) throws Exception {
        Path sheet = dir.resolve("excel.csv");
        Files.writeString(sheet, "\uFEFFEvent Time;Activity ID;Group Code;Headcount\r\n"
                + "2026-03-13 18:30;cafe-north;A;1\r\n"
                + "2026-03-13T18:31;cafe-north;B;3\r\n"
                + "\r\n"
                + "2026-03-13 18:30;cafe-north;A;1\r\n", java.nio.charset.StandardCharsets.UTF_8);

        Outcome outcome = importing("--file", sheet.toString(), "--ingest-url", fixture.url(),
                "--token", fixture.issueToken("org-1"), "--zone", "Europe/Berlin");

        assertThat(outcome.exit()).as(outcome.err()).isZero();
        assertThat(outcome.out()).contains("3 rows: 2 stored, 0 refused, 1 repeated (counted once)");
        assertThat(outcome.err()).contains("line 5 repeats line 2 exactly: counted once");
        assertThat(dir.resolve("excel.csv.errors.csv")).doesNotExist();
    }

    @Test
    void aWrongHeaderImportsNothingAndSaysSoOnce(@TempDir Path dir) throws Exception {
        Path sheet = dir.resolve("sheet.csv");
        Files.writeString(sheet, "eventTime,activityId,GroupKode\n2026-03-13 18:30,cafe-north,A\n");
        int before = fixture.checkInsOnTheTopic().size();

        Outcome outcome = importing("--file", sheet.toString(), "--ingest-url", fixture.url(),
                "--token", fixture.issueToken("org-1"));

        assertThat(outcome.exit()).isEqualTo(3);
        assertThat(outcome.err()).contains("column 'GroupKode'", "nothing was imported");
        assertThat(fixture.checkInsOnTheTopic()).hasSize(before);
        assertThat(dir.resolve("sheet.csv.errors.csv")).doesNotExist();
    }

    @Test
    void aRevokedTokenIsToldApartFromAnUnknownOne(@TempDir Path dir) throws Exception {
        Path sheet = dir.resolve("sheet.csv");
        Files.writeString(sheet, "eventTime,activityId\n2026-03-13 18:30,cafe-north\n");
        String token = fixture.issueToken("org-1");
        String tokenId = token.substring("cbt_".length(), token.indexOf('.'));
        assertThat(fixture.send("DELETE", "/v1/tokens/" + tokenId, "application/json", "").statusCode()).isEqualTo(200);

        Outcome revoked = importing("--file", sheet.toString(), "--ingest-url", fixture.url(), "--token", token);
        Outcome unknown = importing("--file", sheet.toString(), "--ingest-url", fixture.url(),
                "--token", "cbt_000000000000.not-a-real-secret");

        assertThat(revoked.exit()).isEqualTo(3);
        assertThat(revoked.err()).contains("Your token was revoked", "Ask the admin for a new token");
        assertThat(unknown.exit()).isEqualTo(3);
        assertThat(unknown.err()).contains("does not know this token", "starts with cbt_");
    }

    @Test
    void anUnreachableApiIsNamedWithTheOptionThatSetsIt(@TempDir Path dir) throws Exception {
        Path sheet = dir.resolve("sheet.csv");
        Files.writeString(sheet, "eventTime,activityId\n2026-03-13 18:30,cafe-north\n");

        Outcome outcome = importing("--file", sheet.toString(), "--ingest-url", "http://127.0.0.1:1", "--token", "cbt_x.y");

        assertThat(outcome.exit()).isEqualTo(4);
        assertThat(outcome.err()).contains("Cannot reach the ingest API at http://127.0.0.1:1", "--ingest-url");
    }

    @Test
    void correctingARefusedRowAndImportingAgainCountsTheOtherRowsOnce(@TempDir Path dir) throws Exception {
        Path sheet = dir.resolve("sheet.csv");
        String header = "eventTime,activityId,participantToken,groupCode\n";
        String good = "2026-03-12 18:30,cafe-north,5d1e0c9a7b3f4e215d1e0c9a7b3f4e21,A\n2026-03-12 18:35,cafe-north,,B\n";
        Files.writeString(sheet, header + "2026-03-12 18:3O,cafe-north,,C\n" + good); // a letter O for a zero
        String token = fixture.issueToken("org-1");

        Outcome first = importing("--file", sheet.toString(), "--ingest-url", fixture.url(), "--token", token, "--zone", "UTC");
        List<String> afterFirst = storedEventIds(CORRECTED_SHEET_DAY);
        List<String> refused = Files.readAllLines(dir.resolve("sheet.csv.errors.csv"));
        Files.writeString(sheet, header + "2026-03-12 18:30,cafe-north,,C\n" + good); // corrected in place
        Outcome second = importing("--file", sheet.toString(), "--ingest-url", fixture.url(), "--token", token, "--zone", "UTC");
        List<String> afterSecond = storedEventIds(CORRECTED_SHEET_DAY);

        assertThat(first.exit()).isEqualTo(3);
        assertThat(refused).anySatisfy(l -> assertThat(l).startsWith("2,eventTime,"));
        assertThat(second.exit()).isZero();
        assertThat(new HashSet<>(afterSecond)).as("the two good rows kept their ids; only the corrected one is new")
                .hasSize(new HashSet<>(afterFirst).size() + 1).containsAll(afterFirst);
        assertThat(dir.resolve("sheet.csv.errors.csv")).as("a run with nothing refused leaves no stale error file").doesNotExist();
    }

    /** Each test's sheet has days of its own, so that what the others stored does not count in it. */
    private static final List<Instant> BIG_SHEET_DAYS = List.of(Instant.parse("2026-03-10T00:00:00Z"), Instant.parse("2026-03-12T12:00:00Z"));
    private static final List<Instant> CORRECTED_SHEET_DAY = List.of(Instant.parse("2026-03-12T12:00:00Z"), Instant.parse("2026-03-13T00:00:00Z"));

    /** The event ids of the sheet's check-ins on the topic (one per record carrying them), in [from, to). */
    private static List<String> storedEventIds(List<Instant> fromTo) {
        return fixture.checkInsOnTheTopic().stream()
                .filter(c -> c.getActivityId().equals("cafe-north") && c.getSource().name().equals("CSV"))
                .filter(c -> !c.getEventTime().isBefore(fromTo.get(0)) && c.getEventTime().isBefore(fromTo.get(1)))
                .map(c -> c.getEventId().toString()).toList();
    }
}
