package org.cohesionbarometer.ingest.csv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.commons.csv.CSVRecord;
import org.cohesionbarometer.ingest.FieldProblem;

/**
 * One row of a paper sign-in sheet or a ticketing export, turned into a check-in for the API.
 *
 * <p>Columns (header names, any order; see docs/csv-template.csv): {@code eventTime} (ISO-8601
 * UTC, or local "yyyy-MM-dd HH:mm" in the sheet's time zone), {@code activityId}, and optionally
 * {@code participantToken}, {@code groupCode}, {@code headcount}, {@code eventId}. Without an
 * {@code eventId} column, each row's id is derived from the activity, the row's number and its
 * content, so importing the same file again yields the same ids and counts nothing twice.
 */
public final class SignInSheet {
    static final Set<String> COLUMNS = Set.of("eventId", "eventTime", "activityId", "participantToken", "groupCode", "headcount");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /** A row turned into a JSON check-in, or the reason it could not be. */
    public record Row(long number, String json, List<FieldProblem> problems) {
    }

    private final ZoneId zone;

    public SignInSheet(ZoneId zone) {
        this.zone = zone;
    }

    public Row read(CSVRecord record) {
        ObjectNode checkIn = JSON.createObjectNode();
        String time = value(record, "eventTime");
        if (time != null) {
            try {
                checkIn.put("eventTime", time.contains("T") ? time
                        : LocalDateTime.parse(time, LOCAL).atZone(zone).toInstant().toString());
            } catch (DateTimeParseException e) {
                return new Row(record.getRecordNumber(), null, List.of(new FieldProblem("eventTime", time,
                        "not a time: use 2026-03-14T18:30:00Z or '2026-03-14 19:30' (local time in " + zone + ")")));
            }
        }
        for (String column : List.of("activityId", "participantToken", "groupCode")) {
            String value = value(record, column);
            if (value != null) {
                checkIn.put(column, value);
            }
        }
        String headcount = value(record, "headcount");
        if (headcount != null) {
            try {
                checkIn.put("headcount", Integer.parseInt(headcount));
            } catch (NumberFormatException e) {
                return new Row(record.getRecordNumber(), null, List.of(new FieldProblem("headcount", headcount,
                        "not a whole number")));
            }
        }
        String eventId = value(record, "eventId");
        checkIn.put("eventId", eventId != null ? eventId : UUID.nameUUIDFromBytes(
                (record.getRecordNumber() + "|" + String.join("|", record.toList())).getBytes(StandardCharsets.UTF_8)).toString());
        checkIn.put("source", "CSV");
        return new Row(record.getRecordNumber(), checkIn.toString(), List.of());
    }

    private static String value(CSVRecord record, String column) {
        if (!record.isMapped(column) || !record.isSet(column)) {
            return null;
        }
        String value = record.get(column).trim();
        return value.isEmpty() ? null : value;
    }
}
