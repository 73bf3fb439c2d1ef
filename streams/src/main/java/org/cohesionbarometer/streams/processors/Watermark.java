package org.cohesionbarometer.streams.processors;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.cohesionbarometer.schemas.internal.HourDraft;
import org.cohesionbarometer.schemas.internal.WindowTally;

/**
 * The event time every partition of the signal topics has reached, and the drafts held back until
 * it reaches theirs. Kafka Streams keeps stream time per partition, with nothing shared between
 * the tasks that feed one window: while a backlog is read, one partition's drafts could arrive
 * after a faster partition had already moved the window's stream time past their hour and its
 * grace, and they would be dropped as late. Here the drafts of all partitions meet on one
 * partition (one city's drafts are few), each partition says how far it has got after sending its
 * drafts ({@link HourDrafts}), and a draft goes on to the windows, in event-time order, once every
 * partition has got to within one window (an hour) of it. So no partition's drafts can find their
 * window closed because another ran ahead: the windows' stream time never passes the slowest
 * partition's by more than an hour, far less than the grace period. A draft older than that (a
 * genuinely late signal) goes on at once, and is judged by the windows' grace as before.
 *
 * <p>A partition that has had no signal for {@link HourDrafts#IDLE_AFTER} is not waited for, so a
 * quiet partition does not hold the city's figures back. Until every partition has reported once,
 * nothing goes on. The watermark never moves back.
 */
public class Watermark implements Processor<String, HourDraft, String, WindowTally> {
    static final String PROGRESS_KEY = "";
    public static final String PROGRESS = "partition-progress";
    public static final String WAITING = "drafts-awaiting-the-watermark";
    private static final int WATERMARK_ENTRY = -1;

    private final int partitions;
    private final long leadMillis;
    private ProcessorContext<String, WindowTally> context;
    private KeyValueStore<Integer, HourDraft> progress;
    private KeyValueStore<String, HourDraft> waiting;
    private long watermark = -1;

    public static StoreBuilder<KeyValueStore<Integer, HourDraft>> progressStore(Serde<HourDraft> serde) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PROGRESS), Serdes.Integer(), serde)
                .withCachingEnabled();
    }

    public static StoreBuilder<KeyValueStore<String, HourDraft>> waitingStore(Serde<HourDraft> serde) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(WAITING), Serdes.String(), serde)
                .withCachingEnabled();
    }

    /**
     * @param partitions how many partitions the signal topics have: how many report their progress
     * @param lead       how far ahead of the slowest partition a draft may go on (one window)
     */
    public Watermark(int partitions, java.time.Duration lead) {
        this.partitions = partitions;
        this.leadMillis = lead.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, WindowTally> context) {
        this.context = context;
        this.progress = context.getStateStore(PROGRESS);
        this.waiting = context.getStateStore(WAITING);
        HourDraft stored = progress.get(WATERMARK_ENTRY);
        watermark = stored == null ? -1 : stored.getStreamTime();
    }

    @Override
    public void process(Record<String, HourDraft> record) {
        HourDraft message = record.value();
        if (message.getDraft() == null) {
            progress.put(message.getSender(), message);
            advance();
            return;
        }
        long eventTime = message.getDraft().getCounts().getLastEventTime();
        if (watermark >= 0 && eventTime <= watermark + leadMillis) {
            sendOn(message.getDraft());
        } else {
            long offset = context.recordMetadata().map(m -> m.offset()).orElse(0L);
            waiting.put(String.format("%019d|%019d", eventTime, offset), message);
        }
    }

    private void advance() {
        long slowestActive = Long.MAX_VALUE;
        long furthest = -1;
        int reported = 0;
        try (KeyValueIterator<Integer, HourDraft> all = progress.all()) {
            while (all.hasNext()) {
                KeyValue<Integer, HourDraft> entry = all.next();
                if (entry.key == WATERMARK_ENTRY) {
                    continue;
                }
                reported++;
                furthest = Math.max(furthest, entry.value.getStreamTime());
                if (!entry.value.getIdle()) {
                    slowestActive = Math.min(slowestActive, entry.value.getStreamTime());
                }
            }
        }
        if (reported < partitions) {
            return;
        }
        // When every partition is idle, each has sent all it has: everything may go on.
        long reached = slowestActive == Long.MAX_VALUE ? furthest : slowestActive;
        if (reached <= watermark) {
            return;
        }
        watermark = reached;
        progress.put(WATERMARK_ENTRY, new HourDraft(WATERMARK_ENTRY, watermark, false, null));
        List<String> released = new ArrayList<>();
        try (KeyValueIterator<String, HourDraft> due = waiting.range("", String.format("%019d|~", watermark + leadMillis))) {
            while (due.hasNext()) {
                KeyValue<String, HourDraft> entry = due.next();
                sendOn(entry.value.getDraft());
                released.add(entry.key);
            }
        }
        released.forEach(waiting::delete);
    }

    private void sendOn(WindowTally draft) {
        context.forward(new Record<>(draft.getCounts().getNeighbourhoodId(), draft, draft.getCounts().getLastEventTime()));
    }
}
