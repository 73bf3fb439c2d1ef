package org.cohesionbarometer.ingest;

/** Who sent a request, as its bearer token says. */
public sealed interface Caller {
    /** The city's operator: manages reference data and tokens, may write every signal, is not rate-limited. */
    record Admin() implements Caller {
    }

    /** An organiser: may write signals for its own activities and kiosks only. */
    record Organiser(String organiserId, String tokenId) implements Caller {
    }
}
