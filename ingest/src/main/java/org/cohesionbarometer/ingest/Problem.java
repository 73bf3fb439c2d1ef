package org.cohesionbarometer.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.cohesionbarometer.schemas.FieldProblem;

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

    /** What the refusals metric calls this problem: its type's last word, or its status. */
    String reason() {
        return type.startsWith(TYPES) ? type.substring(TYPES.length()) : "status-" + status;
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

    public static Problem tokenRevoked() {
        return new Problem(TYPES + "token-revoked", "Revoked token", 401,
                "This token was revoked by the city's admin; ask the admin for a new one. Nothing was stored.",
                null, null, null);
    }

    public static Problem forbidden(List<FieldProblem> errors) {
        return new Problem(TYPES + "forbidden", "Not your organiser's activity or kiosk", 403,
                "Your token may write only to the activities and kiosks of its own organiser; nothing was stored",
                errors, null, null);
    }

    public static Problem forbiddenBulk(List<Rejected> rejected) {
        return new Problem(TYPES + "forbidden", "Not your organiser's activities or kiosks", 403,
                "Every record names an activity or kiosk of another organiser; nothing was stored",
                null, rejected, List.of());
    }

    public static Problem adminOnly(String detail) {
        return new Problem(TYPES + "forbidden", "Only the city's admin may do this", 403, detail, null, null, null);
    }

    public static Problem rateLimited(long perMinute, long retryAfterSeconds) {
        return new Problem(TYPES + "rate-limited", "Too many requests for this token", 429,
                "This token may send " + perMinute + " requests per minute; retry after " + retryAfterSeconds
                        + " s. Nothing from this request was stored. Bulk requests (a JSON array or NDJSON) carry up to "
                        + "thousands of records in one request.", null, null, null);
    }

    public static Problem tooManyFailedAuthentications(int perMinute, long retryAfterSeconds) {
        return new Problem(TYPES + "too-many-failed-authentications", "Too many failed authentications", 429,
                "More than " + perMinute + " requests from your address a minute carried a wrong, unknown or revoked token;"
                        + " retry after " + retryAfterSeconds + " s with a valid one. Nothing from this request was stored.",
                null, null, null);
    }

    public static Problem unsupportedMediaType(String contentType) {
        return new Problem(TYPES + "unsupported-media-type", "Send JSON or NDJSON", 415,
                "The body must be application/json (one record or an array) or application/x-ndjson (a record per line), not "
                        + (contentType == null || contentType.isBlank() ? "a body without a Content-Type"
                        : RecordReader.abbreviate(contentType)) + ". Nothing was stored.", null, null, null);
    }

    public static Problem bodyTooLarge(String detail) {
        return new Problem(TYPES + "body-too-large", "The request body is too large", 413, detail, null, null, null);
    }

    /** A refusal the HTTP layer makes before the API sees the request (Jetty, Javalin), as a problem. */
    public static Problem ofStatus(int status, String detail) {
        String title = switch (status) {
            case 400 -> "Bad request";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 413 -> "The request body is too large";
            case 414 -> "The request line is too long";
            case 431 -> "The request headers are too large";
            default -> status >= 500 ? "Internal error" : "Request refused";
        };
        return new Problem("about:blank", title, status, detail, null, null, null);
    }

    public static Problem notFound(String detail) {
        return new Problem(TYPES + "not-found", "Not found", 404, detail, null, null, null);
    }
}
