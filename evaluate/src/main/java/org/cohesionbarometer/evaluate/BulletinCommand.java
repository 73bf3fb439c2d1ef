package org.cohesionbarometer.evaluate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code report}: a city's (or one neighbourhood's) monthly bulletin for a council, one
 * self-contained HTML file that prints on A4 ({@link Bulletin}). It reads the published views only,
 * as the read-only role the dashboards and the open-data export use.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a city's monthly bulletin for its council: one self-contained HTML file that prints well "
                + "to PDF (A4), from the published (suppressed) figures only, read as the read-only role.",
                "e.g. barometer report --city Riverton --month 2026-11 --out riverton-2026-11.html"})
public final class BulletinCommand implements Callable<Integer> {
    /** The barometer's exit codes (schemas' ExitCode; evaluate/ stands apart from the pipeline's modules). */
    private static final int OK = 0;
    private static final int REFUSED = 3;
    private static final int UNREACHABLE = 4;

    @Option(names = "--city", required = true, description = "the city, as its neighbourhoods name it (e.g. Riverton)")
    String city;

    @Option(names = "--month", required = true, paramLabel = "YYYY-MM", description = "the calendar month (UTC), e.g. 2026-11")
    YearMonth month;

    @Option(names = "--neighbourhood", paramLabel = "ID", description = "one neighbourhood of the city instead of the whole city")
    String neighbourhood;

    @Option(names = "--out", description = "the HTML file to write (default: bulletin-<city>-<month>[-<neighbourhood>].html)")
    Path out;

    @Option(names = "--jdbc-url", defaultValue = "${env:BAROMETER_JDBC_URL:-jdbc:postgresql://localhost:5432/barometer}",
            description = "the database (default: BAROMETER_JDBC_URL, else ${DEFAULT-VALUE}; the embedded run prints its URL)")
    String jdbcUrl;

    @Option(names = "--user", defaultValue = "${env:BAROMETER_EXPORT_USER:-barometer_dashboard}",
            description = "a role that reads the published views (default: BAROMETER_EXPORT_USER, else ${DEFAULT-VALUE})")
    String user;

    @Option(names = "--password", defaultValue = "${env:BAROMETER_EXPORT_PASSWORD:-}",
            description = "its password (default: BAROMETER_EXPORT_PASSWORD; the embedded run keeps it in .barometer/dashboard-password)")
    String password;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, password)) {
            db.setReadOnly(true);
            List<String> cities = PublishedMonth.cities(db);
            if (!cities.contains(city)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--city: no neighbourhood is registered in '"
                        + city + "'; " + (cities.isEmpty() ? "no city is registered yet (./barometer reference apply)"
                        : "the cities are: " + String.join(", ", cities)));
            }
            String neighbourhoodName = null;
            if (neighbourhood != null) {
                List<String[]> hoods = PublishedMonth.neighbourhoods(db, city);
                neighbourhoodName = hoods.stream().filter(h -> h[0].equals(neighbourhood)).map(h -> h[1]).findFirst()
                        .orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(), "--neighbourhood: '"
                                + neighbourhood + "' is not a neighbourhood of " + city + "; its neighbourhoods are: "
                                + String.join(", ", hoods.stream().map(h -> h[0]).toList())));
            }
            PublishedMonth published = PublishedMonth.read(db, city, month, Optional.ofNullable(neighbourhood));
            if (published.hours().published() + published.hours().withheld() == 0) {
                System.err.println("Nothing is published for " + (neighbourhoodName == null ? city : neighbourhoodName + " ("
                        + city + ")") + " in " + month + ": no neighbourhood-hour of that month is stored. Check the month, "
                        + "and that the barometer was running then.");
                return REFUSED;
            }
            Path file = out != null ? out : Path.of("bulletin-" + city.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                    + "-" + month + (neighbourhood == null ? "" : "-" + neighbourhood) + ".html");
            write(file, Bulletin.render(published, neighbourhoodName, LocalDate.now(ZoneOffset.UTC)));
            System.err.println("Wrote the " + Bulletin.monthName(month) + " bulletin of " + (neighbourhoodName == null ? city
                    : neighbourhoodName + ", " + city) + " to " + file + " (open it in a browser; print it to PDF on A4).");
            return OK;
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.startsWith("28")) {
                System.err.println("barometer report: the database at " + jdbcUrl + " refused the login of '" + user + "' ("
                        + e.getMessage() + "). Give the read-only role's password with --password or BAROMETER_EXPORT_PASSWORD;"
                        + " the embedded run keeps it in .barometer/dashboard-password.");
                return REFUSED;
            }
            if (state.startsWith("08")) {
                System.err.println("barometer report: cannot reach the database at " + jdbcUrl + " (" + e.getMessage()
                        + "). Give its address with --jdbc-url or BAROMETER_JDBC_URL; the embedded run prints its JDBC URL"
                        + " when it starts.");
                return UNREACHABLE;
            }
            throw e;
        }
    }

    /** Written whole or not at all: a temporary file beside it, moved into place. */
    private static void write(Path file, String html) throws java.io.IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path partial = Files.createTempFile(directory, file.getFileName().toString(), ".partial");
        try {
            Files.writeString(partial, html, StandardCharsets.UTF_8);
            Files.move(partial, file.toAbsolutePath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
