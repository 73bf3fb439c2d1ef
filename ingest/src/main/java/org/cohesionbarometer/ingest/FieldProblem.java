package org.cohesionbarometer.ingest;

/** What is wrong with one field of one record: which field, the value given, and why it is refused. */
public record FieldProblem(String field, String value, String reason) {
}
