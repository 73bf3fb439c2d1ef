package org.cohesionbarometer.sink.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.cohesionbarometer.infra.InJvmKafka;
import org.cohesionbarometer.infra.InJvmPostgres;
import org.cohesionbarometer.infra.registry.RegisteredSchemas;
import org.cohesionbarometer.infra.registry.SchemaRegistryServer;
import org.cohesionbarometer.schemas.AcceptedAt;
import org.cohesionbarometer.schemas.DeadLetterHeaders;
import org.cohesionbarometer.schemas.KafkaEndpoints;
import org.cohesionbarometer.schemas.Topics;
import org.cohesionbarometer.schemas.reference.Activity;
import org.cohesionbarometer.schemas.reference.ActivityType;
import org.cohesionbarometer.schemas.reference.Kiosk;
import org.cohesionbarometer.schemas.reference.City;
import org.cohesionbarometer.schemas.reference.Neighbourhood;
import org.cohesionbarometer.schemas.signal.CheckIn;
import org.cohesionbarometer.schemas.signal.SentimentTap;
import org.cohesionbarometer.schemas.signal.SignalSource;
import org.cohesionbarometer.schemas.wire.RegistrySerdes;
import org.cohesionbarometer.sink.Migrations;
import org.cohesionbarometer.sink.SinkSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The data-quality feed fills what the pipeline-health dashboard reads, exactly once under replay. */
class DataQualityFeedIT {
    private static final Instant NINE = Instant.parse("2026-03-14T09:00:00Z");
    /** When the kiosk, offline for a day, uploaded the taps it buffered at nine. */
    private static final Instant UPLOADED = Instant.parse("2026-03-15T11:20:00Z");
    private static InJvmKafka kafka;
    private static SchemaRegistryServer registry;
    private static RegistrySerdes serdes;
    private static InJvmPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        kafka = InJvmKafka.startTemporary();
        kafka.createBarometerTopics(2);
        registry = new SchemaRegistryServer(new RegisteredSchemas()).start("localhost", 0);
        serdes = new RegistrySerdes(registry.url(), true);
        postgres = InJvmPostgres.startTemporary();
        Migrations.apply(postgres.jdbcUrl(), postgres.user(), postgres.password());
        publishCity();
    }

    @AfterAll
    static void stop() {
        postgres.close();
        registry.close();
        kafka.close();
    }

    @Test
    void referenceDataArrivalsDeadLettersAndLagLandInTheDatabaseAndAReplayCountsNothingTwice() throws Exception {
        // a consumer group that has read none of the 7 check-ins: its lag is 7
        try (var admin = kafka.admin()) {
            var offsets = new java.util.HashMap<TopicPartition, OffsetAndMetadata>();
            offsets.put(new TopicPartition(Topics.CHECK_INS, 0), new OffsetAndMetadata(0));
            offsets.put(new TopicPartition(Topics.CHECK_INS, 1), new OffsetAndMetadata(0));
            admin.alterConsumerGroupOffsets("slow-readers", offsets).all().get();
        }

        runFeedUntilCaughtUp("data-quality-first");
        List<String> firstPass = health();

        assertThat(firstPass).containsExactly(
                "arrivals check-ins APP a-cafe organiser=old-town-ngo neighbourhood=old-town events=6",
                "arrivals check-ins UNDECODABLE - organiser=? neighbourhood=? events=1",
                "arrivals sentiment-taps KIOSK kiosk-1 organiser=old-town-ngo neighbourhood=old-town events=3",
                "dead letter barometer.signals.check-ins: field groupCode: unknown group 'Z' = 2",
                "lag slow-readers barometer.signals.check-ins = 7",
                "neighbourhood old-town Old Town (Riverton) at 51.5,-0.12",
                "city Riverton in the network comparison: true");

        assertThat(rows("SELECT extract(epoch FROM hour)::bigint || ' ' || extract(epoch FROM last_arrival)::bigint || ' '"
                + " || extract(epoch FROM last_event_time)::bigint FROM signal_arrivals_hourly WHERE signal = 'sentiment-taps'"))
                .as("buffered taps count when they arrived, not when they were tapped")
                .containsExactly(UPLOADED.truncatedTo(java.time.temporal.ChronoUnit.HOURS).getEpochSecond() + " "
                        + UPLOADED.getEpochSecond() + " " + NINE.getEpochSecond());

        // a second group reads everything again, as after a crash before the offsets were committed
        runFeedUntilCaughtUp("data-quality-replay");
        assertThat(health()).isEqualTo(firstPass);
    }

    private static void runFeedUntilCaughtUp(String groupId) throws Exception {
        var settings = new SinkSettings(KafkaEndpoints.of(kafka.bootstrapServers(), registry.url()), postgres.jdbcUrl(), postgres.user(),
                postgres.password(), "unused", 500, Duration.ofSeconds(2));
        DataQualityFeed feed = new DataQualityFeed(settings,
                new DataQualitySettings(groupId, Duration.ofMillis(200), List.of("slow-readers")));
        Thread worker = new Thread(feed, groupId);
        worker.start();
        try (var admin = kafka.admin()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                var committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
                long read = committed.values().stream().filter(java.util.Objects::nonNull).mapToLong(OffsetAndMetadata::offset).sum();
                return read == 7 + 3 + 2 + 1 + 1 + 1 + 1 && count("SELECT count(*) FROM consumer_lag") > 0;
            });
        } finally {
            feed.close();
            worker.join(30_000);
        }
    }

    private static void publishCity() throws Exception {
        publish(Topics.CITIES, "Riverton", new City("Riverton", "Riverton", true));
        publish(Topics.NEIGHBOURHOODS, "old-town", new Neighbourhood("old-town", "Old Town", "Riverton", 51.5, -0.12, 12000L));
        publish(Topics.ACTIVITIES, "a-cafe", Activity.newBuilder().setId("a-cafe").setTitle("Language café")
                .setType(ActivityType.LANGUAGE_CAFE).setNeighbourhoodId("old-town").setOrganiserId("old-town-ngo")
                .setStartsAt(NINE).build());
        publish(Topics.KIOSKS, "kiosk-1", Kiosk.newBuilder().setId("kiosk-1").setNeighbourhoodId("old-town")
                .setOrganiserId("old-town-ngo").build());
        for (int i = 0; i < 6; i++) {
            UUID id = UUID.randomUUID();
            publish(Topics.CHECK_INS, id.toString(), CheckIn.newBuilder().setEventId(id).setEventTime(NINE.plusSeconds(i))
                    .setActivityId("a-cafe").setParticipantToken("p" + i).setGroupCode("A").setHeadcount(1)
                    .setSource(SignalSource.APP).build());
        }
        publishRaw(Topics.CHECK_INS, "garbage", "not avro".getBytes(StandardCharsets.UTF_8), Map.of());
        for (int i = 0; i < 3; i++) {
            // A kiosk that was offline uploads the day after: stamped with the tap's time, accepted a day later.
            UUID id = UUID.randomUUID();
            SentimentTap tap = SentimentTap.newBuilder().setEventId(id).setEventTime(NINE)
                    .setKioskId("kiosk-1").setQuestionCode("welcome").setScale(5).setLevel(4).build();
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(),
                    "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
                var record = new ProducerRecord<>(Topics.SENTIMENT_TAPS, null, NINE.toEpochMilli(), "kiosk-1",
                        serdes.of(SentimentTap.class).serializer().serialize(Topics.SENTIMENT_TAPS, tap));
                AcceptedAt.add(record.headers(), UPLOADED);
                producer.send(record).get();
            }
        }
        for (int i = 0; i < 2; i++) {
            publishRaw(Topics.DEAD_LETTERS, "e" + i, new byte[] {1}, Map.of(
                    DeadLetterHeaders.SOURCE_TOPIC, Topics.CHECK_INS,
                    DeadLetterHeaders.REASON, "field groupCode: unknown group 'Z'\nmore detail"));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> void publish(String topic, String key, T value) throws Exception {
        var serializer = serdes.of((Class<T>) value.getClass()).serializer();
        publishRaw(topic, key, serializer.serialize(topic, value), Map.of());
    }

    private static void publishRaw(String topic, String key, byte[] value, Map<String, String> headers) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(),
                "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
            var record = new ProducerRecord<>(topic, key, value);
            headers.forEach((name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get();
        }
    }

    private static List<String> health() throws SQLException {
        List<String> lines = new ArrayList<>();
        lines.addAll(rows("""
                SELECT 'arrivals ' || signal || ' ' || source || ' ' || coalesce(nullif(activity_id, ''), nullif(kiosk_id, ''), '-')
                       || ' organiser=' || organiser_id || ' neighbourhood=' || neighbourhood_id || ' events=' || sum(events)
                  FROM pipeline_arrivals_hourly GROUP BY signal, source, activity_id, kiosk_id, organiser_id, neighbourhood_id
                 ORDER BY 1"""));
        lines.addAll(rows("SELECT 'dead letter ' || source_topic || ': ' || reason || ' = ' || sum(letters) "
                + "FROM dead_letters_hourly GROUP BY source_topic, reason ORDER BY 1"));
        lines.addAll(rows("""
                SELECT 'lag ' || group_id || ' ' || topic || ' = ' || sum(lag) FROM consumer_lag
                 WHERE measured_at = (SELECT max(measured_at) FROM consumer_lag) GROUP BY group_id, topic"""));
        lines.addAll(rows("SELECT 'neighbourhood ' || id || ' ' || name || ' (' || city || ') at ' || centroid_lat || ',' "
                + "|| centroid_lon FROM neighbourhoods"));
        lines.addAll(rows("SELECT 'city ' || id || ' in the network comparison: ' || in_network FROM cities"));
        return lines;
    }

    private static List<String> rows(String sql) throws SQLException {
        return postgres.queryForStrings(sql);
    }

    private static long count(String sql) throws SQLException {
        return postgres.queryForLong(sql);
    }
}
