package org.cohesionbarometer.sink.quality;

import static org.cohesionbarometer.sink.IndicatorTable.bind;
import static org.cohesionbarometer.sink.IndicatorTable.column;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.cohesionbarometer.schemas.AcceptedAt;
import org.cohesionbarometer.schemas.DeadLetterHeaders;
import org.cohesionbarometer.schemas.Topics;
import org.cohesionbarometer.schemas.reference.Activity;
import org.cohesionbarometer.schemas.reference.Kiosk;
import org.cohesionbarometer.schemas.reference.City;
import org.cohesionbarometer.schemas.reference.Neighbourhood;
import org.cohesionbarometer.schemas.registry.SchemaRegistryClient;
import org.cohesionbarometer.schemas.signal.CheckIn;
import org.cohesionbarometer.schemas.signal.MixingContact;
import org.cohesionbarometer.schemas.signal.SentimentTap;
import org.cohesionbarometer.schemas.wire.ConfluentAvroDeserializer;
import org.cohesionbarometer.sink.ConsumerLoop;
import org.cohesionbarometer.sink.DatabaseSession;
import org.cohesionbarometer.sink.SinkSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the pipeline-health dashboard reads, kept in the database next to the indicators: the
 * city's reference data (neighbourhood centroids, activities, kiosks — followed from the
 * compacted topics), signal arrivals per hour, source, activity and kiosk, dead letters per
 * stage and reason, and the consumer lag of the barometer's consumer groups.
 *
 * <p>Like the indicator sink, a poll is written in one transaction and only then are offsets
 * committed. Counts stay exact under replay: each counted row remembers the last offset it
 * counted in its partition, and a record at or below it is not counted again. Nothing about a
 * participant is stored: arrivals are counts, and signals carry only pseudonymous tokens anyway.
 */
public final class DataQualityFeed implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataQualityFeed.class);

    private static final String COUNT_ARRIVALS = """
            INSERT INTO signal_arrivals_hourly AS t (hour, signal, source, activity_id, kiosk_id, kafka_partition, events,
                last_event_time, last_arrival, last_offset)
            SELECT u.hour, u.signal, u.source, u.activity_id, u.kiosk_id, u.kafka_partition, count(*), max(u.event_time),
                   max(u.arrival), max(u.kafka_offset)
              FROM unnest(?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::timestamptz[],
                          ?::timestamptz[], ?::bigint[])
                   AS u(hour, signal, source, activity_id, kiosk_id, kafka_partition, event_time, arrival, kafka_offset)
              LEFT JOIN signal_arrivals_hourly c
                ON (c.signal, c.kafka_partition, c.source, c.activity_id, c.kiosk_id, c.hour)
                 = (u.signal, u.kafka_partition, u.source, u.activity_id, u.kiosk_id, u.hour)
             WHERE c.last_offset IS NULL OR u.kafka_offset > c.last_offset
             GROUP BY u.hour, u.signal, u.source, u.activity_id, u.kiosk_id, u.kafka_partition
            ON CONFLICT (signal, kafka_partition, source, activity_id, kiosk_id, hour) DO UPDATE SET
                events = t.events + EXCLUDED.events,
                last_event_time = greatest(t.last_event_time, EXCLUDED.last_event_time),
                last_arrival = greatest(t.last_arrival, EXCLUDED.last_arrival),
                last_offset = greatest(t.last_offset, EXCLUDED.last_offset)
            """;
    private static final String COUNT_DEAD_LETTERS = """
            INSERT INTO dead_letters_hourly AS t (hour, source_topic, reason, kafka_partition, letters, last_offset)
            SELECT u.hour, u.source_topic, u.reason, u.kafka_partition, count(*), max(u.kafka_offset)
              FROM unnest(?::timestamptz[], ?::text[], ?::text[], ?::int[], ?::bigint[])
                   AS u(hour, source_topic, reason, kafka_partition, kafka_offset)
              LEFT JOIN dead_letters_hourly c
                ON (c.kafka_partition, c.source_topic, c.reason, c.hour) = (u.kafka_partition, u.source_topic, u.reason, u.hour)
             WHERE c.last_offset IS NULL OR u.kafka_offset > c.last_offset
             GROUP BY u.hour, u.source_topic, u.reason, u.kafka_partition
            ON CONFLICT (kafka_partition, source_topic, reason, hour) DO UPDATE SET
                letters = t.letters + EXCLUDED.letters, last_offset = greatest(t.last_offset, EXCLUDED.last_offset)
            """;

    /** One signal as it arrived: what is counted, never who. */
    record Arrival(Instant hour, String signal, String source, String activityId, String kioskId, int partition,
                   Instant eventTime, Instant arrival, long offset) {
    }

    record DeadLetter(Instant hour, String sourceTopic, String reason, int partition, long offset) {
    }

    private final SinkSettings settings;
    private final DataQualitySettings quality;
    private final ConsumerLoop loop;
    private final Admin admin;
    private final SchemaRegistryClient registry;
    private final Map<Class<?>, ConfluentAvroDeserializer<?>> decoders = new HashMap<>();
    private final DatabaseSession database;
    private Instant nextLagSample = Instant.EPOCH;

    public DataQualityFeed(SinkSettings settings, DataQualitySettings quality) {
        this.settings = settings;
        this.quality = quality;
        this.loop = new ConsumerLoop(settings.kafka(), quality.groupId(), settings.maxBatch(), settings.membership(), "Data-quality feed", LOG);
        this.admin = Admin.create(settings.kafka().clientProperties());
        this.registry = settings.kafka().registryClient();
        this.database = new DatabaseSession(settings, loop::running, LOG, "data-quality feed", loop::keepAlive);
    }

    @Override
    public void run() {
        List<String> topics = new ArrayList<>(List.of(Topics.NEIGHBOURHOODS, Topics.ACTIVITIES, Topics.KIOSKS,
                Topics.CITIES, Topics.DEAD_LETTERS));
        topics.addAll(List.of(Topics.SIGNALS));
        loop.run(topics, records -> database.inTransaction(connection -> write(connection, records)), this::sampleLagWhenDue,
                () -> admin.close(Duration.ofSeconds(5)), database);
    }

    private void sampleLagWhenDue() {
        if (Instant.now().isAfter(nextLagSample)) {
            nextLagSample = Instant.now().plus(quality.lagEvery());
            Map<String, Map<TopicPartition, Long>> lag = consumerLag();
            database.inTransaction(connection -> storeLag(connection, lag));
        }
    }

    private void write(Connection connection, ConsumerRecords<String, byte[]> records) throws SQLException {
        List<Arrival> arrivals = new ArrayList<>();
        List<DeadLetter> deadLetters = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            // Signals are stamped with their event time; when they arrived, the API says in a header.
            Instant arrived = AcceptedAt.of(record.headers()).orElse(Instant.ofEpochMilli(record.timestamp()));
            Instant hour = arrived.truncatedTo(ChronoUnit.HOURS);
            switch (record.topic()) {
                case Topics.NEIGHBOURHOODS, Topics.ACTIVITIES, Topics.KIOSKS, Topics.CITIES -> follow(connection, record);
                case Topics.DEAD_LETTERS -> deadLetters.add(new DeadLetter(hour,
                        DeadLetterHeaders.sourceTopic(record.headers()),
                        firstLine(DeadLetterHeaders.reason(record.headers())),
                        record.partition(), record.offset()));
                default -> arrivals.add(arrival(record, hour, arrived));
            }
        }
        if (!arrivals.isEmpty()) {
            try (PreparedStatement st = connection.prepareStatement(COUNT_ARRIVALS)) {
                bind(connection, st, arrivals,
                        column("text", a -> a.hour().toString()),
                        column("text", Arrival::signal),
                        column("text", Arrival::source),
                        column("text", Arrival::activityId),
                        column("text", Arrival::kioskId),
                        column("int", Arrival::partition),
                        column("text", a -> a.eventTime().toString()),
                        column("text", a -> a.arrival().toString()),
                        column("bigint", Arrival::offset));
                st.executeUpdate();
            }
        }
        if (!deadLetters.isEmpty()) {
            try (PreparedStatement st = connection.prepareStatement(COUNT_DEAD_LETTERS)) {
                bind(connection, st, deadLetters,
                        column("text", d -> d.hour().toString()),
                        column("text", DeadLetter::sourceTopic),
                        column("text", DeadLetter::reason),
                        column("int", DeadLetter::partition),
                        column("bigint", DeadLetter::offset));
                st.executeUpdate();
            }
        }
    }

    /** A signal's signal type, source, activity and kiosk; an undecodable one counts as such. */
    private Arrival arrival(ConsumerRecord<String, byte[]> record, Instant hour, Instant arrived) {
        String signal = record.topic().substring(record.topic().lastIndexOf('.') + 1);
        try {
            switch (record.topic()) {
                case Topics.CHECK_INS -> {
                    CheckIn c = decode(CheckIn.class, record);
                    return new Arrival(hour, signal, c.getSource().name(), c.getActivityId(), "", record.partition(),
                            c.getEventTime(), arrived, record.offset());
                }
                case Topics.MIXING_CONTACTS -> {
                    MixingContact m = decode(MixingContact.class, record);
                    return new Arrival(hour, signal, m.getSource().name(), m.getActivityId(), "", record.partition(),
                            m.getEventTime(), arrived, record.offset());
                }
                default -> {
                    SentimentTap t = decode(SentimentTap.class, record);
                    return new Arrival(hour, signal, "KIOSK", "", t.getKioskId(), record.partition(), t.getEventTime(),
                            arrived, record.offset());
                }
            }
        } catch (RuntimeException undecodable) {
            return new Arrival(hour, signal, "UNDECODABLE", "", "", record.partition(), arrived, arrived, record.offset());
        }
    }

    /** Reference data: the latest record per id wins; a tombstone removes the id. */
    private void follow(Connection connection, ConsumerRecord<String, byte[]> record) throws SQLException {
        String table = switch (record.topic()) {
            case Topics.NEIGHBOURHOODS -> "neighbourhoods";
            case Topics.ACTIVITIES -> "activities";
            case Topics.CITIES -> "cities";
            default -> "kiosks";
        };
        if (record.value() == null) {
            try (PreparedStatement st = connection.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
                st.setString(1, record.key());
                st.executeUpdate();
            }
            return;
        }
        try {
            switch (record.topic()) {
                case Topics.NEIGHBOURHOODS -> {
                    Neighbourhood n = decode(Neighbourhood.class, record);
                    upsert(connection, """
                            INSERT INTO neighbourhoods (id, name, city, centroid_lat, centroid_lon, population) VALUES (?, ?, ?, ?, ?, ?)
                            ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, city = EXCLUDED.city,
                                centroid_lat = EXCLUDED.centroid_lat, centroid_lon = EXCLUDED.centroid_lon,
                                population = EXCLUDED.population, updated_at = now()""",
                            n.getId(), n.getName(), n.getCity(), n.getCentroidLat(), n.getCentroidLon(), n.getPopulation());
                }
                case Topics.CITIES -> {
                    City c = decode(City.class, record);
                    upsert(connection, """
                            INSERT INTO cities (id, name, in_network) VALUES (?, ?, ?)
                            ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, in_network = EXCLUDED.in_network,
                                updated_at = now()""",
                            c.getId(), c.getName(), c.getInNetwork());
                }
                case Topics.ACTIVITIES -> {
                    Activity a = decode(Activity.class, record);
                    upsert(connection, """
                            INSERT INTO activities (id, title, type, neighbourhood_id, organiser_id, starts_at, ends_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?)
                            ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, type = EXCLUDED.type,
                                neighbourhood_id = EXCLUDED.neighbourhood_id, organiser_id = EXCLUDED.organiser_id,
                                starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at, updated_at = now()""",
                            a.getId(), a.getTitle(), a.getType().name(), a.getNeighbourhoodId(), a.getOrganiserId(),
                            Timestamp.from(a.getStartsAt()), a.getEndsAt() == null ? null : Timestamp.from(a.getEndsAt()));
                }
                default -> {
                    Kiosk k = decode(Kiosk.class, record);
                    upsert(connection, """
                            INSERT INTO kiosks (id, neighbourhood_id, organiser_id, activity_id) VALUES (?, ?, ?, ?)
                            ON CONFLICT (id) DO UPDATE SET neighbourhood_id = EXCLUDED.neighbourhood_id,
                                organiser_id = EXCLUDED.organiser_id, activity_id = EXCLUDED.activity_id, updated_at = now()""",
                            k.getId(), k.getNeighbourhoodId(), k.getOrganiserId(), k.getActivityId());
                }
            }
        } catch (org.apache.kafka.common.errors.SerializationException | org.apache.avro.AvroRuntimeException e) {
            LOG.warn("Reference record {} on {} is undecodable and not followed: {}", record.key(), record.topic(),
                    e.getMessage());
        }
    }

    private static void upsert(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                st.setObject(i + 1, values[i]);
            }
            st.executeUpdate();
        }
    }

    /** Lag = end offset − committed offset, per group and partition. */
    private Map<String, Map<TopicPartition, Long>> consumerLag() {
        Map<String, Map<TopicPartition, Long>> lag = new java.util.LinkedHashMap<>();
        try {
            for (String group : quality.lagGroups()) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                committed.values().removeIf(java.util.Objects::isNull);
                if (committed.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get();
                Map<TopicPartition, Long> perPartition = new HashMap<>();
                committed.forEach((tp, offset) -> perPartition.put(tp, Math.max(0, ends.get(tp).offset() - offset.offset())));
                lag.put(group, perPartition);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.warn("Cannot sample consumer lag: {}", e.getMessage());
        }
        return lag;
    }

    /** Stores a lag sample and forgets samples older than seven days. */
    private static void storeLag(Connection connection, Map<String, Map<TopicPartition, Long>> lag) throws SQLException {
        Instant now = Instant.now();
        try (PreparedStatement st = connection.prepareStatement("""
                INSERT INTO consumer_lag (measured_at, group_id, topic, kafka_partition, lag) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING""")) {
            for (var group : lag.entrySet()) {
                for (var partition : group.getValue().entrySet()) {
                    st.setTimestamp(1, Timestamp.from(now));
                    st.setString(2, group.getKey());
                    st.setString(3, partition.getKey().topic());
                    st.setInt(4, partition.getKey().partition());
                    st.setLong(5, partition.getValue());
                    st.addBatch();
                }
            }
            st.executeBatch();
        }
        try (PreparedStatement st = connection.prepareStatement("DELETE FROM consumer_lag WHERE measured_at < ?")) {
            st.setTimestamp(1, Timestamp.from(now.minus(Duration.ofDays(7))));
            st.executeUpdate();
        }
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecord> T decode(Class<T> type, ConsumerRecord<String, byte[]> record) {
        var decoder = (ConfluentAvroDeserializer<T>) decoders.computeIfAbsent(type,
                t -> new ConfluentAvroDeserializer<>(type, registry));
        return decoder.deserialize(record.topic(), record.value());
    }

    private static String firstLine(String reason) {
        String line = reason.lines().findFirst().orElse("unknown");
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    @Override
    public void close() {
        loop.stop();
    }
}
