package org.cohesionbarometer.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.cohesionbarometer.schemas.FieldProblem;
import org.cohesionbarometer.schemas.ParticipantToken;

/**
 * Reads the fields of one JSON record, collecting a {@link FieldProblem} for every field that is
 * missing, malformed or out of range, so that a client learns everything wrong in one answer.
 * Fields the schema does not have are refused: no name, e-mail or phone number can slip through.
 */
final class RecordReader {
    static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

    private final JsonNode node;
    private final List<FieldProblem> problems = new ArrayList<>();

    RecordReader(JsonNode node, Set<String> knownFields) {
        this.node = node;
        if (node == null || !node.isObject()) {
            problems.add(new FieldProblem("$", node == null ? "" : abbreviate(node.toString()), "a record must be a JSON object"));
            return;
        }
        if (node.size() > RequestLimits.MAX_FIELDS) {
            problems.add(new FieldProblem("$", "(more than " + RequestLimits.MAX_FIELDS + " fields)", "too many fields: a record has at most "
                    + RequestLimits.MAX_FIELDS + "; only " + String.join(", ", knownFields.stream().sorted().toList())
                    + " are accepted"));
            return;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!knownFields.contains(name)) {
                problems.add(new FieldProblem(abbreviate(name), abbreviate(node.get(name).toString()),
                        "unknown field: only " + String.join(", ", knownFields.stream().sorted().toList())
                                + " are accepted (personal data such as names, e-mails or device ids never is)"));
            }
        }
    }

    /** What is wrong with the record, at most {@link RequestLimits#MAX_PROBLEMS_PER_RECORD} and how many more. */
    List<FieldProblem> problems() {
        int most = RequestLimits.MAX_PROBLEMS_PER_RECORD;
        if (problems.size() <= most) {
            return problems;
        }
        List<FieldProblem> listed = new ArrayList<>(problems.subList(0, most));
        listed.add(new FieldProblem("$", "", (problems.size() - most) + " more problems not listed; fix these and send again"));
        return listed;
    }

    boolean isValid() {
        return problems.isEmpty();
    }

    void refuse(String field, String value, String reason) {
        problems.add(new FieldProblem(field, value, reason));
    }

    private JsonNode present(String field) {
        if (!node.isObject()) {
            return null;
        }
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    UUID uuid(String field) {
        JsonNode value = present(field);
        if (value == null) {
            missing(field);
            return null;
        }
        try {
            String text = value.asText();
            UUID id = UUID.fromString(text);
            if (!id.toString().equalsIgnoreCase(text)) {
                throw new IllegalArgumentException();
            }
            return id;
        } catch (IllegalArgumentException e) {
            refuse(field, abbreviate(value.asText()), "not a UUID (expected e.g. 0b7c8a52-3f7e-4a43-9d0e-2a4c1e9f6b11)");
            return null;
        }
    }

    /** A limit as a person reads it: to the minute, in UTC (no seconds, no nanoseconds). */
    private static String readable(Instant limit) {
        return READABLE.format(limit.truncatedTo(java.time.temporal.ChronoUnit.MINUTES)) + " UTC";
    }

    private static final java.time.format.DateTimeFormatter READABLE =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(java.time.ZoneOffset.UTC);

    Instant instant(String field, Instant notBefore, Instant notAfter) {
        JsonNode value = present(field);
        if (value == null) {
            missing(field);
            return null;
        }
        Instant time;
        try {
            time = Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            refuse(field, abbreviate(value.asText()), "not an ISO-8601 UTC time (expected e.g. 2026-03-14T18:30:00Z)");
            return null;
        }
        if (time.isAfter(notAfter)) {
            refuse(field, value.asText(), "in the future: the latest time accepted now is " + readable(notAfter)
                    + " (check the device's clock, or the sheet's time zone)");
            return null;
        }
        if (time.isBefore(notBefore)) {
            refuse(field, value.asText(), "too old: the earliest time accepted now is " + readable(notBefore));
            return null;
        }
        return time;
    }

    String requiredCode(String field) {
        JsonNode value = present(field);
        if (value == null) {
            missing(field);
            return null;
        }
        return code(field, value);
    }

    String optionalCode(String field) {
        JsonNode value = present(field);
        return value == null ? null : code(field, value);
    }

    private String code(String field, JsonNode value) {
        return value.isTextual() ? code(field, value.asText()) : notACode(field, value.asText());
    }

    /** A code that arrives outside the body (a path segment), reported under {@code field}. */
    String code(String field, String value) {
        return CODE.matcher(value).matches() ? value : notACode(field, value);
    }

    private String notACode(String field, String value) {
        refuse(field, abbreviate(value),
                "not a code: 1 to 64 letters, digits, '_', '.', ':' or '-', starting with a letter or digit");
        return null;
    }

    /**
     * A pseudonymous participant token ({@link ParticipantToken}): lowercase hex of at least 128
     * bits, made from a salted hash on the organiser's side. Anything else, a name, an e-mail or a
     * phone number above all, is refused without being echoed, with how to make a valid one.
     */
    String optionalToken(String field) {
        JsonNode value = present(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual() || !ParticipantToken.isValid(value.asText())) {
            refuse(field, "(not echoed)", "not a pseudonymous token: " + ParticipantToken.HOW_TO_MAKE_ONE);
            return null;
        }
        return value.asText();
    }

    /** An optional whole number in [min, max] (64 bits); null when absent or refused. */
    Long optionalWholeNumber(String field, long min, long max) {
        JsonNode value = present(field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
            refuse(field, abbreviate(value.toString()), "out of range: a whole number from " + min + " to " + max);
            return null;
        }
        return value.asLong();
    }

    /** An optional whole number in [min, max]; the fallback when absent or refused. */
    int integer(String field, int fallback, int min, int max) {
        return integer(field, fallback, min, max, false);
    }

    /** A required whole number in [min, max]. */
    int requiredInteger(String field, int min, int max) {
        return integer(field, min - 1, min, max, true);
    }

    private int integer(String field, int fallback, int min, int max, boolean required) {
        JsonNode value = present(field);
        if (value == null) {
            if (required) {
                missing(field);
            }
            return fallback;
        }
        // canConvertToLong: a number beyond 64 bits would otherwise wrap around into the range.
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
            refuse(field, abbreviate(value.toString()), "out of range: a whole number from " + min + " to " + max);
            return fallback;
        }
        return value.asInt();
    }


    <E extends Enum<E>> E enumeration(String field, Class<E> type, E fallback) {
        JsonNode value = present(field);
        if (value == null) {
            return fallback;
        }
        try {
            // "language café", "Language-Cafe" and "LANGUAGE_CAFE" all name LANGUAGE_CAFE.
            String name = java.text.Normalizer.normalize(value.asText().trim(), java.text.Normalizer.Form.NFD)
                    .replaceAll("\\p{M}", "").toUpperCase(java.util.Locale.ROOT).replaceAll("[ -]+", "_");
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            refuse(field, abbreviate(value.asText()), "not one of " + java.util.Arrays.toString(type.getEnumConstants()));
            return fallback;
        }
    }

    private void missing(String field) {
        problems.add(new FieldProblem(field, null, "missing: this field is required"));
    }

    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
