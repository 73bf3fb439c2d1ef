package org.cohesionbarometer.streams.processors;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.cohesionbarometer.streams.state.LiveState;

/**
 * Lets through the first sighting of each event id; drops its repeats (client retries, re-imported
 * CSV files) and holds back a reuse of the id for other content. An event id names one event: the
 * first version seen counts, a repeat of it is dropped, and a signal under the same id with other
 * content (another event time, activity, group, headcount...) is not counted either but handed on
 * as a {@link Sighting#reuse reuse}, for the topology to make a dead letter that says what differed.
 * Signals with one id meet here when they carry the same Kafka key ({@code SignalKey}: the event id,
 * a participant's token or a kiosk), so they land on one partition.
 * Ids are remembered for the dedup horizon, in event time; a repeat arriving later than that
 * is counted again, which is why the horizon must exceed the grace period of the windows.
 *
 * <p>Each id is remembered under itself with its event time and a hash of its content, in a
 * second store ({@code <store>-by-id}, read once per signal), so a reuse is found whatever its
 * event time.
 * <p>The sightings are kept in memory by event-time hour, and written at each commit as one chunk
 * per hour holding the sightings new since the previous commit ({@link LiveState}): one changelog
 * record per hour and commit, not one per signal. An hour not in memory (after a restart, or let go
 * as older than a day) is read back from its chunks when a sighting needs it; its chunks are
 * deleted once the hour is older than the horizon.
 */
public class FirstSighting<V> implements FixedKeyProcessor<String, V, FirstSighting.Sighting<V>> {
    private static final long HOUR = Duration.ofHours(1).toMillis();
    /** Hours older than this (behind stream time) are let go from memory, and read back if needed. */
    private static final long KEPT_LIVE = Duration.ofDays(1).toMillis();

    private final String storeName;
    private final long horizonMillis;
    private final Function<V, UUID> eventIdOf;
    private final Function<V, ? extends SpecificRecord> signalOf;
    private final Map<Long, Hour> hours = new HashMap<>();
    private FixedKeyProcessorContext<String, Sighting<V>> context;
    private LiveState<String, Sightings> chunks;
    private LiveState<Bytes, byte[]> ids;
    private long forgottenBefore = Long.MIN_VALUE;

    /**
     * @param signalOf the signal as it was sent, whose content a reuse of its id is compared with
     */
    public FirstSighting(String storeName, Duration horizon, Function<V, UUID> eventIdOf,
                         Function<V, ? extends SpecificRecord> signalOf) {
        this.storeName = storeName;
        this.horizonMillis = horizon.toMillis();
        this.eventIdOf = eventIdOf;
        this.signalOf = signalOf;
    }

    /** The stores a first sighting needs: the hours' chunks under {@code name}, and the ids under {@link #byId}. */
    public static List<StoreBuilder<? extends LiveState<?, ?>>> stores(String name) {
        // Both are read back only when memory does not have the answer: none kept live.
        return List.of(
                LiveState.over(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(),
                        Sightings.SERDE), 0),
                LiveState.over(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(byId(name)), Serdes.Bytes(),
                        Serdes.ByteArray()), 0));
    }

    /** The store remembering each id under itself (with its event time and content), next to the hours' chunks. */
    public static String byId(String name) {
        return name + "-by-id";
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Sighting<V>> context) {
        this.context = context;
        this.chunks = context.getStateStore(storeName);
        this.ids = context.getStateStore(byId(storeName));
    }

    @Override
    public void process(FixedKeyRecord<String, V> record) {
        UUID id = eventIdOf.apply(record.value());
        long time = record.timestamp();
        SpecificRecord signal = signalOf.apply(record.value());
        int content = SpecificData.get().hashCode(signal, signal.getSchema());
        Bytes idKey = Bytes.wrap(bytes(id));
        byte[] first = ids.get(idKey);
        if (first != null) {
            ByteBuffer seen = ByteBuffer.wrap(first);
            long firstTime = seen.getLong();
            if (seen.getInt() != content) {
                context.forward(record.withValue(firstTime == time
                        ? new Sighting<>(record.value(), "other content", "the same event time, "
                                + Instant.ofEpochMilli(time) + ", but another activity, group, headcount, token or answer"
                                + " than when this event id was first seen")
                        : new Sighting<>(record.value(), "another event time", Instant.ofEpochMilli(time)
                                + " where this event id was first seen at " + Instant.ofEpochMilli(firstTime))));
            }
            return;
        }
        long hourStart = time - Math.floorMod(time, HOUR);
        Hour hour = hours.computeIfAbsent(hourStart, this::readBack);
        if (!hour.seen.add(new Seen(id.getMostSignificantBits(), id.getLeastSignificantBits(), time))) {
            return; // a repeat of a sighting remembered before ids were remembered under themselves
        }
        ids.put(idKey, ByteBuffer.allocate(Long.BYTES + Integer.BYTES).putLong(time).putInt(content).array());
        if (hour.open == null || hour.openedAt != chunks.commits()) {
            hour.open = new Sightings();
            hour.openedAt = chunks.commits();
            hour.openKey = chunkKey(hourStart, hour.chunks++);
        }
        hour.open.add(id, time);
        chunks.put(hour.openKey, hour.open);
        forgetOldHours(context.currentStreamTimeMs());
        context.forward(record.withValue(new Sighting<>(record.value(), null, null)));
    }

    private static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
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
            chunk.value.forEach(seen -> ids.delete(Bytes.wrap(ByteBuffer.allocate(16).putLong(seen.idHigh()).putLong(seen.idLow()).array())));
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

    /**
     * What passes on: a signal seen for the first time ({@code reuse} null), or a signal whose event
     * id was first seen with other content: what differs ("another event time", "other content"),
     * and the details.
     */
    public record Sighting<V>(V signal, String reuse, String detail) {
        public boolean isReuse() {
            return reuse != null;
        }
    }

    private static final class Hour {
        final Set<Seen> seen = new HashSet<>();
        int chunks;
        Sightings open;
        String openKey;
        long openedAt = -1;
    }

    private record Seen(long idHigh, long idLow, long time) {
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

        void forEach(java.util.function.Consumer<Seen> action) {
            for (int i = 0; i < size; i += 3) {
                action.accept(new Seen(values[i], values[i + 1], values[i + 2]));
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
