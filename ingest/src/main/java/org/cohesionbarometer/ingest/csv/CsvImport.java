package org.cohesionbarometer.ingest.csv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.cohesionbarometer.ingest.FieldProblem;
import org.cohesionbarometer.schemas.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code import-csv}: sends a sign-in sheet to the ingest API in batches, shows progress, prints a
 * summary and writes every refused row, with its field and reason, to an error report. Batches the
 * API could not store for a passing reason (503, or 429 past the token's rate limit, after the
 * Retry-After it names) are retried; re-importing a file counts nothing twice.
 */
@Command(name = "import-csv", mixinStandardHelpOptions = true,
        description = "Import check-ins from a CSV sign-in sheet (template: docs/csv-template.csv).")
public final class CsvImport implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--file", required = true, description = "the CSV sheet")
    Path file;

    @Option(names = "--ingest-url", defaultValue = "http://localhost:8080", description = "the ingest API (default ${DEFAULT-VALUE})")
    String ingestUrl;

    @Option(names = "--token", defaultValue = "${env:BAROMETER_TOKEN}",
            description = "your organiser's API token (default: the BAROMETER_TOKEN environment variable)")
    String token;

    @Option(names = "--report", description = "where to write refused rows (default: <file>.errors.csv)")
    Path report;

    @Option(names = "--zone", defaultValue = "UTC", description = "time zone of local times in the sheet (default ${DEFAULT-VALUE})")
    ZoneId zone;

    @Option(names = "--batch", defaultValue = "1000", description = "rows per request (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    /** What an import did. */
    public record Summary(long rows, long stored, long refused, Path report) {
    }

    @Override
    public Integer call() throws Exception {
        Summary summary = run();
        System.out.printf("%,d rows: %,d stored, %,d refused%s%n", summary.rows(), summary.stored(), summary.refused(),
                summary.refused() > 0 ? " (see " + summary.report() + ")" : "");
        return summary.refused() > 0 ? ExitCode.REFUSED : ExitCode.OK;
    }

    public Summary run() throws IOException, InterruptedException {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("--token: missing. Ask the city's admin for your organiser's API token "
                    + "and pass it with --token or the BAROMETER_TOKEN environment variable.");
        }
        Path errors = report != null ? report : file.resolveSibling(file.getFileName() + ".errors.csv");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        SignInSheet sheet = new SignInSheet(zone);
        long rows = 0;
        long stored = 0;
        long refused = 0;
        long total;
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            total = Math.max(0, lines.count() - 1);
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             Writer out = Files.newBufferedWriter(errors, StandardCharsets.UTF_8);
             CSVPrinter report = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader("row", "field", "value", "reason").get());
             ProgressBar progress = new ProgressBarBuilder().setTaskName("import").setInitialMax(total)
                     .continuousUpdate().hideEta().setConsumer(quiet ? new SilentConsumer() : null).build()) {
            List<SignInSheet.Row> pending = new ArrayList<>();
            for (CSVRecord record : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                    .setIgnoreEmptyLines(true).setTrim(true).get().parse(reader)) {
                rows++;
                SignInSheet.Row row = sheet.read(record);
                if (!row.problems().isEmpty()) {
                    refused += write(report, row.number(), row.problems());
                } else {
                    pending.add(row);
                }
                if (pending.size() == batch) {
                    long[] outcome = send(http, pending, report);
                    stored += outcome[0];
                    refused += outcome[1];
                    pending.clear();
                }
                progress.stepTo(rows);
            }
            if (!pending.isEmpty()) {
                long[] outcome = send(http, pending, report);
                stored += outcome[0];
                refused += outcome[1];
            }
        }
        return new Summary(rows, stored, refused, errors);
    }

    /** Posts one batch as NDJSON; returns {stored, refused}. Retries while the API answers 503. */
    private long[] send(HttpClient http, List<SignInSheet.Row> rows, CSVPrinter report) throws IOException, InterruptedException {
        String body = String.join("\n", rows.stream().map(SignInSheet.Row::json).toList());
        HttpRequest request = HttpRequest.newBuilder(URI.create(ingestUrl.replaceAll("/$", "") + "/v1/check-ins"))
                .header("Content-Type", "application/x-ndjson")
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        RetryPolicy<HttpResponse<String>> whileUnavailable = RetryPolicy.<HttpResponse<String>>builder()
                .handleResultIf(r -> r.statusCode() == 503 || r.statusCode() == 429)
                .handle(IOException.class)
                .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30))
                .withDelayFn(attempt -> retryAfter(attempt.getLastResult()))
                .withMaxRetries(20)
                .build();
        HttpResponse<String> response = Failsafe.with(whileUnavailable)
                .get(() -> http.send(request, HttpResponse.BodyHandlers.ofString()));
        if (response.statusCode() == 200) {
            return new long[] {rows.size(), 0};
        }
        if (response.statusCode() == 413 && rows.size() > 1) {
            // The server takes smaller requests than --batch: halve until it does.
            long[] first = send(http, rows.subList(0, rows.size() / 2), report);
            long[] second = send(http, rows.subList(rows.size() / 2, rows.size()), report);
            return new long[] {first[0] + second[0], first[1] + second[1]};
        }
        JsonNode answer = JSON.readTree(response.body());
        if ((response.statusCode() != 422 && response.statusCode() != 403) || !answer.has("rejected")) {
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw new ExitCode.Refused("the ingest API refused the token (" + response.statusCode() + "); ask the city's "
                        + "admin for a valid one and pass it with --token or BAROMETER_TOKEN");
            }
            throw new IOException("the ingest API answered " + response.statusCode() + ": " + response.body());
        }
        long refused = 0;
        for (JsonNode rejected : answer.get("rejected")) {
            SignInSheet.Row row = rows.get(rejected.get("index").asInt());
            List<FieldProblem> problems = new ArrayList<>();
            rejected.get("errors").forEach(e -> problems.add(new FieldProblem(e.path("field").asText(),
                    e.path("value").isNull() ? "" : e.path("value").asText(), e.path("reason").asText())));
            refused += write(report, row.number(), problems);
        }
        return new long[] {answer.get("stored").size(), refused};
    }

    /** The wait the API asked for (Retry-After, in seconds); a negative duration means "use the backoff". */
    private static Duration retryAfter(HttpResponse<String> response) {
        return response == null ? Duration.ofMillis(-1) : response.headers().firstValue("Retry-After")
                .filter(v -> v.matches("\\d{1,5}"))
                .map(v -> Duration.ofSeconds(Long.parseLong(v)))
                .orElse(Duration.ofMillis(-1));
    }

    private static long write(CSVPrinter report, long row, List<FieldProblem> problems) throws IOException {
        for (FieldProblem p : problems) {
            report.printRecord(row + 1, p.field(), p.value(), p.reason()); // +1: the header is line 1
        }
        return 1;
    }

    /** Progress output switched off. */
    private static final class SilentConsumer implements me.tongfei.progressbar.ProgressBarConsumer {
        @Override
        public int getMaxRenderedLength() {
            return 80;
        }

        @Override
        public void accept(String rendered) {
        }

        @Override
        public void close() {
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CsvImport()).execute(args));
    }
}
