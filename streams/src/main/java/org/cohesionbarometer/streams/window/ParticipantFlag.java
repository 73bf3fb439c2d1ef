package org.cohesionbarometer.streams.window;

import java.util.EnumSet;

/**
 * What a check-in newly says about its participant in one window (a neighbourhood-hour or an
 * activity-hour), as the participant's memory tells it ({@code ParticipantMemory}); an anonymous
 * check-in says nothing. The memory stores them as bits ({@link #bit}) in the participant's
 * history, whose schema keeps an int; everywhere else they are a set.
 */
public enum ParticipantFlag {
    /** The participant's first check-in in the city. */
    FIRST_TIME(1),
    /** Seen at two or more distinct sessions (activity and day) in the last 30 days. */
    SUSTAINED(2),
    /** A participant not yet counted in this window. */
    COUNTED(4),
    /**
     * The check-in arrived after a check-in of the participant on a later day had been counted (a
     * paper sheet typed in late). It is counted in its own hour in full, and its own flags are right;
     * but the later hours were judged without it (first-time there, or not yet sustained) and are not
     * revised: those hours' participant shares rest on what had arrived by then. Counted, so that
     * pipeline health shows how often that happens.
     */
    PARTLY_COUNTED(8);

    /** The bit this flag is stored as in a participant's history: fixed, since histories are kept. */
    public final int bit;

    ParticipantFlag(int bit) {
        this.bit = bit;
    }

    public static EnumSet<ParticipantFlag> of(int bits) {
        EnumSet<ParticipantFlag> flags = EnumSet.noneOf(ParticipantFlag.class);
        for (ParticipantFlag flag : values()) {
            if ((bits & flag.bit) != 0) {
                flags.add(flag);
            }
        }
        return flags;
    }
}
