package org.cohesionbarometer.schemas;

/**
 * What is wrong with one field of one record: which field, the value given, and why it is refused. The
 * ingest API answers with these (RFC 9457 problem details, per index) and the CSV import reports them.
 */
public record FieldProblem(String field, String value, String reason) {
}
