package org.cohesionbarometer.streams;

import java.time.Instant;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.cohesionbarometer.schemas.Topics;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;
import org.cohesionbarometer.schemas.reference.Activity;
import org.cohesionbarometer.schemas.reference.Kiosk;
import org.cohesionbarometer.schemas.signal.CheckIn;
import org.cohesionbarometer.schemas.signal.MixingContact;
import org.cohesionbarometer.schemas.signal.SentimentTap;
import org.cohesionbarometer.schemas.wire.ConfluentAvroSerde;
import org.cohesionbarometer.schemas.wire.RegistrySerdes;

/**
 * Signals in, per-neighbourhood hourly statistics out:
 * <pre>
 *   check-ins / mixing contacts / sentiment taps   (keyed by event id)
 *     -> drop repeated event ids
 *     -> locate in a neighbourhood via the activity (or kiosk) reference table; unknown -> dead letters
 *     -> re-key by neighbourhood
 *     -> co-group the three signals into 1-hour event-time windows (with grace for late data)
 *     -> indicators topic, keyed by neighbourhood@window-start
 * </pre>
 */
public final class CohesionTopology {

    public static Topology build(StreamsSettings settings, RegistrySerdes serdes) {
        ConfluentAvroSerde<CheckIn> checkInSerde = serdes.of(CheckIn.class);
        ConfluentAvroSerde<MixingContact> contactSerde = serdes.of(MixingContact.class);
        ConfluentAvroSerde<SentimentTap> tapSerde = serdes.of(SentimentTap.class);
        ConfluentAvroSerde<NeighbourhoodIndicators> indicatorSerde = serdes.of(NeighbourhoodIndicators.class);

        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(FirstSighting.store("check-in-ids", settings.dedupHorizon()));
        builder.addStateStore(FirstSighting.store("mixing-contact-ids", settings.dedupHorizon()));
        builder.addStateStore(FirstSighting.store("sentiment-tap-ids", settings.dedupHorizon()));

        GlobalKTable<String, Activity> activities = builder.globalTable(Topics.ACTIVITIES,
                Consumed.with(Serdes.String(), serdes.of(Activity.class)).withName("activities"),
                Materialized.as("activities"));
        GlobalKTable<String, Kiosk> kiosks = builder.globalTable(Topics.KIOSKS,
                Consumed.with(Serdes.String(), serdes.of(Kiosk.class)).withName("kiosks"),
                Materialized.as("kiosks"));

        KStream<String, Located<CheckIn>> checkIns = builder
                .stream(Topics.CHECK_INS, Consumed.with(Serdes.String(), checkInSerde).withTimestampExtractor(new EventTime()).withName("check-ins"))
                .processValues(() -> new FirstSighting<>("check-in-ids", settings.dedupHorizon()),
                        Named.as("drop-repeated-check-ins"), "check-in-ids")
                .leftJoin(activities, (eventId, checkIn) -> checkIn.getActivityId(),
                        (checkIn, activity) -> new Located<>(activity == null ? null : activity.getNeighbourhoodId(), checkIn),
                        Named.as("locate-check-in-via-activity"));
        KStream<String, Located<MixingContact>> contacts = builder
                .stream(Topics.MIXING_CONTACTS, Consumed.with(Serdes.String(), contactSerde).withTimestampExtractor(new EventTime()).withName("mixing-contacts"))
                .processValues(() -> new FirstSighting<>("mixing-contact-ids", settings.dedupHorizon()),
                        Named.as("drop-repeated-mixing-contacts"), "mixing-contact-ids")
                .leftJoin(activities, (eventId, contact) -> contact.getActivityId(),
                        (contact, activity) -> new Located<>(activity == null ? null : activity.getNeighbourhoodId(), contact),
                        Named.as("locate-mixing-contact-via-activity"));
        KStream<String, Located<SentimentTap>> taps = builder
                .stream(Topics.SENTIMENT_TAPS, Consumed.with(Serdes.String(), tapSerde).withTimestampExtractor(new EventTime()).withName("sentiment-taps"))
                .processValues(() -> new FirstSighting<>("sentiment-tap-ids", settings.dedupHorizon()),
                        Named.as("drop-repeated-sentiment-taps"), "sentiment-tap-ids")
                .leftJoin(kiosks, (eventId, tap) -> tap.getKioskId(),
                        (tap, kiosk) -> new Located<>(kiosk == null ? null : kiosk.getNeighbourhoodId(), tap),
                        Named.as("locate-sentiment-tap-via-kiosk"));

        KGroupedStream<String, CheckIn> checkInsByNeighbourhood = byNeighbourhood(checkIns, "check-ins",
                Topics.CHECK_INS, checkInSerde, c -> "unknown activity '" + c.getActivityId() + "'");
        KGroupedStream<String, MixingContact> contactsByNeighbourhood = byNeighbourhood(contacts, "mixing-contacts",
                Topics.MIXING_CONTACTS, contactSerde, c -> "unknown activity '" + c.getActivityId() + "'");
        KGroupedStream<String, SentimentTap> tapsByNeighbourhood = byNeighbourhood(taps, "sentiment-taps",
                Topics.SENTIMENT_TAPS, tapSerde, t -> "unknown kiosk '" + t.getKioskId() + "'");

        checkInsByNeighbourhood
                .cogroup((String hood, CheckIn checkIn, NeighbourhoodIndicators tally) -> NeighbourhoodWindow.add(hood, checkIn, tally))
                .cogroup(contactsByNeighbourhood, (hood, contact, tally) -> NeighbourhoodWindow.add(hood, contact, tally))
                .cogroup(tapsByNeighbourhood, (hood, tap, tally) -> NeighbourhoodWindow.add(hood, tap, tally))
                .windowedBy(TimeWindows.ofSizeAndGrace(settings.window(), settings.grace()))
                .aggregate(NeighbourhoodWindow::empty, Named.as("tally-neighbourhood-hour"),
                        Materialized.<String, NeighbourhoodIndicators, WindowStore<Bytes, byte[]>>as("neighbourhood-hourly")
                                .withKeySerde(Serdes.String())
                                .withValueSerde(indicatorSerde))
                .toStream(Named.as("neighbourhood-hour-updates"))
                .map(CohesionTopology::stampWindow, Named.as("stamp-window"))
                .to(Topics.NEIGHBOURHOOD_INDICATORS,
                        Produced.with(Serdes.String(), indicatorSerde).withName("neighbourhood-indicators"));

        return builder.build();
    }

    /** Signals located in a neighbourhood, grouped by it; the rest become dead letters. */
    private static <V extends SpecificRecord> KGroupedStream<String, V> byNeighbourhood(
            KStream<String, Located<V>> located, String name, String sourceTopic, ConfluentAvroSerde<V> serde,
            Function<V, String> reason) {
        KStream<String, Located<V>> locatedOnly = located.split(Named.as(name + "-"))
                .branch((eventId, signal) -> signal.isUnknown(), Branched.withConsumer(unknown -> unknown
                        .processValues(() -> new DeadLetter<>(sourceTopic, serde.serializer(), reason),
                                Named.as("dead-letter-" + name))
                        .to(Topics.DEAD_LETTERS, Produced.with(Serdes.String(), Serdes.ByteArray())
                                .withName("dead-letters-" + name)), "unlocated"))
                .defaultBranch(Branched.as("located"))
                .get(name + "-located");
        return locatedOnly
                .map((eventId, signal) -> KeyValue.pair(signal.neighbourhoodId(), signal.signal()),
                        Named.as("key-" + name + "-by-neighbourhood"))
                .groupByKey(Grouped.with(name + "-by-neighbourhood", Serdes.String(), serde));
    }

    /** Key: neighbourhood@window-start, so that each window update replaces the previous one downstream. */
    private static KeyValue<String, NeighbourhoodIndicators> stampWindow(
            Windowed<String> window, NeighbourhoodIndicators tally) {
        NeighbourhoodIndicators stamped = NeighbourhoodIndicators.newBuilder(tally)
                .setNeighbourhoodId(window.key())
                .setWindowStart(Instant.ofEpochMilli(window.window().start()))
                .setWindowEnd(Instant.ofEpochMilli(window.window().end()))
                .build();
        return KeyValue.pair(indicatorKey(window.key(), stamped.getWindowStart()), stamped);
    }

    public static String indicatorKey(String neighbourhoodId, Instant windowStart) {
        return neighbourhoodId + "@" + windowStart;
    }

    private CohesionTopology() {
    }
}
