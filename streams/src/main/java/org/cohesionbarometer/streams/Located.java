package org.cohesionbarometer.streams;

/**
 * A signal, the neighbourhood it happened in (null when its activity or kiosk is unknown) and
 * its activity (null for a kiosk that stands at no particular activity).
 */
record Located<V>(String neighbourhoodId, String activityId, V signal) {
    boolean isUnknown() {
        return neighbourhoodId == null;
    }
}
