package org.cohesionbarometer.schemas;

/**
 * The Kafka topics of the barometer, in the order data flows through them. Every stage reads
 * its topic names from here so that no topic name is spelled twice.
 */
public final class Topics {
    // Signals, keyed as SignalKey says: what must meet on one partition does.
    public static final String CHECK_INS = "barometer.signals.check-ins";
    public static final String MIXING_CONTACTS = "barometer.signals.mixing-contacts";
    public static final String SENTIMENT_TAPS = "barometer.signals.sentiment-taps";

    // Reference data, compacted, keyed by id.
    public static final String NEIGHBOURHOODS = "barometer.reference.neighbourhoods";
    public static final String ACTIVITIES = "barometer.reference.activities";
    public static final String KIOSKS = "barometer.reference.kiosks";
    public static final String GROUPS = "barometer.reference.groups";
    // The cities served, keyed by name, and whether each takes part in the network comparison.
    public static final String CITIES = "barometer.reference.cities";
    // Organisers' API tokens (hashes only), keyed by token id.
    public static final String ORGANISER_TOKENS = "barometer.reference.organiser-tokens";

    // Indicators, keyed by "<neighbourhoodId>@<windowStart ISO-8601>".
    public static final String NEIGHBOURHOOD_INDICATORS = "barometer.indicators.neighbourhood-hourly";
    // The same record per activity, keyed by "<neighbourhoodId>/<activityId>@<windowStart>".
    public static final String ACTIVITY_INDICATORS = "barometer.indicators.activity-hourly";
    public static final String[] INDICATORS = {NEIGHBOURHOOD_INDICATORS, ACTIVITY_INDICATORS};
    // Each city per event-time day, keyed by "<city>@<windowStart>" (the city its neighbourhoods are registered in).
    public static final String CITY_INDICATORS = "barometer.indicators.city-daily";

    // Records that could not be processed, with the reason in headers.
    public static final String DEAD_LETTERS = "barometer.dead-letters";

    public static final String[] SIGNALS = {CHECK_INS, MIXING_CONTACTS, SENTIMENT_TAPS};
    public static final String[] REFERENCE = {NEIGHBOURHOODS, ACTIVITIES, KIOSKS, GROUPS, ORGANISER_TOKENS, CITIES};

    /** Confluent's TopicNameStrategy: the subject of a topic's record values. */
    public static String valueSubject(String topic) {
        return topic + "-value";
    }

    private Topics() {
    }
}
