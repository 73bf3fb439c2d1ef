package org.cohesionbarometer.streams.window;

import java.util.Set;
import org.cohesionbarometer.schemas.signal.CheckIn;

/**
 * A located check-in and what it newly adds to its neighbourhood's hour and to its activity's
 * hour, as its participant's memory says ({@code ParticipantMemory}; none for anonymous check-ins).
 * Passed between the steps of one task in memory, never serialized.
 */
public record Attendance(String neighbourhoodId, CheckIn checkIn, Set<ParticipantFlag> toNeighbourhoodHour,
                  Set<ParticipantFlag> toActivityHour) {

    /** A located check-in before its participant's memory has said what it adds (nothing, if it has no token). */
    public static Attendance of(Located<CheckIn> located) {
        return new Attendance(located.neighbourhoodId(), located.signal(), Set.of(), Set.of());
    }

    public String participantToken() {
        return checkIn.getParticipantToken();
    }
}
