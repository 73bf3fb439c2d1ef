package org.cohesionbarometer.streams.processors;

import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.cohesionbarometer.schemas.reference.Activity;
import org.cohesionbarometer.streams.window.Located;

/**
 * Which neighbourhood each activity takes place in, read from the activities' reference topic
 * into a global store on every instance: all a check-in or a contact needs to be located. Only
 * the neighbourhood's id is kept, so locating a signal reads a short string, not a whole
 * {@link Activity} record (a global table would deserialize one for every signal: 5% of the stream
 * thread, measured). On start the store is rebuilt by reading the topic through {@link Keeper}.
 */
public final class ActivityPlaces {
    static final String STORE = "neighbourhood-of-activity";

    public static StoreBuilder<KeyValueStore<String, String>> store() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.String(), Serdes.String())
                .withLoggingDisabled(); // global: the reference topic is its changelog
    }

    /** Keeps the store up to date with the reference topic: an activity's neighbourhood, or its removal. */
    public static final class Keeper implements Processor<String, Activity, Void, Void> {
        private KeyValueStore<String, String> places;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            places = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, Activity> record) {
            if (record.value() == null) {
                places.delete(record.key());
            } else {
                places.put(record.key(), record.value().getNeighbourhoodId());
            }
        }
    }

    /** Locates a signal in the neighbourhood of its activity (unknown activity: no neighbourhood). */
    public static final class Locate<V> implements FixedKeyProcessor<String, V, Located<V>> {
        private final Function<V, String> activityOf;
        private FixedKeyProcessorContext<String, Located<V>> context;
        private KeyValueStore<String, String> places;

        public Locate(Function<V, String> activityOf) {
            this.activityOf = activityOf;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, Located<V>> context) {
            this.context = context;
            this.places = context.getStateStore(STORE);
        }

        @Override
        public void process(FixedKeyRecord<String, V> record) {
            String activity = activityOf.apply(record.value());
            context.forward(record.withValue(new Located<>(activity == null ? null : places.get(activity), activity,
                    record.value())));
        }
    }

    private ActivityPlaces() {
    }
}
