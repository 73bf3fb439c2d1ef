package org.cohesionbarometer.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.cohesionbarometer.schemas.KafkaEndpoints;
import org.cohesionbarometer.infra.InJvmKafka;
import org.cohesionbarometer.infra.InJvmPostgres;
import org.cohesionbarometer.schemas.DeadLetterHeaders;
import org.cohesionbarometer.schemas.Topics;
import org.cohesionbarometer.schemas.indicator.MixingCell;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;
import org.cohesionbarometer.schemas.indicator.PublishedIndicators;
import org.cohesionbarometer.schemas.indicator.SentimentCell;
import org.cohesionbarometer.infra.registry.RegisteredSchemas;
import org.cohesionbarometer.infra.registry.SchemaRegistryServer;
import org.cohesionbarometer.schemas.wire.RegistrySerdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndicatorSinkIT {
    private static final Instant NINE = Instant.parse("2026-03-14T09:00:00Z");

    private static InJvmKafka kafka;
    private static SchemaRegistryServer registry;
    private static RegistrySerdes serdes;

    @TempDir
    static Path pgData;
    private Path dataDir;
    private InJvmPostgres postgres;
    private int pgPort;
    private final List<IndicatorSink> sinks = new ArrayList<>();

    @BeforeAll
    static void startKafka() {
        kafka = InJvmKafka.startTemporary();
        registry = new SchemaRegistryServer(new RegisteredSchemas()).start("localhost", 0);
        serdes = new RegistrySerdes(registry.url(), true);
    }

    @AfterAll
    static void stopKafka() {
        registry.close();
        kafka.close();
    }

    @BeforeEach
    void freshTopicsAndDatabase() throws Exception {
        try (var admin = kafka.admin()) {
            var existing = admin.listTopics().names().get();
            if (!existing.isEmpty()) {
                admin.deleteTopics(existing).all().get();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.listTopics().names().get().isEmpty());
        }
        kafka.createBarometerTopics(2);
        dataDir = pgData.resolve(UUID.randomUUID().toString());
        postgres = InJvmPostgres.start(dataDir, 0);
        pgPort = postgres.port();
        Migrations.apply(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }

    @AfterEach
    void stopEverything() {
        sinks.forEach(IndicatorSink::close);
        postgres.close();
    }

    private IndicatorSink startSink(String groupId) {
        var settings = new SinkSettings(KafkaEndpoints.of(kafka.bootstrapServers(), registry.url()), postgres.jdbcUrl(), postgres.user(),
                postgres.password(), groupId, 500, Duration.ofSeconds(2));
        IndicatorSink sink = new IndicatorSink(settings);
        sinks.add(sink);
        new Thread(sink, "sink-" + groupId).start();
        return sink;
    }

    private static NeighbourhoodIndicators window(String hood, int hour, long checkIns, Map<String, Long> groups) {
        Instant start = NINE.plus(Duration.ofHours(hour));
        return NeighbourhoodIndicators.newBuilder()
                .setNeighbourhoodId(hood).setWindowStart(start).setWindowEnd(start.plus(Duration.ofHours(1)))
                .setCheckIns(checkIns).setHeadcount(checkIns).setGroupHeadcounts(new HashMap<>(groups))
                .setContacts(2).setCrossGroupContacts(1)
                .setMixing(new ArrayList<>(List.of(new MixingCell("G1", "G2", 1L), new MixingCell("G1", "G1", 1L))))
                .setSentiment(new ArrayList<>(List.of(new SentimentCell("welcome", 5, 4, checkIns))))
                .setLastEventTime(start.plusSeconds(60))
                .build();
    }

    /** Publishes the windows in order, keyed as the streams stage keys them, and waits for every acknowledgement. */
    private static void publish(NeighbourhoodIndicators... windows) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(),
                "acks", "all"), new StringSerializer(), serdes.of(NeighbourhoodIndicators.class).serializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (NeighbourhoodIndicators w : windows) {
                acks.add(producer.send(new ProducerRecord<>(Topics.NEIGHBOURHOOD_INDICATORS,
                        w.getNeighbourhoodId() + "@" + w.getWindowStart(), w)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        }
    }

    private Connection db() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }

    private List<String> table(String sql) throws SQLException {
        try (Connection c = db(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(rs.getString(i)).append('|');
                }
                rows.add(row.toString());
            }
            return rows;
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = db(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static final String ALL_STATISTICS = """
            SELECT h.neighbourhood_id, h.window_start, h.check_ins, h.headcount, h.contacts, h.cross_group_contacts,
                   h.sentiment_taps,
                   (SELECT string_agg(group_code || '=' || headcount, ',' ORDER BY group_code) FROM neighbourhood_group_hourly g
                     WHERE g.neighbourhood_id = h.neighbourhood_id AND g.window_start = h.window_start),
                   (SELECT string_agg(group_a || '-' || group_b || '=' || contacts, ',' ORDER BY group_a, group_b) FROM neighbourhood_mixing_hourly m
                     WHERE m.neighbourhood_id = h.neighbourhood_id AND m.window_start = h.window_start)
              FROM neighbourhood_hourly h ORDER BY 1, 2
            """;

    @Test
    void replayingTheSameTopicTwiceYieldsIdenticalTables() throws Exception {
        publish(window("north", 0, 3, Map.of("G1", 2L, "G2", 1L)),
                window("north", 0, 5, Map.of("G1", 3L, "G2", 2L)),
                window("south", 0, 1, Map.of("?", 1L)),
                window("north", 1, 2, Map.of("G3", 2L)));

        startSink("first-pass");
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM neighbourhood_hourly") == 3);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT sum(check_ins) FROM neighbourhood_hourly") == 8);
        List<String> afterFirstPass = table(ALL_STATISTICS);

        IndicatorSink second = startSink("second-pass");
        await().atMost(Duration.ofSeconds(30)).until(() -> second.counts().get("rowsWritten") >= 3);

        assertThat(table(ALL_STATISTICS)).isEqualTo(afterFirstPass);
        assertThat(afterFirstPass).anySatisfy(row -> assertThat(row).contains("|5|5|2|1|5|G1=3,G2=2|G1-G1=1,G1-G2=1|"));
    }

    @Test
    void aBatchWithDuplicateKeysAndOneBadRowWritesEveryGoodRowAndDeadLettersTheBadOne() throws Exception {
        NeighbourhoodIndicators bad = window("east", 0, 1, Map.of("G1", 1L));
        bad.setSentiment(new ArrayList<>(List.of(new SentimentCell("welcome", 5, 9, 1L)))); // level 9 of 5 buttons
        publish(window("north", 0, 1, Map.of("G1", 1L)),
                window("north", 0, 2, Map.of("G1", 2L)), // same key, same batch: the latest wins
                bad,
                window("south", 0, 4, Map.of("G2", 4L)),
                window("west", 0, 6, Map.of("G2", 6L)));

        startSink("isolating");

        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM neighbourhood_hourly") == 3);
        assertThat(table("SELECT neighbourhood_id, check_ins FROM neighbourhood_hourly ORDER BY 1"))
                .containsExactly("north|2|", "south|4|", "west|6|");
        var letters = readDeadLetters(1);
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0)).startsWith("east@").contains("refused by the database").contains("check");
    }

    @Test
    void aRefusedUpdateMarksItsWindowAsBehindUntilAnUpdateWithAsMuchDataIsStored() throws Exception {
        startSink("marking");
        publish(window("east", 0, 12, Map.of("G1", 12L)));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM neighbourhood_hourly") == 1);

        NeighbourhoodIndicators refused = window("east", 0, 50, Map.of("G1", 50L));
        refused.setIndicators(PublishedIndicators.newBuilder().setK(10).setCohesionIndex(150.0).build()); // a mistake, not rounding
        publish(refused);

        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM pipeline_refused_updates") == 1);
        assertThat(table("SELECT check_ins, refused_update_at IS NOT NULL FROM published_neighbourhood_hourly"))
                .as("the earlier update is still shown, marked as behind").containsExactly("12|t|");
        assertThat(table("SELECT scope, neighbourhood_id, activity_id, source_topic, reason FROM pipeline_refused_updates"))
                .containsExactly("neighbourhood-hour|east||" + Topics.NEIGHBOURHOOD_INDICATORS
                        + "|ERROR: new row for relation \"neighbourhood_hourly\" violates check constraint \"cohesion_index_range\"|");
        assertThat(readDeadLetters(1)).singleElement().asString().contains("cohesion_index_range");

        publish(window("east", 0, 40, Map.of("G1", 40L))); // less data than the refused update: still behind
        await().atMost(Duration.ofSeconds(30))
                .until(() -> count("SELECT check_ins FROM neighbourhood_hourly WHERE neighbourhood_id = 'east'") == 40);
        assertThat(count("SELECT count(*) FROM pipeline_refused_updates")).isEqualTo(1);

        publish(window("east", 0, 52, Map.of("G1", 52L)));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM pipeline_refused_updates") == 0);
        assertThat(table("SELECT check_ins, refused_update_at IS NULL FROM published_neighbourhood_hourly WHERE neighbourhood_id = 'east'"))
                .containsExactly("52|t|");
    }

    @Test
    void withTheDatabaseStoppedForAMinuteAndRestartedEveryRecordArrives() throws Exception {
        IndicatorSink sink = startSink("outage");
        publish(window("north", 0, 1, Map.of("G1", 1L)));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM neighbourhood_hourly") == 1);

        postgres.close();
        long stoppedAt = System.nanoTime();
        publish(window("north", 1, 2, Map.of("G1", 2L)), window("south", 1, 3, Map.of("G2", 3L)));
        await().atMost(Duration.ofSeconds(30)).until(sink::isWaitingForDatabase);
        // The database stays away for a minute: many retries fail, with backoff capped at 2 s here.
        Thread.sleep(Math.max(0, Duration.ofSeconds(60).minusNanos(System.nanoTime() - stoppedAt).toMillis()));
        assertThat(sink.isWaitingForDatabase()).as("still alive and waiting after a minute").isTrue();
        postgres = restartOnSamePort();

        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM neighbourhood_hourly") == 3);
        assertThat(count("SELECT sum(check_ins) FROM neighbourhood_hourly")).isEqualTo(6);
        assertThat(sink.isWaitingForDatabase()).isFalse();
    }

    @Test
    void killingTheSinkProcessMidBatchAndRestartingItLosesAndDoublesNothing() throws Exception {
        List<NeighbourhoodIndicators> windows = new ArrayList<>();
        for (int hood = 0; hood < 20; hood++) {
            for (int hour = 0; hour < 1000; hour++) {
                windows.add(window("hood-" + hood, hour, 1 + (hood + hour) % 7, Map.of("G1", 1L)));
            }
        }
        publish(windows.toArray(NeighbourhoodIndicators[]::new));
        long total = windows.size();
        long expectedCheckIns = windows.stream().mapToLong(NeighbourhoodIndicators::getCheckIns).sum();

        // The sink in its own JVM, as in production, killed with SIGKILL while rows are arriving.
        ProcessBuilder sinkApp = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SinkApp.class.getName())
                .redirectErrorStream(true).redirectOutput(pgData.resolve("killed-sink.log").toFile());
        sinkApp.environment().putAll(Map.of("BAROMETER_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                "BAROMETER_SCHEMA_REGISTRY_URL", registry.url(), "BAROMETER_JDBC_URL", postgres.jdbcUrl(),
                "BAROMETER_JDBC_USER", postgres.user(), "BAROMETER_JDBC_PASSWORD", postgres.password(),
                "BAROMETER_SINK_GROUP_ID", "killed", "BAROMETER_SINK_MAX_BATCH", "500", "BAROMETER_METRICS_PORT", "0"));
        Process sinkProcess = sinkApp.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM neighbourhood_hourly") > 0);
        sinkProcess.destroyForcibly().waitFor();
        long atKill = count("SELECT count(*) FROM neighbourhood_hourly");
        assertThat(atKill).as("killed while rows were still arriving").isBetween(1L, total - 1);

        startSink("killed");
        await().atMost(Duration.ofSeconds(120)).until(() -> count("SELECT count(*) FROM neighbourhood_hourly") == total);
        assertThat(count("SELECT sum(check_ins) FROM neighbourhood_hourly")).isEqualTo(expectedCheckIns);
        assertThat(count("SELECT count(*) FROM neighbourhood_group_hourly")).isEqualTo(total);
    }

    /** The same data directory and port: what a database server restart looks like to the sink. */
    private InJvmPostgres restartOnSamePort() {
        return InJvmPostgres.start(dataDir, pgPort);
    }

    private List<String> readDeadLetters(int expected) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(),
                "group.id", "dlq-reader-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.DEAD_LETTERS));
            List<String> letters = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (letters.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> letters.add(r.key() + " "
                        + new String(r.headers().lastHeader(DeadLetterHeaders.REASON).value())));
            }
            return letters;
        }
    }
}
