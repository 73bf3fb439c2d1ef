package org.cohesionbarometer.streams.processors;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.cohesionbarometer.schemas.internal.ParticipantHistory;
import org.cohesionbarometer.schemas.internal.Session;
import org.cohesionbarometer.schemas.internal.WindowSeen;
import org.cohesionbarometer.streams.state.LiveState;
import org.cohesionbarometer.streams.window.Attendance;
import org.cohesionbarometer.streams.window.ParticipantFlag;

/**
 * Remembers each pseudonymous participant (keyed by token) to tell, for every check-in, whether
 * it is the participant's first in the city, and whether they have now been seen at two or more
 * distinct sessions (activity and day) in the last 30 days: the Intercultural Cities' "sustained
 * interaction". A token first seen before the state existed counts as new: first-time shares are
 * biased upwards during the first weeks of operation.
 *
 * <p>It also remembers which activity-hours the participant was already counted in, and as what,
 * for as long as those windows can still receive data (window + grace), and tells the windows what
 * this check-in newly adds to its activity-hour and to its neighbourhood-hour (what the participant
 * was counted as in a neighbourhood-hour is what it was counted as in that neighbourhood's
 * activity-hours together): a participant not yet counted there, newly first-time, newly
 * sustained. So the windows hold counts only, never tokens.
 *
 * <p>Histories are {@link LiveState}: changed in place at each check-in, written at the commit.
 *
 * <p>Check-ins with a token are keyed by it at ingest ({@link org.cohesionbarometer.schemas.SignalKey}),
 * so a repeat of one (a retry, a re-imported sheet) meets the participant's memory too: the event
 * ids counted in each open window are remembered with it, and a repeat is dropped here. A repeat
 * arriving after its window has closed is not recognised, and needs not be: its window no longer
 * takes data.
 */
public class ParticipantMemory implements FixedKeyProcessor<String, Attendance, Attendance> {
    public static final String STORE = "participant-history";
    static final Duration SUSTAINED_WINDOW = Duration.ofDays(30);
    private static final int FIRST_TIME = ParticipantFlag.FIRST_TIME.bit;
    private static final int SUSTAINED = ParticipantFlag.SUSTAINED.bit;
    private static final int COUNTED = ParticipantFlag.COUNTED.bit;
    private static final int PARTLY_COUNTED = ParticipantFlag.PARTLY_COUNTED.bit;
    private static final long MILLIS_PER_DAY = Duration.ofDays(1).toMillis();

    private final long windowMillis;
    private final long openMillis;

    private FixedKeyProcessorContext<String, Attendance> context;
    private LiveState<String, ParticipantHistory> histories;

    /** Histories kept live per task, beyond those changed since the last commit. */
    static final int KEPT_LIVE = 10_000;
    /** A history's places are renumbered once it names more than this many. */
    private static final int PLACES_BEFORE_TIDYING = 8;

    public static StoreBuilder<LiveState<String, ParticipantHistory>> store(Serde<ParticipantHistory> serde) {
        // Live: a participant seen several times between commits costs one changelog record, and a
        // participant seen again soon is not read back from disk.
        return LiveState.over(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), serde),
                KEPT_LIVE);
    }

    public ParticipantMemory(Duration window, Duration grace) {
        this.windowMillis = window.toMillis();
        this.openMillis = window.plus(grace).toMillis();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Attendance> context) {
        this.context = context;
        this.histories = context.getStateStore(STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, Attendance> record) {
        Attendance attendance = record.value();
        var checkIn = attendance.checkIn();
        long eventMillis = checkIn.getEventTime().toEpochMilli();
        int day = (int) Math.floorDiv(eventMillis, MILLIS_PER_DAY);
        int oldest = day - (int) SUSTAINED_WINDOW.toDays() + 1;
        long windowStart = eventMillis - Math.floorMod(eventMillis, windowMillis);
        String activityId = checkIn.getActivityId();
        String hoodId = attendance.neighbourhoodId();
        byte[] eventId = bytes(checkIn.getEventId());
        ParticipantHistory history = histories.get(record.key());
        boolean firstTime = history == null;
        if (history == null) {
            history = new ParticipantHistory(eventMillis, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }
        List<String> places = history.getPlaces();
        int activity = places.indexOf(activityId);
        int hood = places.indexOf(hoodId);
        List<WindowSeen> windows = history.getWindows();
        WindowSeen here = find(windows, activity, hood, windowStart);
        if (here != null && contains(here.getEventIds(), eventId)) {
            return; // a repeat of a check-in already counted
        }

        // The history is changed in place (it is live): first forget what can no longer matter.
        history.getSessions().removeIf(s -> s.getEpochDay() < oldest);
        windows.removeIf(w -> w.getWindowStart() + openMillis <= eventMillis); // closed windows
        if (activity < 0) {
            activity = add(places, activityId);
        }
        if (hood < 0) {
            hood = add(places, hoodId);
        }
        Session now = new Session(activity, day);
        if (!history.getSessions().contains(now)) {
            history.getSessions().add(now);
        }
        int sessionsSoFar = 0; // distinct sessions of the 30 days up to this check-in's day
        for (Session s : history.getSessions()) {
            sessionsSoFar += s.getEpochDay() <= day ? 1 : 0;
        }
        int flags = COUNTED | (firstTime ? FIRST_TIME : 0) | (sessionsSoFar >= 2 ? SUSTAINED : 0);
        boolean afterLaterDays = history.getSessions().stream().anyMatch(s -> s.getEpochDay() > day);

        // What it was counted as in the neighbourhood-hour: in any of the neighbourhood's activity-hours.
        int hoodBefore = 0;
        for (WindowSeen w : windows) {
            if (w.getWindowStart() == windowStart && w.getNeighbourhood() == hood) {
                hoodBefore |= w.getFlags();
            }
        }
        int activityBefore = here == null ? 0 : here.getFlags();
        if (here == null) {
            windows.add(new WindowSeen(activity, hood, windowStart, flags, ByteBuffer.wrap(eventId)));
        } else {
            here.setFlags(activityBefore | flags);
            here.setEventIds(append(here.getEventIds(), eventId));
        }
        history.setFirstSeen(Math.min(eventMillis, history.getFirstSeen()));
        forgetUnusedPlaces(history);
        histories.put(record.key(), history);
        int late = afterLaterDays ? PARTLY_COUNTED : 0;
        context.forward(record.withValue(new Attendance(hoodId, checkIn, ParticipantFlag.of((flags & ~hoodBefore) | late),
                ParticipantFlag.of((flags & ~activityBefore) | late))));
    }

    private static int add(List<String> places, String place) {
        places.add(place);
        return places.size() - 1;
    }

    private static WindowSeen find(List<WindowSeen> windows, int activity, int hood, long windowStart) {
        if (activity < 0 || hood < 0) {
            return null;
        }
        for (WindowSeen w : windows) {
            if (w.getWindowStart() == windowStart && w.getActivity() == activity && w.getNeighbourhood() == hood) {
                return w;
            }
        }
        return null;
    }

    /** Once a history names more places than it needs to, renumbers the ones still referred to. */
    private static void forgetUnusedPlaces(ParticipantHistory history) {
        List<String> before = history.getPlaces();
        if (before.size() <= PLACES_BEFORE_TIDYING) {
            return;
        }
        List<String> after = new ArrayList<>();
        int[] renumbered = new int[before.size()];
        java.util.Arrays.fill(renumbered, -1);
        java.util.function.IntUnaryOperator keep = old -> {
            if (renumbered[old] < 0) {
                renumbered[old] = add(after, before.get(old));
            }
            return renumbered[old];
        };
        for (Session s : history.getSessions()) {
            s.setActivity(keep.applyAsInt(s.getActivity()));
        }
        for (WindowSeen w : history.getWindows()) {
            w.setActivity(keep.applyAsInt(w.getActivity()));
            w.setNeighbourhood(keep.applyAsInt(w.getNeighbourhood()));
        }
        history.setPlaces(after);
    }

    private static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }

    private static boolean contains(ByteBuffer ids, byte[] id) {
        ByteBuffer wanted = ByteBuffer.wrap(id);
        for (int at = ids.position(); at + 16 <= ids.limit(); at += 16) {
            if (ids.slice(at, 16).equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static ByteBuffer append(ByteBuffer ids, byte[] id) {
        ByteBuffer longer = ByteBuffer.allocate(ids.remaining() + 16);
        longer.put(ids.duplicate()).put(id).flip();
        return longer;
    }
}
