package org.cohesionbarometer.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The headers of a record on {@link Topics#DEAD_LETTERS}: why it could not be processed and the
 * topic it came from. The streams stage and the sink write them, the data-quality feed reads them;
 * records Kafka Streams dead-letters itself (undecodable signals) carry Kafka Streams' own names,
 * which the readers here fall back to.
 */
public final class DeadLetterHeaders {
    public static final String REASON = "barometer.dead-letter.reason";
    public static final String SOURCE_TOPIC = "barometer.dead-letter.source-topic";
    /** Kafka Streams' dead-letter queue (KIP-1034) names the exception and the source topic so. */
    static final String STREAMS_EXCEPTION = "__streams.errors.exception";
    static final String STREAMS_TOPIC = "__streams.errors.topic";

    /** Adds the reason and the source topic to a record about to be dead-lettered. */
    public static void add(Headers headers, String reason, String sourceTopic) {
        headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_TOPIC, sourceTopic.getBytes(StandardCharsets.UTF_8));
    }

    /** Why the record was dead-lettered, by the barometer or by Kafka Streams; "unknown" when neither says. */
    public static String reason(Headers headers) {
        return first(headers, REASON, STREAMS_EXCEPTION);
    }

    /** The topic the record came from; "unknown" when no header says. */
    public static String sourceTopic(Headers headers) {
        return first(headers, SOURCE_TOPIC, STREAMS_TOPIC);
    }

    private static String first(Headers headers, String... names) {
        for (String name : names) {
            Header header = headers.lastHeader(name);
            if (header != null && header.value() != null) {
                return new String(header.value(), StandardCharsets.UTF_8);
            }
        }
        return "unknown";
    }

    private DeadLetterHeaders() {
    }
}
