package org.cohesionbarometer.schemas;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * When the ingest API accepted a signal, as a header of its record (ISO-8601 UTC, readable in
 * kcat). A signal's record timestamp is its event time, so that Kafka's time index and retention
 * follow event time; a kiosk uploading yesterday's buffered taps today sends records stamped
 * yesterday. Pipeline health (arrivals per hour, a kiosk's last signal, the silent-kiosk alert)
 * asks when signals arrived, and reads this header.
 */
public final class AcceptedAt {
    public static final String HEADER = "barometer.accepted-at";

    public static void add(Headers headers, Instant accepted) {
        headers.add(HEADER, accepted.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** When the record's signal was accepted, if a producer said so (producers outside the API may not). */
    public static Optional<Instant> of(Headers headers) {
        Header header = headers.lastHeader(HEADER);
        if (header == null || header.value() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(new String(header.value(), StandardCharsets.UTF_8)));
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private AcceptedAt() {
    }
}
