package org.cohesionbarometer.streams.processors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.cohesionbarometer.schemas.internal.HourDraft;
import org.cohesionbarometer.schemas.internal.WindowTally;
import org.cohesionbarometer.streams.state.LiveState;
import org.cohesionbarometer.streams.window.Contribution;
import org.cohesionbarometer.streams.window.HourTally;

/**
 * What this partition's signals have added to each neighbourhood-hour since they were last sent
 * on: a draft tally per neighbourhood and hour, sent on (keyed by neighbourhood, stamped with its
 * latest event time) at every commit interval of wall-clock time, followed by how far this
 * partition has got, for the {@link Watermark}. So what crosses to the windows is one record per
 * neighbourhood-hour and interval instead of one per signal, and a window adds drafts exactly as
 * it would add their signals: every statistic in a tally is a count.
 *
 * <p>The drafts are {@link LiveState}: changed in memory by each signal, and written to a
 * changelogged store at each commit, so a signal taken from the input but not yet sent on survives
 * a crash under exactly-once: the store is restored and the drafts are sent then.
 */
public class HourDrafts implements Processor<String, Contribution, String, HourDraft> {
    public static final String STORE = "neighbourhood-hour-drafts";
    /** A partition without a signal for this long (wall-clock) is not waited for (see {@link Watermark}). */
    static final Duration IDLE_AFTER = Duration.ofSeconds(10);

    private final long windowMillis;
    private final Duration sendEvery;
    private final Map<String, WindowTally> drafts = new HashMap<>();
    private ProcessorContext<String, HourDraft> context;
    private LiveState<String, WindowTally> store;
    private int sender;
    private long lastSignalAt;
    private HourDraft lastProgress;

    public static StoreBuilder<LiveState<String, WindowTally>> store(Serde<WindowTally> serde) {
        // Drafts live only until the next send: none to forget.
        return LiveState.over(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.String(), serde),
                Integer.MAX_VALUE);
    }

    public HourDrafts(Duration window, Duration sendEvery) {
        this.windowMillis = window.toMillis();
        this.sendEvery = sendEvery;
    }

    @Override
    public void init(ProcessorContext<String, HourDraft> context) {
        this.context = context;
        this.sender = context.taskId().partition();
        this.lastSignalAt = context.currentSystemTimeMs();
        this.store = context.getStateStore(STORE);
        store.all().forEach(kv -> drafts.put(kv.key, kv.value));
        context.schedule(sendEvery, PunctuationType.WALL_CLOCK_TIME, this::sendOn);
    }

    @Override
    public void process(Record<String, Contribution> record) {
        Contribution contribution = record.value();
        long eventMillis = contribution.eventTime().toEpochMilli();
        long windowStart = eventMillis - Math.floorMod(eventMillis, windowMillis);
        String key = contribution.neighbourhoodId() + "@" + windowStart;
        WindowTally draft = drafts.computeIfAbsent(key,
                k -> HourTally.draft(contribution.neighbourhoodId(), windowStart));
        contribution.addTo().accept(draft);
        store.put(key, draft);
        lastSignalAt = context.currentSystemTimeMs();
    }

    /**
     * Sends every draft on, oldest event time first, then how far this partition has got (after
     * its drafts, so that whoever reads that knows the drafts up to there have arrived).
     */
    private void sendOn(long now) {
        long streamTime = context.currentStreamTimeMs();
        List<Map.Entry<String, WindowTally>> ready = new ArrayList<>(drafts.entrySet());
        ready.sort(Comparator.comparing(e -> e.getValue().getCounts().getLastEventTime()));
        for (Map.Entry<String, WindowTally> draft : ready) {
            var counts = draft.getValue().getCounts();
            context.forward(new Record<>(counts.getNeighbourhoodId(),
                    new HourDraft(sender, streamTime, false, draft.getValue()), counts.getLastEventTime()));
            store.delete(draft.getKey());
        }
        drafts.clear();
        HourDraft progress = new HourDraft(sender, streamTime, now - lastSignalAt >= IDLE_AFTER.toMillis(), null);
        if (!progress.equals(lastProgress)) { // a quiet partition falls silent
            context.forward(new Record<>(Watermark.PROGRESS_KEY, progress, Math.max(streamTime, 0)));
            lastProgress = progress;
        }
    }
}
