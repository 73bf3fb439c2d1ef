package org.cohesionbarometer.clients.csv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.cohesionbarometer.schemas.FieldProblem;
import org.cohesionbarometer.schemas.ParticipantToken;

/**
 * A paper sign-in sheet or a ticketing export, as a volunteer saves it from a spreadsheet, read
 * into check-ins for the API.
 *
 * <p>What a spreadsheet may do to a sheet is taken as it comes: a UTF-8 byte-order mark (Excel's
 * "CSV UTF-8"), commas, semicolons (European Excel) or tabs between the columns, header names in
 * any case and with spaces ({@code Event Time}), blank lines. What would lose data is refused once,
 * for the whole sheet, before anything is sent: a column the barometer does not know (its values
 * would be dropped), a required column missing, a column twice.
 *
 * <p>Columns (any order; see docs/csv-template.csv): {@code eventTime}, {@code activityId}, and
 * optionally {@code participantToken}, {@code participant}, {@code groupCode}, {@code headcount},
 * {@code eventId}. A {@code participant} column (also called {@code name} or {@code membership
 * number}) holds what the organiser knows a person by; each value is turned into a participant
 * token with the organiser's secret salt ({@link OrganiserSalt}) before anything is sent, so only
 * the token leaves the machine. A {@code participantToken} must already be a token
 * ({@link ParticipantToken}); anything else is refused here, unsent.
 * Times are ISO-8601 with an offset ({@code 2026-03-14T17:30:00Z}), or local times in the sheet's
 * time zone, with or without a T and seconds ({@code 2026-03-14 18:30}, {@code 2026-03-14T18:30}),
 * or, only when asked for explicitly, in a day-first pattern such as {@code dd.MM.yyyy HH:mm}.
 *
 * <p>Without an {@code eventId} column, each row's id is derived from its content alone (activity,
 * time, token, group, headcount), so importing the sheet again, or a corrected copy with other rows
 * removed or fixed, yields the same ids and counts nothing twice. Two identical rows are one
 * check-in: several people who came together are one row with their {@code headcount}.
 */
public final class SignInSheet {
    /** The columns, by the name the API uses, and whether a sheet must have them. */
    static final Map<String, Boolean> COLUMNS = columns();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendPattern("HH:mm")
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2).optionalEnd()
            .toFormatter(Locale.ROOT);
    private static final char[] DELIMITERS = {',', ';', '\t'};

    /** Other names a spreadsheet may give a column. */
    private static final Map<String, String> ALIASES = Map.of("name", "participant", "membershipnumber", "participant");

    private static Map<String, Boolean> columns() {
        Map<String, Boolean> columns = new LinkedHashMap<>();
        columns.put("eventTime", true);
        columns.put("activityId", true);
        columns.put("participantToken", false);
        columns.put("participant", false);
        columns.put("groupCode", false);
        columns.put("headcount", false);
        columns.put("eventId", false);
        return columns;
    }

    /** A sheet refused whole, before anything was sent: why, in words for a volunteer. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /**
     * A row turned into a JSON check-in, or the reasons it could not be.
     *
     * @param line    the row's line in the file (the header is line 1), as a spreadsheet numbers it
     * @param eventId the check-in's id: the same for the same content, whatever else the sheet holds
     */
    public record Row(long line, String eventId, String json, List<FieldProblem> problems) {
    }

    private final ZoneId zone;
    private final DateTimeFormatter dayFirst;
    private final Function<String, String> tokenOf;

    /** A sheet whose {@code participant} column, if any, cannot be read: it has no salt to hash it with. */
    public SignInSheet(ZoneId zone, String dateFormat) {
        this(zone, dateFormat, null);
    }

    /**
     * @param zone       the zone of the sheet's local times
     * @param dateFormat a pattern for times that are not ISO-8601 (e.g. {@code dd.MM.yyyy HH:mm}), or null
     * @param tokenOf    the organiser's token of a name or membership number ({@link OrganiserSalt#tokenOf}), or null
     */
    public SignInSheet(ZoneId zone, String dateFormat, Function<String, String> tokenOf) {
        this.zone = zone;
        this.dayFirst = dateFormat == null ? null : DateTimeFormatter.ofPattern(dateFormat, Locale.ROOT);
        this.tokenOf = tokenOf;
    }

    /** Reads every row of the sheet; refuses it whole if its header would lose data. */
    public List<Row> read(Reader source) throws IOException, Refused {
        BufferedReader in = new BufferedReader(source);
        in.mark(1);
        if (in.read() != '\uFEFF') {
            in.reset();
        }
        in.mark(64 * 1024);
        String firstLine = in.readLine();
        in.reset();
        if (firstLine == null || firstLine.isBlank()) {
            throw new Refused("The sheet is empty: its first line must name the columns, e.g. "
                    + String.join(",", COLUMNS.keySet()) + " (see docs/csv-template.csv).");
        }
        char delimiter = delimiterOf(firstLine);
        CSVParser parser = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setIgnoreEmptyLines(true)
                .setTrim(true).setIgnoreSurroundingSpaces(true).get().parse(in);
        var records = parser.iterator();
        if (!records.hasNext()) {
            throw new Refused("The sheet is empty.");
        }
        Map<String, Integer> header = header(records.next().toList());
        List<Row> rows = new ArrayList<>();
        while (records.hasNext()) {
            CSVRecord record = records.next();
            // The parser has just read the row's line end: that is the row's line number.
            long line = parser.getCurrentLineNumber();
            if (record.size() == 1 && record.get(0).isEmpty()) {
                continue;
            }
            rows.add(row(line, record, header));
        }
        return rows;
    }

    /** The delimiter that splits the header line into the most columns: comma, semicolon or tab. */
    private static char delimiterOf(String headerLine) {
        char best = ',';
        int most = 0;
        for (char candidate : DELIMITERS) {
            int count = 0;
            boolean quoted = false;
            for (char c : headerLine.toCharArray()) {
                quoted ^= c == '"';
                count += !quoted && c == candidate ? 1 : 0;
            }
            if (count > most) {
                best = candidate;
                most = count;
            }
        }
        return best;
    }

    /** The column positions by their API names; refuses an unknown, missing or repeated column. */
    private static Map<String, Integer> header(List<String> names) throws Refused {
        Map<String, String> byLooseName = new LinkedHashMap<>();
        COLUMNS.keySet().forEach(c -> byLooseName.put(loose(c), c));
        byLooseName.putAll(ALIASES);
        Map<String, Integer> header = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name.isBlank() && i == names.size() - 1) {
                continue; // a trailing delimiter
            }
            String column = byLooseName.get(loose(name));
            if (column == null) {
                throw new Refused("The sheet has a column '" + name + "' that the barometer does not know, so its values"
                        + " would be lost; nothing was imported. The columns may be: " + expected()
                        + ". Rename the column or remove it, then import again.");
            }
            if (header.put(column, i) != null) {
                throw new Refused("The sheet has the column '" + column + "' twice; nothing was imported."
                        + " Keep one of them, then import again.");
            }
        }
        for (var column : COLUMNS.entrySet()) {
            if (column.getValue() && !header.containsKey(column.getKey())) {
                throw new Refused("The sheet has no '" + column.getKey() + "' column (its columns are "
                        + String.join(", ", names) + "); nothing was imported. The columns may be: " + expected() + ".");
            }
        }
        return header;
    }

    private static String expected() {
        List<String> required = new ArrayList<>();
        List<String> optional = new ArrayList<>();
        COLUMNS.forEach((name, isRequired) -> (isRequired ? required : optional).add(name));
        return String.join(", ", required) + " and, optionally, " + String.join(", ", optional)
                + " (any case; spaces, '-' and '_' ignored)";
    }

    /** A header name with case, spaces, dashes and underscores ignored: "Event Time" = "event_time" = "eventTime". */
    private static String loose(String name) {
        return name.replaceAll("[\\s_\\-]", "").toLowerCase(Locale.ROOT);
    }

    private Row row(long line, CSVRecord record, Map<String, Integer> header) {
        List<FieldProblem> problems = new ArrayList<>();
        ObjectNode checkIn = JSON.createObjectNode();
        String time = value(record, header, "eventTime");
        if (time == null) {
            problems.add(new FieldProblem("eventTime", "", "missing: when did the person check in?"));
        } else {
            try {
                checkIn.put("eventTime", instant(time).toString());
            } catch (DateTimeParseException e) {
                problems.add(new FieldProblem("eventTime", time, "not a time the barometer reads: write '2026-03-14 18:30'"
                        + " (local time in " + zone + ") or 2026-03-14T17:30:00Z"
                        + (dayFirst == null ? "; for day-first dates such as 14.03.2026 18:30 use --date-format 'dd.MM.yyyy HH:mm'"
                                : " or as --date-format says")));
            }
        }
        String activity = value(record, header, "activityId");
        if (activity == null) {
            problems.add(new FieldProblem("activityId", "", "missing: which activity was it?"));
        }
        String token = participantToken(record, header, problems);
        if (token != null) {
            checkIn.put("participantToken", token);
        }
        for (String column : List.of("activityId", "groupCode")) {
            String value = value(record, header, column);
            if (value != null) {
                checkIn.put(column, value);
            }
        }
        String headcount = value(record, header, "headcount");
        if (headcount != null) {
            try {
                checkIn.put("headcount", Integer.parseInt(headcount));
            } catch (NumberFormatException e) {
                problems.add(new FieldProblem("headcount", headcount, "not a whole number: how many people came together?"));
            }
        }
        if (!problems.isEmpty()) {
            return new Row(line, null, null, problems);
        }
        String eventId = value(record, header, "eventId");
        if (eventId == null) {
            eventId = UUID.nameUUIDFromBytes(("sign-in sheet|" + checkIn.path("activityId").asText()
                    + "|" + checkIn.path("eventTime").asText() + "|" + checkIn.path("participantToken").asText()
                    + "|" + checkIn.path("groupCode").asText() + "|" + checkIn.path("headcount").asInt(1))
                    .getBytes(StandardCharsets.UTF_8)).toString();
        }
        checkIn.put("eventId", eventId);
        checkIn.put("source", "CSV");
        return new Row(line, eventId, checkIn.toString(), List.of());
    }

    /**
     * The row's participant token: the sheet's own, if it is one, or the hash of its participant
     * with the organiser's salt. A name or number in the token column is refused without being sent.
     */
    private String participantToken(CSVRecord record, Map<String, Integer> header, List<FieldProblem> problems) {
        String token = value(record, header, "participantToken");
        String participant = value(record, header, "participant");
        if (token != null && participant != null) {
            problems.add(new FieldProblem("participant", "(not sent)", "both a participant and a participantToken:"
                    + " fill in one of them"));
            return null;
        }
        if (token != null && !ParticipantToken.isValid(token)) {
            problems.add(new FieldProblem("participantToken", "(not sent)", "not a pseudonymous token, so it was not sent: "
                    + ParticipantToken.HOW_TO_MAKE_ONE + ". Put names or membership numbers in a 'participant' column"
                    + " instead: import-csv turns them into tokens with your secret salt"));
            return null;
        }
        if (participant != null) {
            if (tokenOf == null) {
                throw new IllegalStateException("a sheet with a participant column needs the organiser's salt");
            }
            return tokenOf.apply(participant);
        }
        return token;
    }

    private Instant instant(String time) {
        try {
            return OffsetDateTime.parse(time).toInstant();
        } catch (DateTimeParseException notWithAnOffset) {
            try {
                return LocalDateTime.parse(time, LOCAL).atZone(zone).toInstant();
            } catch (DateTimeParseException notIso) {
                if (dayFirst == null) {
                    throw notIso;
                }
                return LocalDateTime.parse(time, dayFirst).atZone(zone).toInstant();
            }
        }
    }

    private static String value(CSVRecord record, Map<String, Integer> header, String column) {
        Integer at = header.get(column);
        if (at == null || at >= record.size()) {
            return null;
        }
        String value = record.get(at).trim();
        return value.isEmpty() ? null : value;
    }
}
