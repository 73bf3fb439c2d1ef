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

/**
 * Remembers each pseudonymous participant (keyed by token) to tell, for every check-in, whether
 * it is the participant's first in the city, and whether they have now been seen at two or more
 * distinct sessions (activity and day) in the last 30 days: the Intercultural Cities' "sustained
 * interaction". A token first seen before the state existed counts as new: first-time shares are
 * biased upwards during the first weeks of operation.
 */
class ParticipantMemory implements FixedKeyProcessor<String, Attendance, Attendance> {
    static final String STORE = "participant-history";
    static final Duration SUSTAINED_WINDOW = Duration.ofDays(30);

    private FixedKeyProcessorContext<String, Attendance> context;
    private KeyValueStore<String, ParticipantHistory> histories;

    static StoreBuilder<KeyValueStore<String, ParticipantHistory>> store(Serde<ParticipantHistory> serde) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), serde);
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
        histories.put(record.key(), new ParticipantHistory(firstSeen, sessions));
        context.forward(record.withValue(Attendance.newBuilder(attendance)
                .setFirstTime(firstTime)
                .setSustained(sessions.size() >= 2)
                .build()));
    }
}
