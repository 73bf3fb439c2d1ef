package org.cohesionbarometer.streams.processors;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.cohesionbarometer.schemas.reference.Neighbourhood;

/**
 * Which city each neighbourhood belongs to, read from the neighbourhoods' reference topic into a
 * global store on every instance, as {@link ActivityPlaces} keeps the activities' neighbourhoods:
 * the city's day is kept per city, so that two cities served by one deployment never mix.
 */
public final class NeighbourhoodCities {
    static final String STORE = "city-of-neighbourhood";

    /** The city of a neighbourhood that is not (yet) registered: kept apart from every named city. */
    public static final String UNREGISTERED = "";

    public static StoreBuilder<KeyValueStore<String, String>> store() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.String(), Serdes.String())
                .withLoggingDisabled(); // global: the reference topic is its changelog
    }

    /** Keeps the store up to date with the reference topic: a neighbourhood's city, or its removal. */
    public static final class Keeper implements Processor<String, Neighbourhood, Void, Void> {
        private KeyValueStore<String, String> cities;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            cities = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, Neighbourhood> record) {
            if (record.value() == null) {
                cities.delete(record.key());
            } else {
                cities.put(record.key(), record.value().getCity());
            }
        }
    }

    /** The city of a neighbourhood, as the store read in a processor's init knows it. */
    static String cityOf(KeyValueStore<String, String> cities, String neighbourhood) {
        String city = cities.get(neighbourhood);
        return city == null ? UNREGISTERED : city;
    }

    private NeighbourhoodCities() {
    }
}
