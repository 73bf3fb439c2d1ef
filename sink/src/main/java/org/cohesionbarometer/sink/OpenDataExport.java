package org.cohesionbarometer.sink;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code export}: the published, small-cell-suppressed neighbourhood aggregates of a period as CSV,
 * for a city's open-data portal. It reads only the published views, so it runs with the
 * dashboards' read-only role; a withheld value is an empty cell, and the {@code withheld} column
 * names what was withheld and why the cell is empty.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export published (suppressed) daily or weekly neighbourhood indicators to CSV.")
public final class OpenDataExport implements Callable<Integer> {

    /** The buckets that may be exported, each a published view. */
    public enum Period {
        daily("published_neighbourhood_daily"),
        weekly("published_neighbourhood_weekly");

        final String view;

        Period(String view) {
            this.view = view;
        }
    }

    @Option(names = "--from", required = true, description = "first day (UTC), e.g. 2026-03-01")
    LocalDate from;

    @Option(names = "--to", required = true, description = "day after the last (UTC, exclusive), e.g. 2026-04-01")
    LocalDate to;

    @Option(names = "--period", defaultValue = "daily", description = "daily or weekly (default ${DEFAULT-VALUE})")
    Period period;

    @Option(names = "--out", description = "the CSV file to write (default: standard output)")
    Path out;

    @Option(names = "--jdbc-url", defaultValue = "${env:BAROMETER_JDBC_URL:-jdbc:postgresql://localhost:5432/barometer}",
            description = "the database (default: BAROMETER_JDBC_URL)")
    String jdbcUrl;

    @Option(names = "--user", defaultValue = "${env:BAROMETER_EXPORT_USER:-barometer_dashboard}",
            description = "a role that reads the published views (default: BAROMETER_EXPORT_USER or barometer_dashboard)")
    String user;

    @Option(names = "--password", defaultValue = "${env:BAROMETER_EXPORT_PASSWORD:-}",
            description = "its password (default: BAROMETER_EXPORT_PASSWORD)")
    String password;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!from.isBefore(to)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--to: " + to + " must be after --from " + from + " (the period is [from, to))");
        }
        long rows;
        if (out == null) {
            Writer stdout = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
            rows = export(stdout);
            stdout.flush();
        } else {
            try (Writer file = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                rows = export(file);
            }
            System.err.printf("%,d rows (%s, %s to %s) written to %s%n", rows, period, from, to, out);
        }
        return 0;
    }

    /** Writes the period's rows, with a header, and returns how many. */
    public long export(Writer target) throws SQLException, IOException {
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, password);
             PreparedStatement query = db.prepareStatement("SELECT * FROM " + period.view
                     + " WHERE bucket_start >= ? AND bucket_start < ? ORDER BY bucket_start, neighbourhood_id")) {
            query.setTimestamp(1, Timestamp.from(from.atStartOfDay(ZoneOffset.UTC).toInstant()));
            query.setTimestamp(2, Timestamp.from(to.atStartOfDay(ZoneOffset.UTC).toInstant()));
            try (ResultSet rs = query.executeQuery()) {
                ResultSetMetaData columns = rs.getMetaData();
                List<String> header = new ArrayList<>();
                for (int c = 1; c <= columns.getColumnCount(); c++) {
                    header.add(columns.getColumnLabel(c));
                }
                CSVPrinter csv = new CSVPrinter(target, CSVFormat.DEFAULT.builder()
                        .setHeader(header.toArray(String[]::new)).setRecordSeparator("\n").get());
                long rows = 0;
                while (rs.next()) {
                    List<Object> record = new ArrayList<>(header.size());
                    for (int c = 1; c <= header.size(); c++) {
                        record.add(cell(rs.getObject(c)));
                    }
                    csv.printRecord(record);
                    rows++;
                }
                csv.flush();
                return rows;
            }
        }
    }

    /** Times as ISO-8601 UTC, withheld-lists joined by ';', NULL as an empty cell. */
    private static Object cell(Object value) throws SQLException {
        if (value instanceof Timestamp time) {
            return time.toInstant().toString();
        }
        if (value instanceof Array array) {
            return String.join(";", (String[]) array.getArray());
        }
        return value;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new OpenDataExport()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }
}
