package org.cohesionbarometer.streams.processors;

import io.micrometer.core.instrument.Metrics;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.cohesionbarometer.schemas.DeadLetterHeaders;
import org.cohesionbarometer.streams.window.Located;

/**
 * Turns a signal that cannot be counted into a dead letter: its original bytes (still in the
 * Confluent wire format of its source topic, so it can be read and replayed) with the reason and
 * source topic in headers.
 */
public class DeadLetter<V> implements FixedKeyProcessor<String, Located<V>, byte[]> {
    private final String sourceTopic;
    private final Serializer<V> serializer;
    private final Function<V, String> reason;
    private FixedKeyProcessorContext<String, byte[]> context;

    public DeadLetter(String sourceTopic, Serializer<V> serializer, Function<V, String> reason) {
        this.sourceTopic = sourceTopic;
        this.serializer = serializer;
        this.reason = reason;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, Located<V>> record) {
        DeadLetterHeaders.add(record.headers(), reason.apply(record.value().signal()), sourceTopic);
        // For operators (barometer_streams_dead_letters_total); a record replayed after a crash counts again,
        // the exact counts by reason are the data-quality feed's, in the database.
        Metrics.counter("barometer.streams.dead.letters", "topic", sourceTopic).increment();
        context.forward(record.withValue(serializer.serialize(sourceTopic, record.value().signal())));
    }
}
