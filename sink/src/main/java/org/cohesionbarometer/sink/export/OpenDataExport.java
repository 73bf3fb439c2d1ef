package org.cohesionbarometer.sink.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.cohesionbarometer.schemas.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code export}: the published, small-cell-suppressed neighbourhood figures of a period as CSV,
 * for a city's open-data portal, with a data dictionary beside it (CSV on the Web metadata,
 * {@code <file>-metadata.json}: each column's unit, meaning and when it is withheld, k, the source).
 * It reads only the published views, so it runs with the dashboards' read-only role; a withheld
 * value is an empty cell, and the {@code withheld} column names what was withheld. Every day or
 * week that overlaps the range is exported (a week that began before {@code --from} included), and
 * the command says which.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export published (suppressed) daily or weekly neighbourhood figures to CSV, with a data dictionary.")
public final class OpenDataExport implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The buckets that may be exported, each a published view. */
    public enum Period {
        daily("published_open_data_daily", "day", 1),
        weekly("published_open_data_weekly", "week", 7);

        final String view;
        final String noun;
        final int days;

        Period(String view, String noun, int days) {
            this.view = view;
            this.noun = noun;
            this.days = days;
        }
    }

    @Option(names = "--from", required = true, description = "first day (UTC), e.g. 2026-03-01")
    LocalDate from;

    @Option(names = "--to", required = true, description = "day after the last (UTC, exclusive), e.g. 2026-04-01")
    LocalDate to;

    @Option(names = "--period", defaultValue = "daily", description = "daily or weekly (default ${DEFAULT-VALUE})")
    Period period;

    @Option(names = "--out", description = "the CSV file to write; its data dictionary goes beside it as"
            + " <file>-metadata.json (default: standard output, without a dictionary)")
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

    /** What was exported: how many rows, and the first and last period's start (null without rows). */
    public record Exported(long rows, Instant first, Instant last) {
    }

    @Override
    public Integer call() throws Exception {
        if (!from.isBefore(to)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--to: " + to + " must be after --from " + from + " (the period is [from, to))");
        }
        try {
            Exported exported;
            if (out == null) {
                Writer stdout = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
                exported = export(stdout);
                stdout.flush();
            } else {
                exported = exportTo(out);
            }
            System.err.println(describe(exported));
            return 0;
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.startsWith("28")) {
                System.err.println("The database at " + jdbcUrl + " refused the login of '" + user + "' (" + e.getMessage()
                        + "). Give the read-only role's password with --password or BAROMETER_EXPORT_PASSWORD;"
                        + " the embedded run keeps it in .barometer/dashboard-password.");
                return ExitCode.REFUSED;
            }
            if (state.startsWith("08")) {
                System.err.println("Cannot reach the database at " + jdbcUrl + " (" + e.getMessage() + "). Give its address"
                        + " with --jdbc-url or BAROMETER_JDBC_URL; the embedded run prints its JDBC URL when it starts.");
                return ExitCode.UNREACHABLE;
            }
            throw e;
        }
    }

    /**
     * Writes the CSV and its data dictionary beside it; nothing is left behind if the export fails
     * (the CSV is written to a temporary file first and moved into place at the end).
     */
    public Exported exportTo(Path csv) throws SQLException, IOException {
        Path directory = csv.toAbsolutePath().getParent();
        Path partial = Files.createTempFile(directory, csv.getFileName().toString(), ".partial");
        try {
            Exported exported;
            try (Writer file = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                exported = export(file);
            }
            Files.writeString(dictionaryOf(csv), JSON.writeValueAsString(dictionary(csv, exported)), StandardCharsets.UTF_8);
            Files.move(partial, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return exported;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** The data dictionary's path: CSV on the Web's convention, the CSV's name followed by -metadata.json. */
    public static Path dictionaryOf(Path csv) {
        return csv.resolveSibling(csv.getFileName() + "-metadata.json");
    }

    /** Writes the rows of every period overlapping [from, to), with a header, and says what it wrote. */
    public Exported export(Writer target) throws SQLException, IOException {
        List<String> names = OpenDataColumns.ALL.stream().map(OpenDataColumns.Column::name).toList();
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, password);
             PreparedStatement query = db.prepareStatement("SELECT " + String.join(", ", names) + " FROM " + period.view
                     + " WHERE bucket_start < ? AND bucket_end > ? ORDER BY bucket_start, neighbourhood_id")) {
            query.setTimestamp(1, Timestamp.from(start(to)));
            query.setTimestamp(2, Timestamp.from(start(from)));
            try (ResultSet rs = query.executeQuery()) {
                CSVPrinter csv = new CSVPrinter(target, CSVFormat.DEFAULT.builder()
                        .setHeader(names.toArray(String[]::new)).setRecordSeparator("\n").get());
                long rows = 0;
                Instant first = null;
                Instant last = null;
                while (rs.next()) {
                    List<Object> record = new ArrayList<>(names.size());
                    for (int c = 0; c < names.size(); c++) {
                        record.add(cell(rs.getObject(c + 1), OpenDataColumns.ALL.get(c)));
                    }
                    csv.printRecord(record);
                    Instant bucket = rs.getTimestamp("bucket_start").toInstant();
                    first = first == null ? bucket : first;
                    last = bucket;
                    rows++;
                }
                csv.flush();
                return new Exported(rows, first, last);
            }
        }
    }

    private static Instant start(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** What was written, in a sentence: which periods, and that they are all those overlapping the range. */
    String describe(Exported exported) {
        String range = from + " to " + to.minusDays(1);
        String where = out == null ? "" : " to " + out + " (data dictionary: " + dictionaryOf(out).getFileName() + ")";
        if (exported.rows() == 0) {
            return "0 rows" + where + ": no published " + period.noun + " overlaps " + range
                    + ". Check the dates, and that the barometer has data for them.";
        }
        return String.format("%,d rows%s: %ss starting %s to %s, every %s that overlaps %s", exported.rows(), where,
                period.noun, day(exported.first()), day(exported.last()), period.noun, range);
    }

    private static String day(Instant instant) {
        return instant.atZone(ZoneOffset.UTC).toLocalDate().toString();
    }

    /** The data dictionary in CSV on the Web's metadata vocabulary (W3C, 2015), which portals read. */
    private ObjectNode dictionary(Path csv, Exported exported) {
        ObjectNode meta = JSON.createObjectNode();
        meta.put("@context", "http://www.w3.org/ns/csvw");
        meta.put("url", csv.getFileName().toString());
        meta.put("dc:title", "Community cohesion barometer: " + period + " neighbourhood figures, " + from + " to " + to.minusDays(1));
        meta.put("dc:description", "Per neighbourhood and " + period.noun + ": attendance, diversity of attendance, mixing"
                + " between background groups, sentiment and the composite cohesion index, from check-ins, mixing contacts"
                + " and kiosk taps at the city's intercultural activities. Indicators are proxies, not a survey. Every "
                + period.noun + " that overlaps the range is included" + (exported.first() == null ? ""
                : " (" + period.noun + "s starting " + day(exported.first()) + " to " + day(exported.last()) + ")")
                + ". Privacy: a value resting on fewer than k people, contacts or taps (the k column) is withheld: the"
                + " cell is empty and the withheld column names it. Participants are never named; figures are counts of"
                + " visits, so a person who came twice counts twice. Formulas: docs/methods.md of the barometer.");
        meta.put("dc:source", "Community cohesion barometer, view " + period.view + " (published, suppressed figures)");
        meta.put("dc:created", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        if (exported.first() != null) {
            meta.put("dc:temporal", exported.first() + "/" + exported.last().plus(java.time.Duration.ofDays(period.days)));
        }
        ObjectNode schema = meta.putObject("tableSchema");
        ArrayNode columns = schema.putArray("columns");
        for (OpenDataColumns.Column column : OpenDataColumns.ALL) {
            ObjectNode c = columns.addObject();
            c.put("name", column.name());
            c.put("titles", column.name());
            c.put("datatype", column.datatype());
            c.put("dc:description", column.description()
                    + (column.unit().isEmpty() ? "" : " Unit: " + column.unit() + ".")
                    + (column.withheldAs() == null ? "" : " Empty when withheld as '" + column.withheldAs() + "'."));
            c.put("null", "");
        }
        schema.putArray("primaryKey").add("neighbourhood_id").add("bucket_start");
        return meta;
    }

    /** Times as ISO-8601 UTC, withheld lists joined by ';', decimals rounded as published, NULL as an empty cell. */
    private static Object cell(Object value, OpenDataColumns.Column column) throws SQLException {
        if (value instanceof Timestamp time) {
            return time.toInstant().toString();
        }
        if (value instanceof Array array) {
            return String.join(";", (String[]) array.getArray());
        }
        if (value instanceof Double number && column.decimals() >= 0) {
            return BigDecimal.valueOf(number).setScale(column.decimals(), RoundingMode.HALF_UP).toPlainString();
        }
        return value;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new OpenDataExport()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }
}
