package org.cohesionbarometer.streams.window;

import java.time.Instant;
import java.util.function.Consumer;
import org.cohesionbarometer.schemas.internal.WindowTally;
import org.cohesionbarometer.schemas.signal.MixingContact;
import org.cohesionbarometer.schemas.signal.SentimentTap;

/**
 * What one signal adds to the hour of its neighbourhood (and of its activity there), whichever
 * kind of signal it is: where, when, and how it adds to a tally.
 */
public record Contribution(String neighbourhoodId, Instant eventTime, Consumer<WindowTally> addTo) {

    public static Contribution ofCheckIn(Attendance attendance) {
        return new Contribution(attendance.neighbourhoodId(), attendance.checkIn().getEventTime(),
                tally -> HourTally.add(attendance, tally));
    }

    public static Contribution ofContact(Located<MixingContact> contact) {
        return new Contribution(contact.neighbourhoodId(), contact.signal().getEventTime(),
                tally -> HourTally.add(contact.signal(), tally));
    }

    public static Contribution ofTap(Located<SentimentTap> tap) {
        return new Contribution(tap.neighbourhoodId(), tap.signal().getEventTime(),
                tally -> HourTally.add(tap.signal(), tap.activityId(), tally));
    }
}
