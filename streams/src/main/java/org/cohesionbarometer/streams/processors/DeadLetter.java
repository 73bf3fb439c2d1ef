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
 *
 * @param <T> what arrives: the signal with what is known of it
 * @param <V> the signal as it was sent
 */
public class DeadLetter<T, V> implements FixedKeyProcessor<String, T, byte[]> {
    private final String sourceTopic;
    private final Serializer<V> serializer;
    private final Function<T, V> signalOf;
    private final Function<T, String> reason;
    private FixedKeyProcessorContext<String, byte[]> context;

    public DeadLetter(String sourceTopic, Serializer<V> serializer, Function<T, V> signalOf, Function<T, String> reason) {
        this.sourceTopic = sourceTopic;
        this.serializer = serializer;
        this.signalOf = signalOf;
        this.reason = reason;
    }

    /** A signal that could not be located (or otherwise refused for what it says), with the reason read from it. */
    public static <V> DeadLetter<Located<V>, V> of(String sourceTopic, Serializer<V> serializer, Function<V, String> reason) {
        return new DeadLetter<>(sourceTopic, serializer, Located::signal, located -> reason.apply(located.signal()));
    }

    /** A signal whose event id was first seen with other content. */
    public static <T, V> DeadLetter<FirstSighting.Sighting<T>, V> ofReuse(String sourceTopic, Serializer<V> serializer,
                                                                          Function<T, V> signalOf) {
        return new DeadLetter<>(sourceTopic, serializer, sighting -> signalOf.apply(sighting.signal()),
                sighting -> "event id reused with " + sighting.reuse() // the first line: what the dead letters are counted by
                        + "\n" + sighting.detail() + ". An event id names one event, and the first version counts;"
                        + " this one is not counted. To correct a signal already sent, send the correction under a new"
                        + " event id (a correction cannot take back what was counted).");
    }

    @Override
    public void init(FixedKeyProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, T> record) {
        V signal = signalOf.apply(record.value());
        DeadLetterHeaders.add(record.headers(), reason.apply(record.value()), sourceTopic);
        // For operators (barometer_streams_dead_letters_total); a record replayed after a crash counts again,
        // the exact counts by reason are the data-quality feed's, in the database.
        Metrics.counter("barometer.streams.dead.letters", "topic", sourceTopic).increment();
        context.forward(record.withValue(serializer.serialize(sourceTopic, signal)));
    }
}
