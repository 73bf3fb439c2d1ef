package org.cohesionbarometer.operations;

import java.util.Optional;

/** One condition a service needs to do its job; readiness is false while any check finds a problem. */
@FunctionalInterface
public interface Check {
    /** What is wrong, in a few words (e.g. "Kafka at kafka:9092 does not answer"), or empty when all is well. */
    Optional<String> problem();
}
