package org.cohesionbarometer.streams;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Lets through the first sighting of each event id and drops its repeats (client retries,
 * re-imported CSV files). Repeats of one event carry the same Kafka key (its event id, or for a
 * kiosk tap its kiosk), so they meet on one partition.
 * A repeat is the same event sent again: the same event id with the same event time (one point
 * lookup, not a scan of the horizon); an id reused with another event time is another event.
 * Ids are remembered for the dedup horizon, in event time; a repeat arriving later than that
 * is counted again, which is why the horizon must exceed the grace period of the windows.
 */
class FirstSighting<V> implements FixedKeyProcessor<String, V, V> {
    private final String storeName;
    private final Duration horizon;
    private final java.util.function.Function<V, String> eventIdOf;
    private FixedKeyProcessorContext<String, V> context;
    private WindowStore<String, Long> seen;

    FirstSighting(String storeName, Duration horizon, java.util.function.Function<V, String> eventIdOf) {
        this.storeName = storeName;
        this.horizon = horizon;
        this.eventIdOf = eventIdOf;
    }

    static StoreBuilder<WindowStore<String, Long>> store(String name, Duration horizon) {
        // Retention must cover the window size; one "window" per sighting, starting at its event time.
        return Stores.windowStoreBuilder(
                Stores.persistentWindowStore(name, horizon.multipliedBy(2), horizon, false),
                Serdes.String(), Serdes.Long());
    }

    @Override
    public void init(FixedKeyProcessorContext<String, V> context) {
        this.context = context;
        this.seen = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<String, V> record) {
        String eventId = eventIdOf.apply(record.value());
        long time = record.timestamp();
        if (seen.fetch(eventId, time) != null) {
            return;
        }
        seen.put(eventId, time, time);
        context.forward(record);
    }
}
