package org.cohesionbarometer.streams;

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

/**
 * Remembers each pseudonymous participant (keyed by token) to tell, for every check-in, whether
 * it is the participant's first in the city, and whether they have now been seen at two or more
 * distinct sessions (activity and day) in the last 30 days: the Intercultural Cities' "sustained
 * interaction". A token first seen before the state existed counts as new: first-time shares are
 * biased upwards during the first weeks of operation.
 *
 * <p>It also remembers which hourly windows (of the neighbourhood, and of the activity) the
 * participant was already counted in, for as long as those windows can still receive data
 * (window + grace), and tells the window what this check-in newly adds: a participant not yet
 * counted there, newly first-time, newly sustained. So the windows hold counts only, never tokens.
 *
 * <p>Check-ins with a token are keyed by it at ingest ({@link org.cohesionbarometer.schemas.SignalKey}),
 * so a repeat of one (a retry, a re-imported sheet) meets the participant's memory too: the event
 * ids counted in each open window are remembered with it, and a repeat is dropped here. A repeat
 * arriving after its window has closed is not recognised, and needs not be: its window no longer
 * takes data.
 */
class ParticipantMemory implements FixedKeyProcessor<String, Attendance, Attendance> {
    static final String STORE = "participant-history";
    static final Duration SUSTAINED_WINDOW = Duration.ofDays(30);
    static final int FIRST_TIME = 1;
    static final int SUSTAINED = 2;
    static final int COUNTED = 4;
    private static final long MILLIS_PER_DAY = Duration.ofDays(1).toMillis();

    private final long windowMillis;
    private final long openMillis;

    private FixedKeyProcessorContext<String, Attendance> context;
    private LiveState<String, ParticipantHistory> histories;

    /** Histories kept live per task, beyond those changed since the last commit. */
    static final int KEPT_LIVE = 10_000;

    static StoreBuilder<LiveState<String, ParticipantHistory>> store(Serde<ParticipantHistory> serde) {
        // Live: a participant seen several times between commits costs one changelog record, and a
        // participant seen again soon is not read back from disk.
        return LiveState.over(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), serde),
                KEPT_LIVE);
    }

    ParticipantMemory(Duration window, Duration grace) {
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
        ParticipantHistory history = histories.get(record.key());
        boolean firstTime = history == null;
        // The history is written anew: its places are those its sessions and open windows still refer to.
        List<String> before = history == null ? List.of() : history.getPlaces();
        List<String> places = new ArrayList<>();
        List<Session> sessions = new ArrayList<>();
        if (history != null) {
            for (Session s : history.getSessions()) {
                if (s.getEpochDay() >= oldest && s.getEpochDay() <= day) {
                    sessions.add(new Session(place(places, before.get(s.getActivity())), s.getEpochDay()));
                }
            }
        }
        Session now = new Session(place(places, checkIn.getActivityId()), day);
        if (!sessions.contains(now)) {
            sessions.add(now);
        }
        long firstSeen = history == null ? eventMillis : Math.min(eventMillis, history.getFirstSeen());
        boolean sustained = sessions.size() >= 2;
        int flags = COUNTED | (firstTime ? FIRST_TIME : 0) | (sustained ? SUSTAINED : 0);
        long windowStart = eventMillis - Math.floorMod(eventMillis, windowMillis);
        List<WindowSeen> windows = new ArrayList<>();
        if (history != null) {
            for (WindowSeen w : history.getWindows()) {
                if (w.getWindowStart() + openMillis > eventMillis) { // older windows are closed: forget them
                    windows.add(new WindowSeen(place(places, before.get(w.getScope())), w.getWindowStart(),
                            w.getFlags(), w.getEventIds()));
                }
            }
        }
        int hoodScope = place(places, attendance.neighbourhoodId());
        int activityScope = place(places, attendance.neighbourhoodId() + "/" + checkIn.getActivityId());
        WindowSeen activityWindow = find(windows, activityScope, windowStart);
        byte[] eventId = bytes(checkIn.getEventId());
        if (activityWindow != null && contains(activityWindow.getEventIds(), eventId)) {
            return; // a repeat of a check-in already counted
        }
        int hoodDelta = count(windows, hoodScope, windowStart, flags);
        int activityDelta = count(windows, activityScope, windowStart, flags);
        activityWindow = find(windows, activityScope, windowStart);
        activityWindow.setEventIds(append(activityWindow.getEventIds(), eventId));
        histories.put(record.key(), new ParticipantHistory(firstSeen, places, sessions, windows));
        context.forward(record.withValue(new Attendance(attendance.neighbourhoodId(), checkIn, hoodDelta, activityDelta)));
    }

    /** The index of an activity or scope in the history's places, added if it is not there yet. */
    private static int place(List<String> places, String place) {
        int at = places.indexOf(place);
        if (at < 0) {
            places.add(place);
            return places.size() - 1;
        }
        return at;
    }

    private static WindowSeen find(List<WindowSeen> windows, int scope, long windowStart) {
        for (WindowSeen w : windows) {
            if (w.getWindowStart() == windowStart && w.getScope() == scope) {
                return w;
            }
        }
        return null;
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

    /** Marks the participant as counted in the window with these flags; returns the flags not counted before. */
    private static int count(List<WindowSeen> windows, int scope, long windowStart, int flags) {
        for (WindowSeen w : windows) {
            if (w.getWindowStart() == windowStart && w.getScope() == scope) {
                int before = w.getFlags();
                w.setFlags(before | flags);
                return flags & ~before;
            }
        }
        windows.add(new WindowSeen(scope, windowStart, flags, ByteBuffer.allocate(0)));
        return flags;
    }
}
