package org.cohesionbarometer.streams;

import java.time.Instant;
import java.util.function.Consumer;
import org.cohesionbarometer.schemas.internal.WindowTally;
import org.cohesionbarometer.schemas.signal.MixingContact;
import org.cohesionbarometer.schemas.signal.SentimentTap;

/**
 * What one signal adds to the hour of its neighbourhood (and of its activity there), whichever
 * kind of signal it is: where, when, and how it adds to a tally.
 */
record Contribution(String neighbourhoodId, Instant eventTime, Consumer<WindowTally> addTo) {

    static Contribution ofCheckIn(Attendance attendance) {
        return new Contribution(attendance.neighbourhoodId(), attendance.checkIn().getEventTime(),
                tally -> NeighbourhoodWindow.add(attendance, tally));
    }

    static Contribution ofContact(Located<MixingContact> contact) {
        return new Contribution(contact.neighbourhoodId(), contact.signal().getEventTime(),
                tally -> NeighbourhoodWindow.add(contact.signal(), tally));
    }

    static Contribution ofTap(Located<SentimentTap> tap) {
        return new Contribution(tap.neighbourhoodId(), tap.signal().getEventTime(),
                tally -> NeighbourhoodWindow.add(tap.signal(), tap.activityId(), tally));
    }
}
