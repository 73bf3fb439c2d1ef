package org.cohesionbarometer.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.cohesionbarometer.infra.InJvmKafka;
import org.cohesionbarometer.infra.registry.RegisteredSchemas;
import org.cohesionbarometer.infra.registry.SchemaRegistryServer;
import org.cohesionbarometer.schemas.SignalKey;
import org.cohesionbarometer.schemas.Topics;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;
import org.cohesionbarometer.schemas.reference.Activity;
import org.cohesionbarometer.schemas.reference.ActivityType;
import org.cohesionbarometer.schemas.reference.Kiosk;
import org.cohesionbarometer.schemas.signal.CheckIn;
import org.cohesionbarometer.schemas.signal.MixingContact;
import org.cohesionbarometer.schemas.signal.SentimentTap;
import org.cohesionbarometer.schemas.signal.SignalSource;
import org.cohesionbarometer.schemas.wire.RegistrySerdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The full topology on a real broker, exactly-once, including a record nobody can decode. */
class CohesionStreamsIT {
    private InJvmKafka kafka;
    private SchemaRegistryServer registry;
    private RegistrySerdes serdes;

    @BeforeEach
    void startBrokerAndRegistry() throws Exception {
        kafka = InJvmKafka.startTemporary();
        registry = new SchemaRegistryServer(new RegisteredSchemas()).start("localhost", 0);
        kafka.createBarometerTopics(2);
        serdes = new RegistrySerdes(registry.url(), true);
    }

    @AfterEach
    void stopBrokerAndRegistry() throws Exception {
        registry.close();
        kafka.close();
    }

    @Test
    void indicatorsFlowEndToEndWithExactlyOnceAndUndecodableBytesBecomeDeadLetters(@TempDir Path state) throws Exception {
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
        Map<String, Object> producerConfig = Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all");
        languageCafeInTheNorth(producerConfig);

        StreamsSettings settings = StreamsSettings.defaults(kafka.bootstrapServers(), registry.url(), state);
        try (CohesionStreamsApp app = new CohesionStreamsApp(settings).start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> app.state() == KafkaStreams.State.RUNNING);
            try (var checkIns = new KafkaProducer<>(producerConfig, new StringSerializer(), serdes.of(CheckIn.class).serializer());
                 var raw = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 12; i++) {
                    UUID id = UUID.randomUUID();
                    CheckIn checkIn = CheckIn.newBuilder().setEventId(id).setEventTime(hour.plusSeconds(60L * i))
                            .setActivityId("cafe").setGroupCode(i % 3 == 0 ? "B" : "A").setParticipantToken("tok-000" + i)
                            .setSource(SignalSource.APP).build();
                    checkIns.send(new ProducerRecord<>(Topics.CHECK_INS, SignalKey.of(checkIn), checkIn)).get();
                    if (i == 5) {
                        checkIns.send(new ProducerRecord<>(Topics.CHECK_INS, SignalKey.of(checkIn), checkIn)).get(); // a retry
                        raw.send(new ProducerRecord<>(Topics.CHECK_INS, "garbage",
                                "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8))).get();
                    }
                }
            }

            var decoder = serdes.of(NeighbourhoodIndicators.class).deserializer();
            List<NeighbourhoodIndicators> updates = new ArrayList<>();
            List<ConsumerRecord<String, byte[]>> deadLetters = new ArrayList<>();
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(),
                    "group.id", "it-reader", "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(Topics.NEIGHBOURHOOD_INDICATORS, Topics.DEAD_LETTERS));
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    for (var r : consumer.poll(Duration.ofMillis(200))) {
                        if (r.topic().equals(Topics.DEAD_LETTERS)) {
                            deadLetters.add(r);
                        } else {
                            updates.add(decoder.deserialize(r.topic(), r.value()));
                        }
                    }
                    return !deadLetters.isEmpty() && !updates.isEmpty()
                            && updates.get(updates.size() - 1).getCheckIns() == 12;
                });
            }

            NeighbourhoodIndicators latest = updates.get(updates.size() - 1);
            assertThat(latest.getNeighbourhoodId()).isEqualTo("north");
            assertThat(latest.getWindowStart()).isEqualTo(hour);
            assertThat(latest.getUniqueParticipants()).isEqualTo(12);
            assertThat(latest.getIndicators().getGiniSimpson()).isCloseTo(1 - (64.0 + 16) / 144,
                    org.assertj.core.api.Assertions.within(1e-12));
            assertThat(updates).allSatisfy(u -> assertThat(u.getCheckIns()).isLessThanOrEqualTo(12));
            assertThat(deadLetters.get(0).key()).isEqualTo("garbage");
            assertThat(deadLetters.get(0).headers().toString()).containsIgnoringCase("exception");
            assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }
    /**
     * A city loading three days of history when it switches the barometer on, or catching up after
     * an outage: more than the 48 h grace period of backlog, all three kinds of signal on two
     * partitions, read from the start, exactly-once. Every signal is counted in its hour, once, none
     * lost on the way, and none dropped as late because one partition ran ahead of the other.
     */
    @Test
    void aBacklogOfThreeDaysIsCaughtUpWithEverySignalCountedOnce(@TempDir Path state) throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(72));
        int hoods = 4;
        Map<String, Object> producerConfig = Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all",
                "linger.ms", 20);
        long checkInCount = 0;
        long contactCount = 0;
        long tapCount = 0;
        try (var reference = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
             var signals = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
            var activity = serdes.of(Activity.class).serializer();
            var kiosk = serdes.of(Kiosk.class).serializer();
            for (int n = 0; n < hoods; n++) {
                reference.send(new ProducerRecord<>(Topics.ACTIVITIES, "act-" + n, activity.serialize(Topics.ACTIVITIES,
                        Activity.newBuilder().setId("act-" + n).setTitle("act-" + n).setType(ActivityType.COMMUNITY_DINNER)
                                .setNeighbourhoodId("hood-" + n).setOrganiserId("org").setStartsAt(start).build())));
                reference.send(new ProducerRecord<>(Topics.KIOSKS, "kiosk-" + n, kiosk.serialize(Topics.KIOSKS,
                        Kiosk.newBuilder().setId("kiosk-" + n).setNeighbourhoodId("hood-" + n).setOrganiserId("org").build())));
            }
            reference.flush();
            var checkIn = serdes.of(CheckIn.class).serializer();
            var contact = serdes.of(MixingContact.class).serializer();
            var tap = serdes.of(SentimentTap.class).serializer();
            java.util.SplittableRandom random = new java.util.SplittableRandom(7);
            for (int minute = 0; minute < 72 * 60; minute++) {
                Instant at = start.plus(Duration.ofMinutes(minute));
                int n = minute % hoods;
                CheckIn c = CheckIn.newBuilder().setEventId(UUID.randomUUID()).setEventTime(at).setActivityId("act-" + n)
                        .setParticipantToken("tok-" + random.nextInt(300)).setGroupCode(random.nextBoolean() ? "A" : "B")
                        .setSource(SignalSource.APP).build();
                signals.send(new ProducerRecord<>(Topics.CHECK_INS, SignalKey.of(c), checkIn.serialize(Topics.CHECK_INS, c)));
                checkInCount++;
                if (minute % 2 == 0) {
                    MixingContact m = MixingContact.newBuilder().setEventId(UUID.randomUUID()).setEventTime(at)
                            .setActivityId("act-" + n).setGroupCodeA("A").setGroupCodeB("B").setSource(SignalSource.APP).build();
                    signals.send(new ProducerRecord<>(Topics.MIXING_CONTACTS, SignalKey.of(m), contact.serialize(Topics.MIXING_CONTACTS, m)));
                    contactCount++;
                }
                if (minute % 5 == 0) { // minutes apart: no debouncing
                    SentimentTap t = SentimentTap.newBuilder().setEventId(UUID.randomUUID()).setEventTime(at)
                            .setKioskId("kiosk-" + n).setQuestionCode("welcome").setScale(5).setLevel(1 + minute % 5).build();
                    signals.send(new ProducerRecord<>(Topics.SENTIMENT_TAPS, SignalKey.of(t), tap.serialize(Topics.SENTIMENT_TAPS, t)));
                    tapCount++;
                }
            }
        }

        StreamsSettings settings = StreamsSettings.defaults(kafka.bootstrapServers(), registry.url(), state);
        var decoder = serdes.of(NeighbourhoodIndicators.class).deserializer();
        Map<String, NeighbourhoodIndicators> latest = new java.util.HashMap<>();
        try (CohesionStreamsApp app = new CohesionStreamsApp(settings).start();
             var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(),
                     "group.id", "it-backlog", "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
                     new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.NEIGHBOURHOOD_INDICATORS));
            long expected = checkInCount;
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    latest.put(r.key(), decoder.deserialize(r.topic(), r.value()));
                }
                return latest.values().stream().mapToLong(NeighbourhoodIndicators::getCheckIns).sum() >= expected;
            });
            Thread.sleep(3_000); // anything still arriving would be a double count
            for (var r : consumer.poll(Duration.ofMillis(500))) {
                latest.put(r.key(), decoder.deserialize(r.topic(), r.value()));
            }
        }

        assertThat(latest.values().stream().mapToLong(NeighbourhoodIndicators::getCheckIns).sum()).isEqualTo(checkInCount);
        assertThat(latest.values().stream().mapToLong(NeighbourhoodIndicators::getContacts).sum()).isEqualTo(contactCount);
        assertThat(latest.values().stream().flatMap(w -> w.getSentiment().stream())
                .mapToLong(org.cohesionbarometer.schemas.indicator.SentimentCell::getTaps).sum()).isEqualTo(tapCount);
        assertThat(latest).hasSize(hoods * 72);
    }

    /**
     * The machine running the barometer is replaced and its local state is gone: the new one
     * restores everything from the changelogs. Participants are still remembered (their return is
     * not counted as a first visit), and retries of signals counted before the restart (a
     * participant's check-in, an anonymous one, a mixing contact) are still recognised. (The state
     * is written to the changelogs when a commit is prepared; were that ever to happen after the
     * commit instead, it would be lost with the aborted transaction and this would fail.)
     */
    @Test
    void aRestartOnEmptyLocalStateRemembersParticipantsAndRepeats(@TempDir Path state) throws Exception {
        Instant nine = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
        Instant ten = nine.plus(Duration.ofHours(1));
        Map<String, Object> producerConfig = Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all");
        languageCafeInTheNorth(producerConfig);
        List<CheckIn> atNine = new ArrayList<>();
        List<CheckIn> atTen = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            atNine.add(checkIn("tok-" + i, nine.plusSeconds(60L * i)));
            atTen.add(checkIn("tok-" + i, ten.plusSeconds(60L * i)));
        }
        var decoder = serdes.of(NeighbourhoodIndicators.class).deserializer();
        Map<String, NeighbourhoodIndicators> latest = new java.util.HashMap<>();
        CheckIn anonymous = CheckIn.newBuilder(checkIn("x", nine.plusSeconds(30))).setParticipantToken(null).build();
        MixingContact contact = MixingContact.newBuilder().setEventId(UUID.randomUUID()).setEventTime(nine.plusSeconds(90))
                .setActivityId("cafe").setGroupCodeA("A").setGroupCodeB("B").setSource(SignalSource.APP).build();
        try (var checkIns = new KafkaProducer<>(producerConfig, new StringSerializer(), serdes.of(CheckIn.class).serializer());
             var contacts = new KafkaProducer<>(producerConfig, new StringSerializer(), serdes.of(MixingContact.class).serializer());
             var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(),
                     "group.id", "it-restart", "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
                     new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.NEIGHBOURHOOD_INDICATORS));
            String nineWindow = "north@" + nine;
            String tenWindow = "north@" + ten;

            try (CohesionStreamsApp first = new CohesionStreamsApp(
                    StreamsSettings.defaults(kafka.bootstrapServers(), registry.url(), state.resolve("first"))).start()) {
                for (CheckIn c : atNine) {
                    checkIns.send(new ProducerRecord<>(Topics.CHECK_INS, SignalKey.of(c), c)).get();
                }
                checkIns.send(new ProducerRecord<>(Topics.CHECK_INS, SignalKey.of(anonymous), anonymous)).get();
                contacts.send(new ProducerRecord<>(Topics.MIXING_CONTACTS, SignalKey.of(contact), contact)).get();
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> latest.put(r.key(), decoder.deserialize(r.topic(), r.value())));
                    return latest.containsKey(nineWindow) && latest.get(nineWindow).getCheckIns() == 13
                            && latest.get(nineWindow).getContacts() == 1;
                });
            }

            try (CohesionStreamsApp second = new CohesionStreamsApp(
                    StreamsSettings.defaults(kafka.bootstrapServers(), registry.url(), state.resolve("second"))).start()) {
                CheckIn retried = atNine.get(3);
                checkIns.send(new ProducerRecord<>(Topics.CHECK_INS, SignalKey.of(retried), retried)).get();
                checkIns.send(new ProducerRecord<>(Topics.CHECK_INS, SignalKey.of(anonymous), anonymous)).get();
                contacts.send(new ProducerRecord<>(Topics.MIXING_CONTACTS, SignalKey.of(contact), contact)).get();
                for (CheckIn c : atTen) {
                    checkIns.send(new ProducerRecord<>(Topics.CHECK_INS, SignalKey.of(c), c)).get();
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> latest.put(r.key(), decoder.deserialize(r.topic(), r.value())));
                    return latest.containsKey(tenWindow) && latest.get(tenWindow).getCheckIns() == 12;
                });
                Thread.sleep(2_000); // a retry counted again would arrive by now
                consumer.poll(Duration.ofMillis(500)).forEach(r -> latest.put(r.key(), decoder.deserialize(r.topic(), r.value())));
            }

            assertThat(latest.get(nineWindow).getCheckIns()).as("the retries after the restart").isEqualTo(13);
            assertThat(latest.get(nineWindow).getContacts()).as("the contact's retry").isEqualTo(1);
            assertThat(latest.get(nineWindow).getFirstTimeParticipants()).isEqualTo(12);
            assertThat(latest.get(tenWindow).getUniqueParticipants()).isEqualTo(12);
            assertThat(latest.get(tenWindow).getFirstTimeParticipants()).as("all twelve came back").isZero();
        }
    }

    /** The activity "cafe", in the neighbourhood "north". */
    private void languageCafeInTheNorth(Map<String, Object> producerConfig) throws Exception {
        try (var activities = new KafkaProducer<>(producerConfig, new StringSerializer(), serdes.of(Activity.class).serializer())) {
            activities.send(new ProducerRecord<>(Topics.ACTIVITIES, "cafe", Activity.newBuilder().setId("cafe")
                    .setTitle("Language café").setType(ActivityType.LANGUAGE_CAFE).setNeighbourhoodId("north")
                    .setOrganiserId("org").setStartsAt(Instant.parse("2026-01-05T18:00:00Z")).build())).get();
        }
    }

    private static CheckIn checkIn(String token, Instant at) {
        return CheckIn.newBuilder().setEventId(UUID.randomUUID()).setEventTime(at).setActivityId("cafe")
                .setGroupCode(token.hashCode() % 2 == 0 ? "A" : "B").setParticipantToken(token)
                .setSource(SignalSource.APP).build();
    }
}
