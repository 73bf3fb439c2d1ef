package org.cohesionbarometer.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem detail ({@code application/problem+json}). {@code errors} lists every field
 * problem of a single record; {@code rejected} lists, by index, the records a bulk request refused,
 * and {@code stored} the event ids it stored.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail,
                      List<FieldProblem> errors, List<Rejected> rejected, List<String> stored) {
    public static final String CONTENT_TYPE = "application/problem+json";
    private static final String TYPES = "https://cohesion-barometer.org/problems/";

    /** One refused record of a bulk request. */
    public record Rejected(int index, List<FieldProblem> errors) {
    }

    public static Problem invalidRecord(List<FieldProblem> errors) {
        return new Problem(TYPES + "invalid-record", "The record is invalid", 422,
                errors.size() + " field(s) refused; nothing was stored", errors, null, null);
    }

    public static Problem partlyStored(List<Rejected> rejected, List<String> stored) {
        return new Problem(TYPES + "records-rejected", "Some records were rejected", 422,
                rejected.size() + " record(s) rejected, " + stored.size() + " stored", null, rejected, stored);
    }

    public static Problem malformed(String detail) {
        return new Problem(TYPES + "malformed-body", "The request body cannot be read", 400, detail, null, null, null);
    }

    public static Problem tooLarge(String detail) {
        return new Problem(TYPES + "too-many-records", "Too many records in one request", 413, detail, null, null, null);
    }

    public static Problem kafkaUnavailable(String detail) {
        return new Problem(TYPES + "temporarily-unavailable", "Signals cannot be stored right now", 503,
                detail + " Nothing from this request was acknowledged; retry it with the same event ids.", null, null, null);
    }

    public static Problem unauthorized(String detail) {
        return new Problem(TYPES + "unauthorized", "Missing or unknown token", 401, detail, null, null, null);
    }

    public static Problem notFound(String detail) {
        return new Problem(TYPES + "not-found", "Not found", 404, detail, null, null, null);
    }
}
