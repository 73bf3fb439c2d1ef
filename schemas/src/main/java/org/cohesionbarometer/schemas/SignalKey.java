package org.cohesionbarometer.schemas;

import org.apache.avro.specific.SpecificRecord;
import org.cohesionbarometer.schemas.signal.CheckIn;
import org.cohesionbarometer.schemas.signal.MixingContact;
import org.cohesionbarometer.schemas.signal.SentimentTap;

/**
 * The Kafka key a signal is produced with, which decides its partition and so what meets there:
 * <ul>
 *   <li>a check-in with a participant's token: the token, so that one participant's check-ins
 *       meet their memory (first visit, return, the windows they were counted in) and their own
 *       repeats on one partition, without a repartition;</li>
 *   <li>a check-in without a token, and a mixing contact: the event id, so that repeats meet;</li>
 *   <li>a sentiment tap: its kiosk, so that a kiosk's taps can be debounced (and repeats meet).</li>
 * </ul>
 * Every producer (the ingest API, CSV import, the simulator, benchmarks) keys signals through here.
 */
public final class SignalKey {

    public static String of(SpecificRecord signal) {
        if (signal instanceof CheckIn checkIn) {
            return checkIn.getParticipantToken() != null ? checkIn.getParticipantToken() : checkIn.getEventId().toString();
        }
        if (signal instanceof MixingContact contact) {
            return contact.getEventId().toString();
        }
        if (signal instanceof SentimentTap tap) {
            return tap.getKioskId();
        }
        throw new IllegalArgumentException("not a signal: " + signal.getSchema().getFullName());
    }

    private SignalKey() {
    }
}
