package org.cohesionbarometer.schemas.registry;

/** An error answered by a schema registry, with Confluent's numeric error code. */
public class SchemaRegistryException extends RuntimeException {
    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(int httpStatus, int errorCode, String message) {
        super(message + " (HTTP " + httpStatus + ", error_code " + errorCode + ")");
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent's error code, e.g. 40401 subject not found, 40403 schema not found, 409 incompatible. */
    public int errorCode() {
        return errorCode;
    }
}
