package org.cohesionbarometer.schemas;

import java.time.Duration;

/**
 * How old a signal may be when it arrives and still be counted: the one rule the ingest API (which
 * refuses older signals) and the streams stage (whose windows must still take every signal the API
 * accepted) share. Paper sign-in sheets typed in a week or more later are the normal case, so the
 * default is generous.
 *
 * @param maxAge       how far in the past an event time may lie ({@code BAROMETER_INGEST_MAX_AGE})
 * @param maxClockSkew how far in the future an event time may lie, for drifting device clocks
 *                     ({@code BAROMETER_INGEST_MAX_CLOCK_SKEW})
 */
public record SignalAge(Duration maxAge, Duration maxClockSkew) {
    public static final SignalAge DEFAULT = new SignalAge(Duration.ofDays(30), Duration.ofMinutes(5));

    /**
     * Between the API's acceptance and the windows' judgement lie the way through Kafka and the
     * streams stage, and partitions a little apart in event time (the watermark lets them differ
     * by an hour, a quiet one for longer): a day covers both with room to spare.
     */
    static final Duration IN_TRANSIT = Duration.ofDays(1);

    public SignalAge {
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("BAROMETER_INGEST_MAX_AGE (" + maxAge + ") must be more than zero");
        }
        if (maxClockSkew.isNegative()) {
            throw new IllegalArgumentException("BAROMETER_INGEST_MAX_CLOCK_SKEW (" + maxClockSkew + ") must not be negative");
        }
    }

    public static SignalAge fromEnvironment(Environment env) {
        return new SignalAge(env.duration("BAROMETER_INGEST_MAX_AGE", DEFAULT.maxAge()),
                env.duration("BAROMETER_INGEST_MAX_CLOCK_SKEW", DEFAULT.maxClockSkew()));
    }

    /**
     * The grace period the event-time windows need so that every accepted signal is still counted
     * in its hour, day and week: the oldest accepted age, the clock skew (stream time may run that
     * far ahead of the clock) and the time in transit.
     */
    public Duration windowGrace() {
        return maxAge.plus(maxClockSkew).plus(IN_TRANSIT);
    }

    /**
     * How long a topic whose records are stamped with their event time (signals, indicators, dead
     * letters) must keep them: the grace period and two weeks more. Kafka deletes by record
     * timestamp, so with a broker's default of seven days a sheet typed in 29 days late would be
     * due for deletion as it arrives; this way a record counted at the last moment is still there
     * for a consumer catching up, a replay, or someone reading a dead letter.
     */
    public Duration topicRetention() {
        return windowGrace().plus(Duration.ofDays(14));
    }

    /**
     * Refuses a grace period too short for what the API accepts: the windows would drop accepted
     * signals in silence.
     */
    public void requireCountedWithin(Duration grace) {
        Duration least = maxAge.plus(maxClockSkew);
        if (grace.compareTo(least) < 0) {
            throw new IllegalArgumentException("BAROMETER_GRACE (" + grace + ") is shorter than the oldest signal the API"
                    + " accepts (BAROMETER_INGEST_MAX_AGE " + maxAge + " plus BAROMETER_INGEST_MAX_CLOCK_SKEW "
                    + maxClockSkew + "): accepted signals would never be counted. Leave BAROMETER_GRACE unset (it"
                    + " follows the maximum age), or raise it to at least " + windowGrace());
        }
    }
}
