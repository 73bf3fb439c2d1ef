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
import org.cohesionbarometer.ingest.csv.CsvImport;
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
        for (int i = 0; i < 10_000; i++) {
            int line = i + 2;
            String time = "2026-03-10 18:" + String.format("%02d", i % 60);
            String row = switch (i % 97) {
                case 13 -> time + ",no-such-cafe,,A,1";                                  // unknown activity
                case 29 -> "yesterday evening,cafe-north,,B,1";                           // unreadable time
                case 41 -> time + ",cafe-north,jane@example.org,B,1";                     // an e-mail, not a token
                case 57 -> time + ",cafe-north,,C,many";                                  // headcount not a number
                case 71 -> base.plus(Duration.ofDays(30)) + ",cafe-north,,C,1";           // in the future
                default -> time + ",cafe-north,tok-" + String.format("%06d", i % 700) + "," + "ABC".charAt(i % 3) + ",1";
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
        assertThat(reported.get(0)).isEqualTo("row,field,value,reason");
        assertThat(reported.stream().skip(1).map(r -> Integer.parseInt(r.split(",")[0])).toList())
                .containsExactlyInAnyOrderElementsOf(badLines);
        assertThat(reported).anySatisfy(r -> assertThat(r).startsWith("15,activityId,no-such-cafe,unknown activity"));
        List<String> firstRecords = storedEventIds();
        Set<String> afterFirst = new HashSet<>(firstRecords);
        assertThat(firstRecords).hasSize(10_000 - badLines.size());
        assertThat(afterFirst).hasSize(10_000 - badLines.size());

        CsvImport.Summary again = importer.run();
        assertThat(again.stored()).isEqualTo(first.stored());
        List<String> bothImports = storedEventIds();
        assertThat(bothImports).hasSize(2 * (10_000 - badLines.size()));
        assertThat(new HashSet<>(bothImports)).as("the same ids again: counted once downstream").isEqualTo(afterFirst);
    }

    /** The event ids of the sheet's check-ins on the topic, and how many records carry them. */
    private static List<String> storedEventIds() {
        return fixture.checkInsOnTheTopic().stream()
                .filter(c -> c.getActivityId().equals("cafe-north") && c.getSource().name().equals("CSV"))
                .map(c -> c.getEventId().toString()).toList();
    }
}
