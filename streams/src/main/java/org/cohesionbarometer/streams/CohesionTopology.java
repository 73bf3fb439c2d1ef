package org.cohesionbarometer.streams;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowStore;
import org.cohesionbarometer.schemas.SignalKey;
import org.cohesionbarometer.schemas.SmallCells;
import org.cohesionbarometer.schemas.Topics;
import org.cohesionbarometer.schemas.indicator.CityIndicators;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;
import org.cohesionbarometer.schemas.internal.HourAttendance;
import org.cohesionbarometer.schemas.internal.HourCounts;
import org.cohesionbarometer.schemas.internal.HourDraft;
import org.cohesionbarometer.schemas.internal.ParticipantHistory;
import org.cohesionbarometer.schemas.internal.WindowTally;
import org.cohesionbarometer.schemas.reference.Activity;
import org.cohesionbarometer.schemas.reference.Kiosk;
import org.cohesionbarometer.schemas.reference.Neighbourhood;
import org.cohesionbarometer.schemas.signal.CheckIn;
import org.cohesionbarometer.schemas.signal.MixingContact;
import org.cohesionbarometer.schemas.signal.SentimentTap;
import org.cohesionbarometer.schemas.wire.ConfluentAvroSerde;
import org.cohesionbarometer.schemas.wire.RegistrySerdes;
import org.cohesionbarometer.streams.indicators.CityDay;
import org.cohesionbarometer.streams.indicators.WindowIndicators;
import org.cohesionbarometer.streams.processors.ActivityPlaces;
import org.cohesionbarometer.streams.processors.CityHourDelta;
import org.cohesionbarometer.streams.processors.DeadLetter;
import org.cohesionbarometer.streams.processors.EventTime;
import org.cohesionbarometer.streams.processors.FirstSighting;
import org.cohesionbarometer.streams.processors.HourDrafts;
import org.cohesionbarometer.streams.processors.KioskDebounce;
import org.cohesionbarometer.streams.processors.NeighbourhoodCities;
import org.cohesionbarometer.streams.processors.ParticipantMemory;
import org.cohesionbarometer.streams.processors.Watermark;
import org.cohesionbarometer.streams.state.LiveState;
import org.cohesionbarometer.streams.window.Attendance;
import org.cohesionbarometer.streams.window.Contribution;
import org.cohesionbarometer.streams.window.HourTally;
import org.cohesionbarometer.streams.window.Located;

/**
 * Signals in, per-neighbourhood and per-activity hourly indicators out:
 * <pre>
 *   check-ins (keyed by participant token, else event id) / mixing contacts (by event id) / sentiment taps (by kiosk)
 *     -> a check-in with a token keyed otherwise -> dead letters
 *     -> locate in a neighbourhood via the activity (or kiosk) reference table; unknown -> dead letters
 *     -> drop repeated event ids; count a kiosk's taps once per debounce interval
 *     -> check-ins with a token: through the participant's memory (first time? sustained? repeat?)
 *     -> draft what this partition's signals add to each neighbourhood-hour; send the drafts on at
 *        every commit interval (one record per neighbourhood-hour, not per signal), then how far it got
 *     -> let drafts on in event-time order once every partition has got to within an hour of them
 *     -> add the drafts into 1-hour event-time windows (with grace for late data)
 *     -> derive indicators, withhold small cells
 *     -> indicator topics, keyed by scope@window-start: every update, then the final result
 *     -> what each neighbourhood-hour adds, into its city's day (segregation across activities), one day per city
 * </pre>
 * Everything up to the drafts happens on the partition the signal was produced to, with no
 * repartition: what must meet there does, because producers key signals by {@link SignalKey}.
 */
public final class CohesionTopology {

    /**
     * @param signalPartitions how many partitions the signal topics have (the most of the three):
     *                         how many tasks send drafts, all of which the {@link Watermark} waits for
     */
    public static Topology build(StreamsSettings settings, RegistrySerdes serdes, int signalPartitions) {
        ConfluentAvroSerde<CheckIn> checkInSerde = serdes.of(CheckIn.class);
        ConfluentAvroSerde<MixingContact> contactSerde = serdes.of(MixingContact.class);
        ConfluentAvroSerde<SentimentTap> tapSerde = serdes.of(SentimentTap.class);
        ConfluentAvroSerde<WindowTally> tallySerde = serdes.of(WindowTally.class);
        WindowIndicators indicators = new WindowIndicators(settings.smallCells(), settings.cohesionWeights());

        StreamsBuilder builder = new StreamsBuilder();
        List<StoreBuilder<? extends LiveState<?, ?>>> liveState = new ArrayList<>();
        liveState.addAll(FirstSighting.stores("participant-check-in-ids"));
        liveState.addAll(FirstSighting.stores("anonymous-check-in-ids"));
        liveState.addAll(FirstSighting.stores("mixing-contact-ids"));
        liveState.addAll(FirstSighting.stores("sentiment-tap-ids"));
        liveState.add(KioskDebounce.store());
        liveState.add(ParticipantMemory.store(serdes.of(ParticipantHistory.class)));
        liveState.add(HourDrafts.store(tallySerde));
        liveState.forEach(builder::addStateStore);
        ConfluentAvroSerde<HourDraft> draftSerde = serdes.of(HourDraft.class);
        builder.addStateStore(Watermark.progressStore(draftSerde));
        builder.addStateStore(Watermark.waitingStore(draftSerde));

        builder.addGlobalStore(NeighbourhoodCities.store(), Topics.NEIGHBOURHOODS,
                Consumed.with(Serdes.String(), serdes.of(Neighbourhood.class)).withName("neighbourhoods"),
                NeighbourhoodCities.Keeper::new);
        builder.addGlobalStore(ActivityPlaces.store(), Topics.ACTIVITIES,
                Consumed.with(Serdes.String(), serdes.of(Activity.class)).withName("activities"), ActivityPlaces.Keeper::new);
        GlobalKTable<String, Kiosk> kiosks = builder.globalTable(Topics.KIOSKS,
                Consumed.with(Serdes.String(), serdes.of(Kiosk.class)).withName("kiosks"),
                Materialized.as("kiosks"));

        KStream<String, Located<CheckIn>> checkIns = locatedOrDeadLetter(keyedByParticipant(builder
                .stream(Topics.CHECK_INS, Consumed.with(Serdes.String(), checkInSerde)
                        .withTimestampExtractor(new EventTime()).withName("check-ins")), checkInSerde)
                .processValues(() -> new ActivityPlaces.Locate<>(CheckIn::getActivityId), Named.as("locate-check-in-via-activity")),
                "check-ins", Topics.CHECK_INS, checkInSerde, c -> "unknown activity '" + c.getActivityId() + "'");
        KStream<String, Located<MixingContact>> contacts = locatedOrDeadLetter(firstSightings(builder
                .stream(Topics.MIXING_CONTACTS, Consumed.with(Serdes.String(), contactSerde)
                        .withTimestampExtractor(new EventTime()).withName("mixing-contacts")),
                "mixing-contact-ids", settings, c -> c, MixingContact::getEventId, Topics.MIXING_CONTACTS, contactSerde)
                .processValues(() -> new ActivityPlaces.Locate<>(MixingContact::getActivityId),
                        Named.as("locate-mixing-contact-via-activity")),
                "mixing-contacts", Topics.MIXING_CONTACTS, contactSerde, c -> "unknown activity '" + c.getActivityId() + "'");
        KStream<String, Located<SentimentTap>> taps = locatedOrDeadLetter(firstSightings(builder
                .stream(Topics.SENTIMENT_TAPS, Consumed.with(Serdes.String(), tapSerde)
                        .withTimestampExtractor(new EventTime()).withName("sentiment-taps")),
                "sentiment-tap-ids", settings, t -> t, SentimentTap::getEventId, Topics.SENTIMENT_TAPS, tapSerde)
                .processValues(() -> new KioskDebounce(settings.kioskDebounce()), Named.as("debounce-kiosk-taps"),
                        KioskDebounce.STORE)
                .leftJoin(kiosks, (kiosk, tap) -> tap.getKioskId(),
                        (tap, kiosk) -> new Located<>(kiosk == null ? null : kiosk.getNeighbourhoodId(),
                                kiosk == null ? null : kiosk.getActivityId(), tap),
                        Named.as("locate-sentiment-tap-via-kiosk")),
                "sentiment-taps", Topics.SENTIMENT_TAPS, tapSerde, t -> "unknown kiosk '" + t.getKioskId() + "'");

        // Check-ins of known participants, first seen, pass through their memory; anonymous ones
        // need only be first seen.
        var byToken = checkIns.mapValues(Attendance::of, Named.as("attend"))
                .split(Named.as("attendance-"))
                .branch((key, a) -> a.participantToken() != null, Branched.as("of-known-participants"))
                .defaultBranch(Branched.as("anonymous"));
        KStream<String, Attendance> remembered = firstSightings(byToken.get("attendance-of-known-participants"),
                "participant-check-in-ids", settings, Attendance::checkIn, CheckIn::getEventId, Topics.CHECK_INS, checkInSerde)
                .processValues(() -> new ParticipantMemory(settings.window(), settings.grace()), Named.as("remember-participants"),
                        ParticipantMemory.STORE);
        KStream<String, Attendance> anonymous = firstSightings(byToken.get("attendance-anonymous"),
                "anonymous-check-in-ids", settings, Attendance::checkIn, CheckIn::getEventId, Topics.CHECK_INS, checkInSerde);

        KStream<String, HourDraft> drafts = remembered.merge(anonymous, Named.as("all-attendance"))
                .mapValues(Contribution::ofCheckIn, Named.as("what-check-ins-add"))
                .merge(contacts.mapValues(Contribution::ofContact, Named.as("what-contacts-add")), Named.as("check-ins-and-contacts"))
                .merge(taps.mapValues(Contribution::ofTap, Named.as("what-taps-add")), Named.as("all-signals"))
                .process(() -> new HourDrafts(settings.window(), settings.application().commitInterval()), Named.as("draft-neighbourhood-hours"), HourDrafts.STORE);
        KStream<String, WindowTally> inEventTimeOrder = drafts
                .repartition(Repartitioned.with(Serdes.String(), draftSerde).withNumberOfPartitions(1)
                        .withName("neighbourhood-hour-drafts"))
                .process(() -> new Watermark(signalPartitions, settings.window()), Named.as("wait-until-every-partition-got-there"),
                        Watermark.PROGRESS, Watermark.WAITING);
        KTable<Windowed<String>, WindowTally> hours = tallyHourly(settings, indicators, tallySerde,
                inEventTimeOrder.groupByKey(Grouped.with("neighbourhood-hour-drafts-in-event-time-order", Serdes.String(), tallySerde)));
        ConfluentAvroSerde<HourAttendance> hourAttendanceSerde = serdes.of(HourAttendance.class);
        builder.addStateStore(CityHourDelta.store(hourAttendanceSerde));
        tallyCityDaily(settings, indicators.smallCells(), serdes.of(CityIndicators.class),
                hours.toStream(Named.as("neighbourhood-hours-for-the-city"))
                        .process(() -> new CityHourDelta(settings.window(), settings.grace()), Named.as("what-each-hour-adds"),
                                CityHourDelta.STORE)
                        .groupByKey(Grouped.with("hour-attendance-of-the-city", Serdes.String(), hourAttendanceSerde)));
        Topology topology = builder.build();
        LiveState.requireNoOtherStoreUpstream(topology.describe(),
                liveState.stream().map(StoreBuilder::name).collect(Collectors.toSet()));
        return topology;
    }

    /**
     * Check-ins with a token are produced keyed by it ({@link SignalKey}), so they meet their
     * participant's memory where they land. One keyed otherwise (a producer that does not follow
     * that rule) becomes a dead letter saying so, rather than being counted against the wrong memory.
     * (A repartition by token would forgive it, but its topic, empty whenever producers follow the
     * rule, would be read by the signals' task, and Kafka Streams 4.3 formats a log message for
     * every record while a task has an empty partition: 8% of the stream thread, measured.)
     */
    private static KStream<String, CheckIn> keyedByParticipant(KStream<String, CheckIn> checkIns,
                                                               ConfluentAvroSerde<CheckIn> serde) {
        return checkIns.split(Named.as("check-ins-by-key-"))
                .branch((key, c) -> c.getParticipantToken() != null && !c.getParticipantToken().equals(key),
                        Branched.withConsumer(keyedOtherwise -> keyedOtherwise
                                .mapValues(c -> new Located<>(null, c.getActivityId(), c), Named.as("check-in-keyed-otherwise"))
                                .processValues(() -> DeadLetter.of(Topics.CHECK_INS, serde.serializer(),
                                                c -> "keyed otherwise than by its participant token: a participant's check-ins"
                                                        + " must be keyed by the token (SignalKey) to meet on one partition;"
                                                        + " produce it again keyed so"),
                                        Named.as("dead-letter-check-in-keyed-otherwise"))
                                .to(Topics.DEAD_LETTERS, Produced.with(Serdes.String(), Serdes.ByteArray())
                                        .withName("dead-letters-check-ins-keyed-otherwise")), "keyed-otherwise"))
                .defaultBranch(Branched.as("keyed-as-signals-are"))
                .get("check-ins-by-key-keyed-as-signals-are");
    }

    /**
     * Each city's event-time days (keyed by the city its neighbourhoods are registered in): attendance
     * per activity and group, and how segregated activities are.
     */
    private static void tallyCityDaily(StreamsSettings settings, SmallCells smallCells,
                                       ConfluentAvroSerde<CityIndicators> serde,
                                       KGroupedStream<String, HourAttendance> hours) {
        KTable<Windowed<String>, CityIndicators> days = hours
                .windowedBy(TimeWindows.ofSizeAndGrace(java.time.Duration.ofDays(1), settings.grace()))
                .aggregate(CityDay::empty, (city, hour, day) -> CityDay.add(hour, day), Named.as("tally-city-day"),
                        Materialized.<String, CityIndicators, WindowStore<Bytes, byte[]>>as("city-daily")
                                .withKeySerde(Serdes.String())
                                .withValueSerde(serde));
        days.toStream(Named.as("city-day-updates"))
                .map((window, day) -> publishCity(window, day, false, smallCells), Named.as("publish-city-day"))
                .to(Topics.CITY_INDICATORS, Produced.with(Serdes.String(), serde).withName("city-indicators"));
        days.suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName("await-city-day-closing"))
                .toStream(Named.as("city-day-closed"))
                .map((window, day) -> publishCity(window, day, true, smallCells), Named.as("publish-final-city-day"))
                .to(Topics.CITY_INDICATORS, Produced.with(Serdes.String(), serde).withName("city-final-indicators"));
    }

    private static KeyValue<String, CityIndicators> publishCity(Windowed<String> window, CityIndicators day,
                                                                boolean isFinal, SmallCells smallCells) {
        CityIndicators stamped = CityIndicators.newBuilder(day)
                .setWindowStart(Instant.ofEpochMilli(window.window().start()))
                .setWindowEnd(Instant.ofEpochMilli(window.window().end()))
                .setIsFinal(isFinal)
                .setCity(window.key())
                .build();
        return KeyValue.pair(window.key() + "@" + stamped.getWindowStart(), CityDay.publish(stamped, smallCells));
    }

    /**
     * The hourly windows of every neighbourhood, with its activities inside: every update as it
     * happens (the sink upserts them), then, once the grace period is over, the final result
     * marked as such. Each window publishes one record for the neighbourhood and one per activity.
     */
    private static KTable<Windowed<String>, WindowTally> tallyHourly(StreamsSettings settings, WindowIndicators indicators,
                                    ConfluentAvroSerde<WindowTally> tallySerde,
                                    KGroupedStream<String, WindowTally> drafts) {
        ConfluentAvroSerde<NeighbourhoodIndicators> out = tallySerde.sibling(NeighbourhoodIndicators.class);
        KTable<Windowed<String>, WindowTally> tallies = drafts
                .windowedBy(TimeWindows.ofSizeAndGrace(settings.window(), settings.grace()))
                .aggregate(HourTally::empty, (hood, draft, tally) -> HourTally.add(draft, tally),
                        Named.as("tally-neighbourhood-hour"),
                        Materialized.<String, WindowTally, WindowStore<Bytes, byte[]>>as("neighbourhood-hourly")
                                .withKeySerde(Serdes.String())
                                .withValueSerde(tallySerde));
        publish(tallies.toStream(Named.as("neighbourhood-hour-updates")), false, indicators, out);
        publish(tallies.suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded())
                        .withName("await-neighbourhood-hour-closing"))
                .toStream(Named.as("neighbourhood-hour-closed")), true, indicators, out);
        return tallies;
    }

    private static void publish(KStream<Windowed<String>, WindowTally> windows, boolean isFinal,
                                WindowIndicators indicators, ConfluentAvroSerde<NeighbourhoodIndicators> out) {
        String stage = isFinal ? "final-" : "";
        windows.flatMap((window, tally) -> publish(window, tally, isFinal, indicators), Named.as("publish-" + stage + "windows"))
                .split(Named.as(stage + "scope-"))
                .branch((key, w) -> w.getActivityId() == null, Branched.withConsumer(hoods -> hoods
                        .to(Topics.NEIGHBOURHOOD_INDICATORS, Produced.with(Serdes.String(), out)
                                .withName(stage + "neighbourhood-indicators")), "neighbourhood"))
                .defaultBranch(Branched.withConsumer(activities -> activities
                        .to(Topics.ACTIVITY_INDICATORS, Produced.with(Serdes.String(), out)
                                .withName(stage + "activity-indicators")), "activity"));
    }

    /**
     * The first sighting of each event id goes on and its repeats are dropped; a signal reusing an
     * id for other content becomes a dead letter saying what differed ({@link FirstSighting}).
     * Ids are remembered in the store {@code ids} and its {@link FirstSighting#byId}.
     */
    private static <T, V extends SpecificRecord> KStream<String, T> firstSightings(
            KStream<String, T> signals, String ids, StreamsSettings settings, Function<T, V> signalOf,
            Function<V, UUID> eventIdOf, String sourceTopic, ConfluentAvroSerde<V> serde) {
        String name = ids.substring(0, ids.length() - "-ids".length()) + "s"; // e.g. anonymous-check-ins
        return signals
                .processValues(() -> new FirstSighting<T>(ids, settings.dedupHorizon(),
                                t -> eventIdOf.apply(signalOf.apply(t)), signalOf),
                        Named.as("drop-repeated-" + name), ids, FirstSighting.byId(ids))
                .split(Named.as("sightings-of-" + name + "-"))
                .branch((key, sighting) -> sighting.isReuse(), Branched.withConsumer(reused -> reused
                        .processValues(() -> DeadLetter.ofReuse(sourceTopic, serde.serializer(), signalOf),
                                Named.as("dead-letter-reused-ids-of-" + name))
                        .to(Topics.DEAD_LETTERS, Produced.with(Serdes.String(), Serdes.ByteArray())
                                .withName("dead-letters-reused-ids-of-" + name)), "reused"))
                .defaultBranch(Branched.as("first"))
                .get("sightings-of-" + name + "-first")
                .mapValues(FirstSighting.Sighting::signal, Named.as("first-seen-" + name));
    }

    /** Signals located in a neighbourhood go on; the rest become dead letters. */
    private static <V extends SpecificRecord> KStream<String, Located<V>> locatedOrDeadLetter(
            KStream<String, Located<V>> located, String name, String sourceTopic, ConfluentAvroSerde<V> serde,
            Function<V, String> reason) {
        return located.split(Named.as(name + "-"))
                .branch((eventId, signal) -> signal.isUnknown(), Branched.withConsumer(unknown -> unknown
                        .processValues(() -> DeadLetter.of(sourceTopic, serde.serializer(), reason),
                                Named.as("dead-letter-" + name))
                        .to(Topics.DEAD_LETTERS, Produced.with(Serdes.String(), Serdes.ByteArray())
                                .withName("dead-letters-" + name)), "unlocated"))
                .defaultBranch(Branched.as("located"))
                .get(name + "-located");
    }

    /**
     * Keys: neighbourhood@window-start, and neighbourhood/activity@window-start for each activity,
     * so each update replaces the previous one downstream.
     */
    private static List<KeyValue<String, NeighbourhoodIndicators>> publish(Windowed<String> window, WindowTally tally,
                                                                           boolean isFinal, WindowIndicators indicators) {
        List<KeyValue<String, NeighbourhoodIndicators>> published = new ArrayList<>();
        published.add(stamp(window, null, tally.getCounts(), isFinal, indicators));
        tally.getActivities().forEach((activityId, activity) ->
                published.add(stamp(window, activityId, activity.getCounts(), isFinal, indicators)));
        return published;
    }

    private static KeyValue<String, NeighbourhoodIndicators> stamp(Windowed<String> window, String activityId,
                                                                   HourCounts tally, boolean isFinal,
                                                                   WindowIndicators indicators) {
        NeighbourhoodIndicators counts = HourTally.published(window.key(), activityId,
                window.window().start(), window.window().end(), tally, isFinal);
        counts.setIndicators(indicators.derive(counts));
        String scope = activityId == null ? window.key() : window.key() + "/" + activityId;
        return KeyValue.pair(scope + "@" + counts.getWindowStart(), counts);
    }

    private CohesionTopology() {
    }
}
