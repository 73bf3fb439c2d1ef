package org.cohesionbarometer.streams;

import org.cohesionbarometer.schemas.signal.CheckIn;

/**
 * A located check-in and what it newly adds to its neighbourhood's hour and to its activity's
 * hour, as its participant's memory says ({@link ParticipantMemory}: flags 4 = a participant not
 * yet counted there, 1 = newly first-time, 2 = newly sustained; 0 for anonymous check-ins).
 * Passed between the steps of one task in memory, never serialized.
 */
record Attendance(String neighbourhoodId, CheckIn checkIn, int neighbourhoodWindowDelta, int activityWindowDelta) {

    /** A located check-in before its participant's memory has said what it adds (nothing, if it has no token). */
    static Attendance of(Located<CheckIn> located) {
        return new Attendance(located.neighbourhoodId(), located.signal(), 0, 0);
    }

    String participantToken() {
        return checkIn.getParticipantToken();
    }
}
