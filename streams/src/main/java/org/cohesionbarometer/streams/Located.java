package org.cohesionbarometer.streams;

/** A signal and the neighbourhood it happened in, or {@code null} when its activity or kiosk is unknown. */
record Located<V>(String neighbourhoodId, V signal) {
    boolean isUnknown() {
        return neighbourhoodId == null;
    }
}
