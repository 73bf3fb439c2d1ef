package org.cohesionbarometer.streams;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.cohesionbarometer.schemas.internal.Attendance;
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
 */
class ParticipantMemory implements FixedKeyProcessor<String, Attendance, Attendance> {
    static final String STORE = "participant-history";
    static final Duration SUSTAINED_WINDOW = Duration.ofDays(30);
    static final int FIRST_TIME = 1;
    static final int SUSTAINED = 2;
    static final int COUNTED = 4;

    private final long windowMillis;
    private final long openMillis;

    private FixedKeyProcessorContext<String, Attendance> context;
    private KeyValueStore<String, ParticipantHistory> histories;

    static StoreBuilder<KeyValueStore<String, ParticipantHistory>> store(Serde<ParticipantHistory> serde) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), serde);
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
        var checkIn = attendance.getCheckIn();
        LocalDate day = LocalDate.ofInstant(checkIn.getEventTime(), ZoneOffset.UTC);
        LocalDate oldest = day.minusDays(SUSTAINED_WINDOW.toDays() - 1);
        ParticipantHistory history = histories.get(record.key());
        boolean firstTime = history == null;
        List<Session> sessions = new ArrayList<>();
        if (history != null) {
            for (Session s : history.getSessions()) {
                if (!s.getDay().isBefore(oldest) && !s.getDay().isAfter(day)) {
                    sessions.add(s);
                }
            }
        }
        Session now = new Session(checkIn.getActivityId(), day);
        if (!sessions.contains(now)) {
            sessions.add(now);
        }
        var firstSeen = history == null || checkIn.getEventTime().isBefore(history.getFirstSeen())
                ? checkIn.getEventTime() : history.getFirstSeen();
        boolean sustained = sessions.size() >= 2;
        int flags = COUNTED | (firstTime ? FIRST_TIME : 0) | (sustained ? SUSTAINED : 0);
        long eventMillis = checkIn.getEventTime().toEpochMilli();
        long windowStart = eventMillis - Math.floorMod(eventMillis, windowMillis);
        List<WindowSeen> windows = new ArrayList<>();
        if (history != null) {
            for (WindowSeen w : history.getWindows()) {
                if (w.getWindowStart() + openMillis > eventMillis) { // older windows are closed: forget them
                    windows.add(w);
                }
            }
        }
        int hoodDelta = count(windows, attendance.getNeighbourhoodId(), windowStart, flags);
        int activityDelta = count(windows, attendance.getNeighbourhoodId() + "/" + checkIn.getActivityId(), windowStart, flags);
        histories.put(record.key(), new ParticipantHistory(firstSeen, sessions, windows));
        context.forward(record.withValue(Attendance.newBuilder(attendance)
                .setFirstTime(firstTime)
                .setSustained(sustained)
                .setNeighbourhoodWindowDelta(hoodDelta)
                .setActivityWindowDelta(activityDelta)
                .build()));
    }

    /** Marks the participant as counted in the window with these flags; returns the flags not counted before. */
    private static int count(List<WindowSeen> windows, String scope, long windowStart, int flags) {
        for (WindowSeen w : windows) {
            if (w.getWindowStart() == windowStart && w.getScope().equals(scope)) {
                int before = w.getFlags();
                w.setFlags(before | flags);
                return flags & ~before;
            }
        }
        windows.add(new WindowSeen(scope, windowStart, flags));
        return flags;
    }
}
