package org.cohesionbarometer.streams.processors;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.cohesionbarometer.schemas.signal.SentimentTap;
import org.cohesionbarometer.streams.state.LiveState;

/**
 * Counts a kiosk's taps at most once per debounce interval (default 5 s, as smiley terminals do),
 * so that one person pressing again and again, or a child drumming on the buttons, counts once.
 * A tap closer than the interval, in event time, to the kiosk's last counted tap is dropped.
 * Taps are keyed by kiosk at ingest, so one kiosk's taps meet on one partition.
 */
public class KioskDebounce implements FixedKeyProcessor<String, SentimentTap, SentimentTap> {
    public static final String STORE = "kiosk-last-counted-tap";

    private final Duration interval;
    private FixedKeyProcessorContext<String, SentimentTap> context;
    private LiveState<String, Long> lastCounted;

    public KioskDebounce(Duration interval) {
        this.interval = interval;
    }

    public static StoreBuilder<LiveState<String, Long>> store() {
        return LiveState.over(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.Long()),
                1_000);
    }

    @Override
    public void init(FixedKeyProcessorContext<String, SentimentTap> context) {
        this.context = context;
        this.lastCounted = context.getStateStore(STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, SentimentTap> record) {
        String kiosk = record.value().getKioskId();
        long at = record.value().getEventTime().toEpochMilli();
        Long last = lastCounted.get(kiosk);
        if (last != null && Math.abs(at - last) < interval.toMillis()) {
            return;
        }
        lastCounted.put(kiosk, last == null ? at : Math.max(last, at));
        context.forward(record);
    }
}
