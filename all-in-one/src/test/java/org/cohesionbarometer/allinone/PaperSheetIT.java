package org.cohesionbarometer.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.cohesionbarometer.clients.csv.CsvImport;
import org.cohesionbarometer.sink.export.OpenDataExport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A paper sign-in sheet typed in four weeks after the evenings it records, messy as a volunteer
 * saves it from a spreadsheet, goes through the CSV import, the ingest API, Kafka, the streams
 * stage and the sink into the hourly rows, the daily and weekly rollups, the city's day and the
 * open-data export — with the figures a person counts on the sheet by hand; importing it again
 * changes nothing.
 */
class PaperSheetIT {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** Twenty-nine days ago: older than any grace period the barometer used to have, younger than the API's limit. */
    private static final LocalDate EVENING = LocalDate.now(BERLIN).minusDays(29);
    private static final int[] HOURS = {18, 19, 20, 21};

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    /** The sheet, line by line as a spreadsheet numbers them, and the lines a person would mark as wrong. */
    private record Sheet(List<String> lines, List<Integer> wrongLines) {
    }

    /**
     * 300 rows and some blank lines, semicolon-separated with Excel's byte-order mark and loose
     * headers. Counted by hand:
     * <ul>
     *   <li>the language café, 18:00 to 21:59 local time: 55 rows an hour (minute 0 to 54); the row
     *       of minute 0 is a family of 4, every other row one person; groups A, B, C by turns
     *       (minute mod 3), so per hour A = 19 rows (22 people), B = 18, C = 18: 55 check-ins, 58 people;</li>
     *   <li>the garden, 19:00 to 19:39, written with a T: 40 rows of one person, group B;</li>
     *   <li>20 lines repeating café rows of 18:01 to 18:20 exactly (counted once);</li>
     *   <li>20 wrong rows: 5 times no one can read, 5 unknown activities, 5 headcounts in words,
     *       5 check-ins on a day still to come.</li>
     * </ul>
     * So 260 check-ins and 272 people are counted, 20 rows refused, 20 lines repeated.
     */
    private static Sheet messySheet() {
        List<String> lines = new ArrayList<>(List.of("\uFEFFEvent Time;Activity ID;Participant Token;Group Code;Headcount"));
        List<Integer> wrong = new ArrayList<>();
        for (int hour : HOURS) {
            for (int minute = 0; minute < 55; minute++) {
                String token = minute % 2 == 0 ? "%02d%02d%028x".formatted(hour, minute, (long) hour * 100 + minute) : "";
                lines.add("%s %02d:%02d;cafe-north;%s;%s;%d".formatted(EVENING, hour, minute, token, "ABC".charAt(minute % 3),
                        minute == 0 ? 4 : 1));
            }
            lines.add("");
        }
        for (int minute = 0; minute < 40; minute++) {
            lines.add("%sT19:%02d;garden-north;;B;1".formatted(EVENING, minute));
        }
        for (int minute = 1; minute <= 20; minute++) {
            lines.add(lines.get(1 + minute)); // the café at 18:01 .. 18:20 again
        }
        for (int i = 0; i < 20; i++) {
            String row = switch (i % 4) {
                case 0 -> "gegen 18 Uhr;cafe-north;;A;1";
                case 1 -> EVENING + " 18:3" + i % 10 + ";chess-club;;A;1";
                case 2 -> EVENING + " 18:4" + i % 10 + ";cafe-north;;A;viele";
                default -> LocalDate.now(BERLIN).plusDays(3) + " 18:00;cafe-north;;A;" + (i + 1);
            };
            lines.add(row);
            wrong.add(lines.size()); // its line number: the header is line 1
        }
        return new Sheet(lines, wrong);
    }

    private static Instant utc(int localHour) {
        return EVENING.atTime(localHour, 0).atZone(BERLIN).toInstant();
    }

    private long query(EmbeddedBarometer barometer, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(barometer.jdbcUrl(), barometer.jdbcUser(), barometer.jdbcPassword());
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    private void put(EmbeddedBarometer barometer, String path, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(barometer.ingestUrl() + path))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + barometer.adminToken())
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private String organiserToken(EmbeddedBarometer barometer) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(barometer.ingestUrl() + "/v1/organisers/org-1/tokens"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + barometer.adminToken())
                .POST(HttpRequest.BodyPublishers.ofString("{\"label\":\"volunteer\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return new ObjectMapper().readTree(response.body()).path("token").asText();
    }

    private record Printed(int exit, String out) {
    }

    private static Printed importSheet(EmbeddedBarometer barometer, String token, Path sheet) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(new CsvImport()).execute("--file", sheet.toString(), "--ingest-url", barometer.ingestUrl(),
                    "--token", token, "--zone", BERLIN.getId(), "--quiet");
            return new Printed(exit, out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
        }
    }

    /** The figures of the evening as the database holds them: hourly rows, the day, the week and the city's day. */
    private Map<String, Long> figures(EmbeddedBarometer barometer) throws Exception {
        Map<String, Long> figures = new LinkedHashMap<>();
        for (int hour : HOURS) {
            String window = " FROM neighbourhood_hourly WHERE neighbourhood_id = 'north' AND activity_id = '' AND window_start = '"
                    + utc(hour) + "'";
            figures.put(hour + ":00 check-ins", query(barometer, "SELECT check_ins" + window));
            figures.put(hour + ":00 people", query(barometer, "SELECT headcount" + window));
        }
        figures.put("18:00 group A", query(barometer, "SELECT headcount FROM neighbourhood_group_hourly WHERE neighbourhood_id = 'north'"
                + " AND activity_id = '' AND window_start = '" + utc(18) + "' AND group_code = 'A'"));
        Instant day = utc(18).truncatedTo(ChronoUnit.DAYS);
        figures.put("day people", query(barometer, "SELECT headcount FROM neighbourhood_daily WHERE neighbourhood_id = 'north'"
                + " AND bucket_start = '" + day + "'"));
        figures.put("week people", query(barometer, "SELECT sum(headcount) FROM neighbourhood_weekly WHERE neighbourhood_id = 'north'"
                + " AND bucket_start <= '" + day + "' AND bucket_start > '" + day.minus(Duration.ofDays(7)) + "'"));
        figures.put("city day people", query(barometer, "SELECT headcount FROM city_daily WHERE window_start = '" + day + "'"));
        return figures;
    }

    private static Map<String, Long> countedByHand() {
        Map<String, Long> figures = new LinkedHashMap<>();
        for (int hour : HOURS) {
            figures.put(hour + ":00 check-ins", hour == 19 ? 95L : 55L);
            figures.put(hour + ":00 people", hour == 19 ? 98L : 58L);
        }
        figures.put("18:00 group A", 22L);
        figures.put("day people", 272L);
        figures.put("week people", 272L);
        figures.put("city day people", 272L);
        return figures;
    }

    @Test
    void aMessySheetTypedInFourWeeksLateGivesTheFiguresCountedByHandEverywhereAndOnceOnly() throws Exception {
        assertThat(utc(18).truncatedTo(ChronoUnit.DAYS)).as("the sheet's evening lies within one UTC day")
                .isEqualTo(utc(21).truncatedTo(ChronoUnit.DAYS));
        try (EmbeddedBarometer barometer = EmbeddedBarometer.start(EmbeddedSettings.forTests(dir.resolve("data")))) {
            put(barometer, "/v1/neighbourhoods/north", "{\"name\":\"Nordstadt\",\"city\":\"Riverton\"}");
            for (String activity : List.of("cafe-north", "garden-north")) {
                put(barometer, "/v1/activities/" + activity, "{\"title\":\"" + activity + "\",\"type\":\"language café\","
                        + "\"neighbourhoodId\":\"north\",\"organiserId\":\"org-1\",\"startsAt\":\"2026-01-05T18:00:00Z\"}");
            }
            String token = organiserToken(barometer);
            Path today = dir.resolve("today.csv");
            Files.writeString(today, "eventTime,activityId\n" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ",cafe-north\n");
            assertThat(importSheet(barometer, token, today).exit()).as("the city has moved on to today").isZero();

            Sheet sheet = messySheet();
            Path file = dir.resolve("sign-in.csv");
            Files.write(file, sheet.lines(), StandardCharsets.UTF_8);
            Printed first = importSheet(barometer, token, file);

            assertThat(first.exit()).isEqualTo(3);
            assertThat(first.out()).contains("300 rows: 260 stored, 20 refused, 20 repeated (counted once)");
            List<Long> reportedLines = new ArrayList<>();
            for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(Files.newBufferedReader(dir.resolve("sign-in.csv.errors.csv")))) {
                reportedLines.add(Long.parseLong(r.get("line")));
            }
            assertThat(reportedLines).as("the lines of the file, blank lines counted")
                    .containsExactlyInAnyOrderElementsOf(sheet.wrongLines().stream().map(Long::valueOf).toList());
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(figures(barometer)).isEqualTo(countedByHand()));

            Printed again = importSheet(barometer, token, file);
            assertThat(again.out()).contains("300 rows: 260 stored, 20 refused");
            // The next sheet, of a week later: once it is counted, every partition has passed the repeat.
            LocalDate weekLater = EVENING.plusDays(8);
            Path later = dir.resolve("later.csv");
            List<String> lateRows = new ArrayList<>(List.of("eventTime,activityId,participantToken"));
            for (int i = 0; i < 20; i++) {
                lateRows.add(weekLater + " 12:%02d,cafe-north,ffff%028d".formatted(i, i));
            }
            Files.write(later, lateRows);
            assertThat(importSheet(barometer, token, later).exit()).isZero();
            Instant noon = weekLater.atTime(12, 0).atZone(BERLIN).toInstant();
            await().atMost(Duration.ofSeconds(120)).until(() -> query(barometer, "SELECT check_ins FROM neighbourhood_hourly"
                    + " WHERE neighbourhood_id = 'north' AND activity_id = '' AND window_start = '" + noon + "'") == 20);
            assertThat(figures(barometer)).as("the sheet imported again counts nothing twice").isEqualTo(countedByHand());

            Path export = dir.resolve("open-data.csv");
            int exported = new CommandLine(new OpenDataExport()).execute("--from", EVENING.toString(),
                    "--to", EVENING.plusDays(1).toString(), "--period", "weekly", "--out", export.toString(),
                    "--jdbc-url", barometer.jdbcUrl(), "--user", "barometer_dashboard",
                    "--password", barometer.dashboardPassword());
            assertThat(exported).isZero();
            List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(Files.newBufferedReader(export)).getRecords();
            assertThat(rows).singleElement().satisfies(week -> {
                assertThat(week.get("neighbourhood")).isEqualTo("Nordstadt");
                assertThat(week.get("headcount")).isEqualTo("272");
                assertThat(LocalDate.ofInstant(Instant.parse(week.get("bucket_start")), ZoneOffset.UTC))
                        .isBeforeOrEqualTo(EVENING).isAfter(EVENING.minusDays(7));
            });
            assertThat(OpenDataExport.dictionaryOf(export)).exists();
        }
    }
}
