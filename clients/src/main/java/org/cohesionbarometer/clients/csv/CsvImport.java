package org.cohesionbarometer.clients.csv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.cohesionbarometer.schemas.FieldProblem;
import org.cohesionbarometer.schemas.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code import-csv}: sends a sign-in sheet to the ingest API in batches, shows progress, prints a
 * summary and writes every refused row, with its field and reason, to an error report. Names or
 * membership numbers in a {@code participant} column become participant tokens with the
 * organiser's own salt before anything is sent ({@link OrganiserSalt}). Batches the
 * API could not store for a passing reason (503, or 429 past the token's rate limit, after the
 * Retry-After it names) are retried; re-importing a file counts nothing twice.
 */
@Command(name = "import-csv", mixinStandardHelpOptions = true,
        description = "Import check-ins from a CSV sign-in sheet (template: docs/csv-template.csv).")
public final class CsvImport implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How many repeated rows are named one by one on the console. */
    private static final int REPEATS_NAMED = 10;

    @Option(names = "--file", required = true, description = "the CSV sheet (UTF-8; comma, semicolon or tab between columns)")
    Path file;

    @Option(names = "--ingest-url", defaultValue = "${env:BAROMETER_INGEST_URL:-http://localhost:8080}",
            description = "the ingest API (default: BAROMETER_INGEST_URL or ${DEFAULT-VALUE})")
    String ingestUrl;

    @Option(names = "--token", defaultValue = "${env:BAROMETER_TOKEN}",
            description = "your organiser's API token (default: the BAROMETER_TOKEN environment variable)")
    String token;

    @Option(names = "--salt-file", defaultValue = "${sys:user.home}/.barometer/participant-salt",
            description = "your organisation's secret salt, which turns a 'participant' column (names or membership numbers)"
                    + " into participant tokens on this machine; made on first use, never sent (default ${DEFAULT-VALUE})")
    Path saltFile;

    @Option(names = "--report", description = "where to write refused rows, if any (default: <file>.errors.csv)")
    Path report;

    @Option(names = "--zone", defaultValue = "UTC", description = "time zone of local times in the sheet, e.g. Europe/Berlin (default ${DEFAULT-VALUE})")
    ZoneId zone;

    @Option(names = "--date-format", description = "a pattern for times that are not ISO-8601, e.g. 'dd.MM.yyyy HH:mm' or 'dd/MM/yyyy HH:mm'")
    String dateFormat;

    @Option(names = "--batch", defaultValue = "1000", description = "rows per request (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    /** Where the progress bar is drawn (null: the console). */
    me.tongfei.progressbar.ProgressBarConsumer progressOutput;

    /**
     * What an import did.
     *
     * @param rows    the sheet's rows (blank lines not counted)
     * @param stored  check-ins the API stored (or had stored before: a re-import stores the same ids again, counted once)
     * @param refused rows refused, each named in the report
     * @param repeats rows identical to an earlier row of the sheet, counted once with it
     * @param report  the error file, or null when nothing was refused
     */
    public record Summary(long rows, long stored, long refused, long repeats, Path report) {
    }

    /** The API refused the token: nothing more can be sent. */
    static final class TokenRefused extends Exception {
        TokenRefused(String message) {
            super(message);
        }
    }

    /** The API could not be reached. */
    static final class Unreachable extends Exception {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public Integer call() throws Exception {
        Summary summary;
        try {
            summary = run();
        } catch (SignInSheet.Refused e) {
            System.err.println(e.getMessage());
            return ExitCode.REFUSED;
        } catch (TokenRefused e) {
            System.err.println(e.getMessage());
            return ExitCode.REFUSED;
        } catch (Unreachable e) {
            System.err.println(e.getMessage());
            return ExitCode.UNREACHABLE;
        }
        System.out.printf("%,d rows: %,d stored, %,d refused%s%s%n", summary.rows(), summary.stored(), summary.refused(),
                summary.repeats() > 0 ? ", " + String.format("%,d", summary.repeats()) + " repeated (counted once)" : "",
                summary.refused() > 0 ? " (see " + summary.report() + ")" : "");
        return summary.refused() > 0 ? ExitCode.REFUSED : ExitCode.OK;
    }

    public Summary run() throws IOException, InterruptedException, SignInSheet.Refused, TokenRefused, Unreachable {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("--token: missing. Ask the city's admin for your organiser's API token "
                    + "and pass it with --token or the BAROMETER_TOKEN environment variable.");
        }
        List<SignInSheet.Row> rows;
        try (Reader reader = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder())) {
            OrganiserSalt salt = new OrganiserSalt(saltFile, System.err::println);
            rows = new SignInSheet(zone, dateFormat, salt::tokenOf).read(reader);
        } catch (CharacterCodingException e) {
            throw new SignInSheet.Refused("The sheet is not saved as UTF-8, so its letters would be garbled; nothing was"
                    + " imported. In the spreadsheet, save it as 'CSV UTF-8' and import again.");
        }
        Path errors = report != null ? report : file.resolveSibling(file.getFileName() + ".errors.csv");
        Files.deleteIfExists(errors); // a report from an earlier run would be mistaken for this one's
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ErrorReport refusals = new ErrorReport(errors);
        long stored = 0;
        long repeats = 0;
        Map<String, Long> firstLineOf = new HashMap<>();
        try (refusals;
             ProgressBar progress = new ProgressBarBuilder().setTaskName("import").setInitialMax(rows.size())
                     .continuousUpdate().hideEta().setConsumer(quiet ? new SilentConsumer() : progressOutput).build()) {
            List<SignInSheet.Row> pending = new ArrayList<>();
            for (SignInSheet.Row row : rows) {
                if (!row.problems().isEmpty()) {
                    refusals.write(row.line(), row.problems());
                } else {
                    Long earlier = firstLineOf.putIfAbsent(row.eventId(), row.line());
                    if (earlier != null) {
                        if (repeats++ < REPEATS_NAMED) {
                            System.err.printf("line %d repeats line %d exactly: counted once (several people who came"
                                    + " together are one row with their headcount)%n", row.line(), earlier);
                        }
                    } else {
                        pending.add(row);
                    }
                }
                if (pending.size() == batch) {
                    stored += send(http, pending, refusals);
                    pending.clear();
                }
                progress.step();
            }
            if (!pending.isEmpty()) {
                stored += send(http, pending, refusals);
            }
        }
        if (repeats > REPEATS_NAMED) {
            System.err.printf("... and %d more repeated lines, each counted once%n", repeats - REPEATS_NAMED);
        }
        return new Summary(rows.size(), stored, refusals.rows(), repeats, refusals.rows() > 0 ? errors : null);
    }

    /** Posts one batch as NDJSON; returns how many were stored, and reports the rows refused. */
    private long send(HttpClient http, List<SignInSheet.Row> rows, ErrorReport refusals)
            throws IOException, InterruptedException, TokenRefused, Unreachable {
        String body = String.join("\n", rows.stream().map(SignInSheet.Row::json).toList());
        HttpRequest request = HttpRequest.newBuilder(URI.create(ingestUrl.replaceAll("/$", "") + "/v1/check-ins"))
                .header("Content-Type", "application/x-ndjson")
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        RetryPolicy<HttpResponse<String>> whileBusy = RetryPolicy.<HttpResponse<String>>builder()
                .handleResultIf(r -> r.statusCode() == 503 || r.statusCode() == 429)
                .abortOn(IOException.class) // the API unreachable: whileUnreachable has retried, and gives up
                .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30))
                .withDelayFn(attempt -> retryAfter(attempt.getLastResult()))
                .withMaxRetries(20)
                .build();
        RetryPolicy<HttpResponse<String>> whileUnreachable = RetryPolicy.<HttpResponse<String>>builder()
                .handle(IOException.class)
                .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(4))
                .withMaxRetries(3)
                .build();
        HttpResponse<String> response;
        try {
            response = Failsafe.with(whileBusy, whileUnreachable).get(() -> http.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (FailsafeException e) {
            if (e.getCause() instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw new Unreachable("Cannot reach the ingest API at " + ingestUrl + " (" + e.getCause().getClass().getSimpleName()
                    + "): check --ingest-url and that the barometer is running, then import again;"
                    + " rows already stored will not count twice.", e.getCause());
        }
        if (response.statusCode() == 200) {
            return rows.size();
        }
        if (response.statusCode() == 401) {
            throw new TokenRefused(tokenRefusal(response.body()));
        }
        if (response.statusCode() == 413 && rows.size() > 1) {
            // The server takes smaller requests than --batch: halve until it does.
            return send(http, rows.subList(0, rows.size() / 2), refusals)
                    + send(http, rows.subList(rows.size() / 2, rows.size()), refusals);
        }
        JsonNode answer = JSON.readTree(response.body());
        if ((response.statusCode() != 422 && response.statusCode() != 403) || !answer.has("rejected")) {
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw new ExitCode.Refused("the ingest API refused the token (" + response.statusCode() + "); ask the city's "
                        + "admin for a valid one and pass it with --token or BAROMETER_TOKEN");
            }
            throw new IOException("the ingest API answered " + response.statusCode() + ": " + response.body());
        }
        for (JsonNode rejected : answer.get("rejected")) {
            SignInSheet.Row row = rows.get(rejected.get("index").asInt());
            List<FieldProblem> problems = new ArrayList<>();
            rejected.get("errors").forEach(e -> problems.add(new FieldProblem(e.path("field").asText(),
                    e.path("value").isNull() ? "" : e.path("value").asText(), e.path("reason").asText())));
            refusals.write(row.line(), problems);
        }
        return answer.get("stored").size();
    }

    /** What a volunteer should do about a refused token, as the API's answer says why. */
    private static String tokenRefusal(String body) {
        String type = "";
        try {
            type = JSON.readTree(body).path("type").asText();
        } catch (IOException notJson) {
            // an answer that is not problem+json: treat as unknown
        }
        if (type.endsWith("/token-revoked")) {
            return "Your token was revoked by the city's admin; nothing more was imported. Ask the admin for a new"
                    + " token and pass it with --token or BAROMETER_TOKEN, then import again: rows already stored will"
                    + " not count twice.";
        }
        return "The ingest API does not know this token; nothing was imported. Check that you copied all of it"
                + " (it starts with cbt_), or ask the city's admin for your organiser's token, and pass it with --token"
                + " or BAROMETER_TOKEN.";
    }

    /** The wait the API asked for (Retry-After, in seconds); a negative duration means "use the backoff". */
    private static Duration retryAfter(HttpResponse<String> response) {
        return response == null ? Duration.ofMillis(-1) : response.headers().firstValue("Retry-After")
                .filter(v -> v.matches("\\d{1,5}"))
                .map(v -> Duration.ofSeconds(Long.parseLong(v)))
                .orElse(Duration.ofMillis(-1));
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
