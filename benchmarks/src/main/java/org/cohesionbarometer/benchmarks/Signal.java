package org.cohesionbarometer.benchmarks;

import java.time.Instant;
import java.util.UUID;

/**
 * One signal as a client sends it: a check-in, a mixing contact or a sentiment tap, written as
 * the API's JSON (one NDJSON line) or as a row of the SQL baseline's raw table.
 */
record Signal(Kind kind, UUID eventId, Instant eventTime, String activityId, String kioskId,
              String token, String group, int headcount, String tokenB, String groupB,
              String questionCode, int scale, int level) {

    enum Kind {
        CHECK_IN("v1/check-ins"), CONTACT("v1/mixing-contacts"), TAP("v1/sentiment-taps");

        final String path;

        Kind(String path) {
            this.path = path;
        }
    }

    static Signal checkIn(UUID id, Instant at, String activityId, String token, String group, int headcount) {
        return new Signal(Kind.CHECK_IN, id, at, activityId, null, token, group, headcount, null, null, null, 0, 0);
    }

    static Signal contact(UUID id, Instant at, String activityId, String tokenA, String groupA, String tokenB, String groupB) {
        return new Signal(Kind.CONTACT, id, at, activityId, null, tokenA, groupA, 0, tokenB, groupB, null, 0, 0);
    }

    static Signal tap(UUID id, Instant at, String kioskId, String question, int scale, int level) {
        return new Signal(Kind.TAP, id, at, null, kioskId, null, null, 0, null, null, question, scale, level);
    }

    /** The API's JSON for this signal, on one line. */
    void appendJson(StringBuilder out) {
        out.append("{\"eventId\":\"").append(eventId).append("\",\"eventTime\":\"").append(eventTime).append('"');
        switch (kind) {
            case CHECK_IN -> {
                field(out, "activityId", activityId);
                field(out, "participantToken", token);
                field(out, "groupCode", group);
                out.append(",\"headcount\":").append(headcount);
            }
            case CONTACT -> {
                field(out, "activityId", activityId);
                field(out, "participantTokenA", token);
                field(out, "groupCodeA", group);
                field(out, "participantTokenB", tokenB);
                field(out, "groupCodeB", groupB);
            }
            case TAP -> {
                field(out, "kioskId", kioskId);
                field(out, "questionCode", questionCode);
                out.append(",\"scale\":").append(scale).append(",\"level\":").append(level);
            }
        }
        out.append('}');
    }

    private static void field(StringBuilder out, String name, String value) {
        if (value != null) { // every value the benchmarks make is plain ASCII without quotes
            out.append(",\"").append(name).append("\":\"").append(value).append('"');
        }
    }

    /** A row of the SQL baseline's raw table, as COPY's text format reads it (tab-separated, \N for null). */
    void appendCopyRow(StringBuilder out) {
        out.append(kind.name()).append('\t').append(eventId).append('\t').append(eventTime).append('\t')
                .append(orNull(activityId)).append('\t').append(orNull(kioskId)).append('\t')
                .append(orNull(token)).append('\t').append(orNull(group)).append('\t').append(headcount).append('\t')
                .append(orNull(tokenB)).append('\t').append(orNull(groupB)).append('\t')
                .append(orNull(questionCode)).append('\t').append(scale).append('\t').append(level).append('\n');
    }

    private static String orNull(String value) {
        return value == null ? "\\N" : value;
    }
}
