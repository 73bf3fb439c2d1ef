package org.cohesionbarometer.streams.window;

/**
 * A signal, the neighbourhood it happened in (null when its activity or kiosk is unknown) and
 * its activity (null for a kiosk that stands at no particular activity).
 */
public record Located<V>(String neighbourhoodId, String activityId, V signal) {
    public boolean isUnknown() {
        return neighbourhoodId == null;
    }
}
