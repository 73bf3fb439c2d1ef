package org.cohesionbarometer.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of a request body, parsed as the body arrives instead of as one text and one tree:
 * whatever a body holds, the server keeps at most the records a request may carry, each of at most
 * {@link RequestLimits#MAX_FIELDS} + 1 fields of scalar values. Past those, the parser only counts
 * or skips: a record of a million fields, a field holding a million-element array or an array of
 * millions of records costs the server no more memory than an ordinary request. No field of any
 * record holds an array or an object, so such a value is kept only as a placeholder, which the
 * record's reader refuses as the wrong type.
 */
final class BodyRecords {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** More records than a request may carry: reading stopped there. */
    static final class TooMany extends Exception {
        TooMany(int maxRecords) {
            super("At most " + maxRecords + " records per request; split the upload. Nothing from this request was stored.");
        }
    }

    /** The records of a body, and whether it was a bulk (an array or NDJSON) rather than one record. */
    record Read(List<JsonNode> records, boolean isBulk) {
    }

    /**
     * One JSON value (a record, or an array of at most {@code maxRecords} records); null when the
     * body holds no JSON value at all.
     */
    static Read json(InputStream body, int maxRecords) throws IOException, TooMany {
        try (JsonParser parser = RequestLimits.JSON.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            if (first != JsonToken.START_ARRAY) {
                return new Read(List.of(value(parser, first)), false);
            }
            List<JsonNode> records = new ArrayList<>();
            for (JsonToken token; (token = parser.nextToken()) != JsonToken.END_ARRAY; ) {
                if (token == null) {
                    throw new com.fasterxml.jackson.core.JsonParseException(parser, "the array is not closed: ']' is missing");
                }
                if (records.size() >= maxRecords) {
                    throw new TooMany(maxRecords);
                }
                records.add(value(parser, token));
            }
            return new Read(records, true);
        }
    }

    /**
     * NDJSON: a record per line, at most {@code maxRecords}; a line that is not JSON becomes a text
     * saying so (refused as a record, the other lines stored).
     */
    static Read ndjson(InputStream body, int maxRecords) throws IOException, TooMany {
        List<JsonNode> records = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int lineNumber = 0;
        for (int n; (n = body.read(buffer)) != -1; ) {
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    addLine(line.toByteArray(), ++lineNumber, records, maxRecords);
                    line.reset();
                } else {
                    line.write(buffer[i]);
                }
            }
        }
        addLine(line.toByteArray(), ++lineNumber, records, maxRecords);
        return new Read(records, true);
    }

    private static void addLine(byte[] line, int number, List<JsonNode> records, int maxRecords) throws IOException, TooMany {
        JsonNode record;
        try (JsonParser parser = RequestLimits.JSON.createParser(line)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return; // a blank line
            }
            record = value(parser, first);
        } catch (JsonProcessingException e) {
            record = NODES.textNode("line " + number + " is not JSON: " + RecordReader.abbreviate(String.valueOf(e.getOriginalMessage())));
        }
        if (records.size() >= maxRecords) {
            throw new TooMany(maxRecords);
        }
        records.add(record);
    }

    /** The value at the parser's current token: a record read field by field, a placeholder for an array, or a scalar. */
    private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> record(parser);
            case START_ARRAY -> skipped(parser, "(a JSON array)");
            case VALUE_NULL -> NullNode.getInstance();
            default -> RequestLimits.JSON.readTree(parser);
        };
    }

    /** A record: its first MAX_FIELDS + 1 fields (enough to say there are too many); the rest only read past. */
    private static JsonNode record(JsonParser parser) throws IOException {
        ObjectNode record = NODES.objectNode();
        for (JsonToken token; (token = parser.nextToken()) == JsonToken.FIELD_NAME; ) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (record.size() > RequestLimits.MAX_FIELDS) {
                parser.skipChildren();
            } else if (value == JsonToken.START_OBJECT) {
                record.set(name, skipped(parser, "(a JSON object)"));
            } else if (value == JsonToken.START_ARRAY) {
                record.set(name, skipped(parser, "(a JSON array)"));
            } else {
                record.set(name, value == JsonToken.VALUE_NULL ? NullNode.getInstance() : RequestLimits.JSON.readTree(parser));
            }
        }
        return record;
    }

    private static JsonNode skipped(JsonParser parser, String placeholder) throws IOException {
        parser.skipChildren();
        return NODES.textNode(placeholder);
    }

    private BodyRecords() {
    }
}
