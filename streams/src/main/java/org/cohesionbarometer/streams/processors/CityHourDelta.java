package org.cohesionbarometer.streams.processors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.cohesionbarometer.schemas.indicator.ActivityGroupCell;
import org.cohesionbarometer.schemas.internal.HourAttendance;
import org.cohesionbarometer.schemas.internal.WindowTally;

/**
 * Feeds each city's day from the neighbourhood-hour windows rather than from every check-in: for
 * each update of a window it sends on what the window's headcount per activity and group grew by
 * since its previous update, stamped with the window's start so that it falls into the right day,
 * and keyed by the city the neighbourhood is registered in ({@link NeighbourhoodCities}), so that
 * each city's day adds up its own neighbourhoods only.
 * The windows' updates arrive once per cache flush, not once per check-in, and are small; the
 * city's day, the topology's largest value, is touched that much less often. The city's figures
 * are then exactly the sum of the neighbourhood hours they are published next to.
 *
 * <p>The last sent state of each window is kept until the window can no longer change
 * (window + grace behind stream time), then forgotten.
 */
public class CityHourDelta implements Processor<Windowed<String>, WindowTally, String, HourAttendance> {
    public static final String STORE = "city-hour-snapshots";

    private final long openMillis;
    private ProcessorContext<String, HourAttendance> context;
    private KeyValueStore<String, HourAttendance> snapshots;
    private KeyValueStore<String, String> cities;

    public CityHourDelta(Duration window, Duration grace) {
        this.openMillis = window.plus(grace).toMillis();
    }

    public static StoreBuilder<KeyValueStore<String, HourAttendance>> store(Serde<HourAttendance> serde) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), serde);
    }

    @Override
    public void init(ProcessorContext<String, HourAttendance> context) {
        this.context = context;
        this.snapshots = context.getStateStore(STORE);
        this.cities = context.getStateStore(NeighbourhoodCities.STORE);
        context.schedule(Duration.ofHours(1), PunctuationType.STREAM_TIME, this::forgetClosedWindows);
    }

    @Override
    public void process(Record<Windowed<String>, WindowTally> record) {
        if (record.value() == null) {
            return;
        }
        long windowStart = record.key().window().start();
        String key = windowStart + "@" + record.key().key();
        Map<String, Long> now = cells(record.value());
        HourAttendance before = snapshots.get(key);
        Map<String, Long> delta = new TreeMap<>(now);
        if (before != null) {
            before.getCells().forEach(c -> delta.merge(c.getActivityId() + "\u0000" + c.getGroupCode(), -c.getHeadcount(), Long::sum));
        }
        delta.values().removeIf(n -> n == 0);
        snapshots.put(key, new HourAttendance(asCells(now)));
        if (!delta.isEmpty()) {
            String city = NeighbourhoodCities.cityOf(cities, record.key().key());
            context.forward(new Record<>(city, new HourAttendance(asCells(delta)), windowStart));
        }
    }

    /** Headcount per activity and group in the window, keyed activity NUL group. */
    private static Map<String, Long> cells(WindowTally tally) {
        Map<String, Long> cells = new TreeMap<>();
        tally.getActivities().forEach((activity, activityTally) -> activityTally.getCounts().getGroupHeadcounts()
                .forEach((group, n) -> cells.merge(activity + "\u0000" + group, n, Long::sum)));
        return cells;
    }

    private static List<ActivityGroupCell> asCells(Map<String, Long> cells) {
        List<ActivityGroupCell> list = new ArrayList<>();
        cells.forEach((key, n) -> {
            int split = key.indexOf('\u0000');
            list.add(new ActivityGroupCell(key.substring(0, split), key.substring(split + 1), n));
        });
        return list;
    }

    private void forgetClosedWindows(long streamTime) {
        List<String> closed = new ArrayList<>();
        try (KeyValueIterator<String, HourAttendance> all = snapshots.all()) {
            while (all.hasNext()) {
                KeyValue<String, HourAttendance> entry = all.next();
                long start = Long.parseLong(entry.key.substring(0, entry.key.indexOf('@')));
                if (start + openMillis <= streamTime) {
                    closed.add(entry.key);
                }
            }
        }
        closed.forEach(snapshots::delete);
    }
}
