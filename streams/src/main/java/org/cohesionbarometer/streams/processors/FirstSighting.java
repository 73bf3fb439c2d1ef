package org.cohesionbarometer.streams.processors;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.cohesionbarometer.streams.state.LiveState;

/**
 * Lets through the first sighting of each event id and drops its repeats (client retries,
 * re-imported CSV files). Repeats of one event carry the same Kafka key (its event id, or for a
 * kiosk tap its kiosk), so they meet on one partition.
 * A repeat is the same event sent again: the same event id with the same event time; an id reused
 * with another event time is another event.
 * Ids are remembered for the dedup horizon, in event time; a repeat arriving later than that
 * is counted again, which is why the horizon must exceed the grace period of the windows.
 *
 * <p>The sightings are kept in memory by event-time hour, and written at each commit as one chunk
 * per hour holding the sightings new since the previous commit ({@link LiveState}): one changelog
 * record per hour and commit, not one per signal. An hour not in memory (after a restart, or let go
 * as older than a day) is read back from its chunks when a sighting needs it; its chunks are
 * deleted once the hour is older than the horizon.
 */
public class FirstSighting<V> implements FixedKeyProcessor<String, V, V> {
    private static final long HOUR = Duration.ofHours(1).toMillis();
    /** Hours older than this (behind stream time) are let go from memory, and read back if needed. */
    private static final long KEPT_LIVE = Duration.ofDays(1).toMillis();

    private final String storeName;
    private final long horizonMillis;
    private final Function<V, UUID> eventIdOf;
    private final Map<Long, Hour> hours = new HashMap<>();
    private FixedKeyProcessorContext<String, V> context;
    private LiveState<String, Sightings> chunks;
    private long forgottenBefore = Long.MIN_VALUE;

    public FirstSighting(String storeName, Duration horizon, Function<V, UUID> eventIdOf) {
        this.storeName = storeName;
        this.horizonMillis = horizon.toMillis();
        this.eventIdOf = eventIdOf;
    }

    public static StoreBuilder<LiveState<String, Sightings>> store(String name) {
        // Chunks are written once and read back only when an hour is not in memory: none kept live.
        return LiveState.over(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(),
                Sightings.SERDE), 0);
    }

    @Override
    public void init(FixedKeyProcessorContext<String, V> context) {
        this.context = context;
        this.chunks = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<String, V> record) {
        UUID id = eventIdOf.apply(record.value());
        long time = record.timestamp();
        long hourStart = time - Math.floorMod(time, HOUR);
        Hour hour = hours.computeIfAbsent(hourStart, this::readBack);
        if (!hour.seen.add(new Sighting(id.getMostSignificantBits(), id.getLeastSignificantBits(), time))) {
            return;
        }
        if (hour.open == null || hour.openedAt != chunks.commits()) {
            hour.open = new Sightings();
            hour.openedAt = chunks.commits();
            hour.openKey = chunkKey(hourStart, hour.chunks++);
        }
        hour.open.add(id, time);
        chunks.put(hour.openKey, hour.open);
        forgetOldHours(context.currentStreamTimeMs());
        context.forward(record);
    }

    private Hour readBack(long hourStart) {
        Hour hour = new Hour();
        for (KeyValue<String, Sightings> chunk : chunks.range(chunkKey(hourStart, 0), chunkKey(hourStart, Integer.MAX_VALUE))) {
            chunk.value.forEach(hour.seen::add);
            hour.chunks++;
        }
        return hour;
    }

    /** Once an hour of stream time: deletes the chunks of hours past the horizon, lets go of hours older than a day. */
    private void forgetOldHours(long streamTime) {
        long horizon = streamTime - horizonMillis;
        long before = horizon - Math.floorMod(horizon, HOUR);
        if (before <= forgottenBefore) {
            return;
        }
        for (KeyValue<String, Sightings> chunk : chunks.range(chunkKey(0, 0), chunkKey(before - 1, Integer.MAX_VALUE))) {
            chunks.delete(chunk.key);
        }
        long keptLive = streamTime - KEPT_LIVE;
        hours.entrySet().removeIf(e -> e.getKey() < before
                || e.getKey() < keptLive && e.getValue().openedAt != chunks.commits()); // not while its chunk waits
        forgottenBefore = before;
    }

    private static String chunkKey(long hourStart, int chunk) {
        return String.format("%019d#%010d", Math.max(hourStart, 0), chunk);
    }

    private static final class Hour {
        final Set<Sighting> seen = new HashSet<>();
        int chunks;
        Sightings open;
        String openKey;
        long openedAt = -1;
    }

    private record Sighting(long idHigh, long idLow, long time) {
    }

    /** A chunk of sightings: event id and event time, 24 bytes each. */
    static final class Sightings {
        static final Serde<Sightings> SERDE = Serdes.serdeFrom(
                (topic, chunk) -> chunk == null ? null : chunk.bytes(),
                (topic, bytes) -> bytes == null ? null : Sightings.of(bytes));
        private long[] values = new long[3 * 8];
        private int size;

        void add(UUID id, long time) {
            if (size + 3 > values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = id.getMostSignificantBits();
            values[size++] = id.getLeastSignificantBits();
            values[size++] = time;
        }

        void forEach(java.util.function.Consumer<Sighting> action) {
            for (int i = 0; i < size; i += 3) {
                action.accept(new Sighting(values[i], values[i + 1], values[i + 2]));
            }
        }

        byte[] bytes() {
            ByteBuffer out = ByteBuffer.allocate(size * Long.BYTES);
            out.asLongBuffer().put(values, 0, size);
            return out.array();
        }

        static Sightings of(byte[] bytes) {
            Sightings chunk = new Sightings();
            chunk.values = new long[Math.max(bytes.length / Long.BYTES, 3)];
            ByteBuffer.wrap(bytes).asLongBuffer().get(chunk.values, 0, bytes.length / Long.BYTES);
            chunk.size = bytes.length / Long.BYTES;
            return chunk;
        }
    }
}
