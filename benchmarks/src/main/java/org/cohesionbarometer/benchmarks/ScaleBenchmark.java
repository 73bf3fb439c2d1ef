package org.cohesionbarometer.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.cohesionbarometer.infra.InJvmKafka;
import org.cohesionbarometer.infra.InJvmPostgres;
import org.cohesionbarometer.infra.PgliteTimescale;
import org.cohesionbarometer.infra.registry.RegisteredSchemas;
import org.cohesionbarometer.infra.registry.SchemaRegistryServer;
import org.cohesionbarometer.schemas.Environment;
import org.cohesionbarometer.schemas.SignalKey;
import org.cohesionbarometer.schemas.Topics;
import org.cohesionbarometer.schemas.reference.Activity;
import org.cohesionbarometer.schemas.reference.ActivityType;
import org.cohesionbarometer.schemas.reference.Kiosk;
import org.cohesionbarometer.schemas.signal.CheckIn;
import org.cohesionbarometer.schemas.signal.MixingContact;
import org.cohesionbarometer.schemas.signal.SentimentTap;
import org.cohesionbarometer.schemas.signal.SignalSource;
import org.cohesionbarometer.schemas.wire.RegistrySerdes;
import org.cohesionbarometer.sink.IndicatorSink;
import org.cohesionbarometer.sink.Migrations;
import org.cohesionbarometer.sink.SinkConfiguration;
import org.cohesionbarometer.streams.CohesionTopology;
import org.cohesionbarometer.streams.StreamsSettings;
import org.apache.kafka.common.TopicPartitionInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How cost grows with participants and history: a month of signals from a million distinct
 * participants through the streams stage (exactly-once, the barometer's grace and de-duplication
 * horizon) and the sink into PostgreSQL. Reports the streams state on disk, in the heap and in its
 * changelogs, the time to restore it from the changelogs after the local state is lost, and the
 * database's size for the month: in plain PostgreSQL, and (where Node.js and npm are installed) in
 * TimescaleDB raw and with every chunk compressed ({@link CompressedMonth}), checking that all
 * three answer alike.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = "A million participants over 30 days: streams state on disk and in heap, restore time, database size per month "
                + "(plain PostgreSQL; TimescaleDB raw and compressed where Node.js is installed).")
final class ScaleBenchmark implements Callable<Integer> {
    private static final int NEIGHBOURHOODS = 20;

    @Option(names = "--participants", description = "distinct participants, each checking in at least once (default ${DEFAULT-VALUE})")
    int participants = 1_000_000;

    @Option(names = "--days", description = "days of event time (default ${DEFAULT-VALUE})")
    int days = 30;

    @Option(names = "--partitions", description = "partitions of every topic (default ${DEFAULT-VALUE})")
    int partitions = 2;

    @Option(names = "--timescale", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "also write the month into PGlite's TimescaleDB (WebAssembly, in Node.js) and measure it raw and with "
                    + "every chunk compressed, where Node.js and npm are installed; --no-timescale skips it (default ${DEFAULT-VALUE})")
    boolean timescale = true;

    @Option(names = "--pglite-dir", description = "where PGlite's npm packages are installed on first use (default ${DEFAULT-VALUE})")
    Path pgliteDir = SqlBaselineBenchmark.PGLITE_DIR;

    @Override
    public Integer call() throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (InJvmKafka kafka = InJvmKafka.startTemporary();
             SchemaRegistryServer registry = new SchemaRegistryServer(new RegisteredSchemas()).start("localhost", 0)) {
            kafka.createBarometerTopics(partitions);
            RegistrySerdes serdes = new RegistrySerdes(registry.url(), true);
            long signals = produce(kafka, serdes);
            System.out.printf("scale benchmark: %,d distinct participants, %,d signals (60%% check-ins, 30%% contacts, 10%% taps) "
                            + "over %d days, %d neighbourhoods x 3 activities, %d partitions, exactly-once; load average %s%n",
                    participants, signals, days, NEIGHBOURHOODS, partitions, StackFootprint.loadAverage());

            Path state = Files.createTempDirectory("bench-scale-state");
            StreamsSettings settings = StreamsSettings.defaults(kafka.bootstrapServers(), registry.url(), state);
            String applicationId = settings.application().id();
            long heapBefore = heapAfterGc(memory);
            long started = System.nanoTime();
            KafkaStreams streams = start(settings, serdes, null);
            try (Admin admin = kafka.admin()) {
                while (!caughtUp(admin, applicationId, List.of(Topics.SIGNALS))) {
                    Thread.sleep(500);
                }
                double processing = (System.nanoTime() - started) / 1e9;
                long heapHeld = heapAfterGc(memory) - heapBefore;
                // Leaves the group, so that the restart below measures restoring, not Kafka's session
                // timeout (45 s) for a member that vanished without a word, as after a crash.
                streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(Duration.ofSeconds(60)));
                long disk = directorySize(state);
                long changelogs = changelogBytes(admin, applicationId);
                System.out.printf("  processed in %.0f s (%,.0f signals/s, start-up included; load average %s)%n", processing,
                        signals / processing, StackFootprint.loadAverage());
                System.out.printf("  streams state: on disk %,d MiB (%.0f bytes per participant), heap held after a full GC %,d MiB "
                                + "(%.0f bytes per participant), changelogs %,d MiB%n", disk >> 20, (double) disk / participants,
                        heapHeld >> 20, (double) heapHeld / participants, changelogs >> 20);

                EndToEndBenchmark.deleteQuietly(state); // the local state is lost
                Files.createDirectories(state);
                Restoring restoring = new Restoring();
                long restoreStart = System.nanoTime();
                KafkaStreams again = start(settings, serdes, restoring);
                while (again.state() != KafkaStreams.State.RUNNING) {
                    Thread.sleep(50);
                }
                double restoreSeconds = (System.nanoTime() - restoreStart) / 1e9;
                again.close(Duration.ofSeconds(60));
                System.out.printf("  restore from the changelogs after the local state was deleted: %.1f s from start to RUNNING, "
                                + "of which %.1f s restoring %,d records (first store's start to last store's end; load average %s)%n",
                        restoreSeconds, restoring.seconds(), restoring.records.get(), StackFootprint.loadAverage());

                PlainMonth db = databaseSize(kafka, registry.url(), admin);
                System.out.printf("  PostgreSQL (plain, the sink's tables and indexes) for the month: %,d kB in %,d rows of neighbourhood_hourly%n",
                        db.bytes() >> 10, db.rows());
                String compressed = timescale ? onTimescale(kafka, registry.url(), admin, db) : "TimescaleDB not run (--no-timescale)";
                System.out.printf("RESULT scale: %,d participants over %d days: state on disk %,d MiB, in heap %,d MiB, changelogs %,d MiB; "
                                + "restore %.1f s to RUNNING, %.1f s restoring [goal <= 60 s]; database %,d MiB per month uncompressed; %s%n",
                        participants, days, disk >> 20, heapHeld >> 20, changelogs >> 20, restoreSeconds, restoring.seconds(), db.bytes() >> 20,
                        compressed);
            } finally {
                streams.close(Duration.ofSeconds(5));
                EndToEndBenchmark.deleteQuietly(state);
            }
        }
        return 0;
    }

    /** What the restore listener saw: records restored, and the span from the first store's start to the last store's end. */
    static final class Restoring implements StateRestoreListener {
        final AtomicLong records = new AtomicLong();
        final AtomicLong firstStart = new AtomicLong();
        final AtomicLong lastEnd = new AtomicLong();

        @Override
        public void onRestoreStart(TopicPartition tp, String store, long start, long end) {
            firstStart.compareAndSet(0, System.nanoTime());
        }

        @Override
        public void onBatchRestored(TopicPartition tp, String store, long end, long count) {
            records.addAndGet(count);
        }

        @Override
        public void onRestoreEnd(TopicPartition tp, String store, long total) {
            lastEnd.set(System.nanoTime());
        }

        double seconds() {
            return firstStart.get() == 0 ? 0 : (lastEnd.get() - firstStart.get()) / 1e9;
        }
    }

    private KafkaStreams start(StreamsSettings settings, RegistrySerdes serdes, Restoring restored) {
        Properties props = settings.toProperties();
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        KafkaStreams streams = new KafkaStreams(CohesionTopology.build(settings, serdes, partitions), props);
        if (restored != null) {
            streams.setGlobalStateRestoreListener(restored);
        }
        streams.start();
        return streams;
    }

    /** A month of signals: every participant checks in once, in event-time order with a few minutes' disorder. */
    private long produce(InJvmKafka kafka, RegistrySerdes serdes) throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        Instant start = Instant.now().minus(Duration.ofDays(days)).plus(Duration.ofHours(1));
        var checkIns = serdes.of(CheckIn.class).serializer();
        var contacts = serdes.of(MixingContact.class).serializer();
        var taps = serdes.of(SentimentTap.class).serializer();
        String[] groups = {"A", "B", "C", "D", "E"};
        long total = Math.round(participants / 0.6);
        long span = Duration.ofDays(days).toMillis() - Duration.ofHours(2).toMillis();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(),
                "acks", "all", "linger.ms", 20, "batch.size", 262144, "compression.type", "none"), new StringSerializer(), new ByteArraySerializer())) {
            var activitySerde = serdes.of(Activity.class).serializer();
            var kioskSerde = serdes.of(Kiosk.class).serializer();
            for (int n = 0; n < NEIGHBOURHOODS; n++) {
                for (int a = 0; a < 3; a++) {
                    String id = "act-" + n + "-" + a;
                    producer.send(new ProducerRecord<>(Topics.ACTIVITIES, id, activitySerde.serialize(Topics.ACTIVITIES, Activity.newBuilder()
                            .setId(id).setTitle(id).setType(ActivityType.LANGUAGE_CAFE).setNeighbourhoodId("hood-" + n)
                            .setOrganiserId("org").setStartsAt(start).build())));
                }
                String kiosk = "kiosk-" + n;
                producer.send(new ProducerRecord<>(Topics.KIOSKS, kiosk, kioskSerde.serialize(Topics.KIOSKS, Kiosk.newBuilder().setId(kiosk)
                        .setNeighbourhoodId("hood-" + n).setOrganiserId("org").setActivityId("act-" + n + "-0").build())));
            }
            long participant = 0;
            for (long i = 0; i < total; i++) {
                Instant at = start.plusMillis(span * i / total - random.nextLong(120_000));
                int n = random.nextInt(NEIGHBOURHOODS);
                String activity = "act-" + n + "-" + random.nextInt(3);
                UUID id = new UUID(random.nextLong(), random.nextLong());
                double kind = random.nextDouble();
                if (kind < 0.6 && participant < participants || i >= total - (participants - participant)) {
                    CheckIn checkIn = CheckIn.newBuilder().setEventId(id).setEventTime(at).setActivityId(activity)
                            .setParticipantToken(BenchCity.token(participant++))
                            .setGroupCode(groups[random.nextInt(groups.length)]).setSource(SignalSource.SIMULATOR).build();
                    producer.send(new ProducerRecord<>(Topics.CHECK_INS, SignalKey.of(checkIn), checkIns.serialize(Topics.CHECK_INS, checkIn)));
                } else if (kind < 0.9) {
                    MixingContact contact = MixingContact.newBuilder().setEventId(id).setEventTime(at).setActivityId(activity)
                            .setGroupCodeA(groups[random.nextInt(groups.length)])
                            .setGroupCodeB(groups[random.nextInt(groups.length)]).setSource(SignalSource.SIMULATOR).build();
                    producer.send(new ProducerRecord<>(Topics.MIXING_CONTACTS, SignalKey.of(contact),
                            contacts.serialize(Topics.MIXING_CONTACTS, contact)));
                } else {
                    SentimentTap tap = SentimentTap.newBuilder().setEventId(id).setEventTime(at).setKioskId("kiosk-" + n)
                            .setQuestionCode("feel-welcome").setScale(5).setLevel(1 + random.nextInt(5)).build();
                    producer.send(new ProducerRecord<>(Topics.SENTIMENT_TAPS, SignalKey.of(tap), taps.serialize(Topics.SENTIMENT_TAPS, tap)));
                }
            }
            producer.flush();
            return total;
        }
    }

    /**
     * The month on TimescaleDB, raw and compressed, and whether it answers as the plain PostgreSQL
     * does; the summary for the RESULT line.
     */
    private String onTimescale(InJvmKafka kafka, String registryUrl, Admin admin, PlainMonth plain) throws Exception {
        Optional<String> unavailable = PgliteTimescale.unavailableBecause();
        if (unavailable.isPresent()) {
            System.out.println("  TimescaleDB: skipped, " + unavailable.get());
            return "TimescaleDB skipped (" + unavailable.get() + ")";
        }
        String load = StackFootprint.loadAverage();
        CompressedMonth.Measured month = CompressedMonth.measure(pgliteDir, kafka.bootstrapServers(), registryUrl, admin);
        System.out.printf("  TimescaleDB 2.23 in PGlite (WebAssembly, in Node.js): the sink wrote the month in %.0f s (%,d rows of "
                        + "neighbourhood_hourly; load average %s), every chunk compressed in %.1f s (load average %s):%n",
                month.writeSeconds(), month.indicatorRows(), load, month.compressSeconds(), StackFootprint.loadAverage());
        for (CompressedMonth.Hypertable table : month.hypertables()) {
            System.out.printf("    %-32s %3d chunks: %,9d kB raw (%,9d kB live rows only) -> %,7d kB compressed (%.1fx the live rows; "
                            + "compression stats: %,d kB -> %,d kB)%n",
                    table.name(), table.chunks(), table.rawBytes() >> 10, table.liveBytes() >> 10, table.compressedBytes() >> 10,
                    (double) table.liveBytes() / Math.max(1, table.compressedBytes()), table.statsBefore() >> 10, table.statsAfter() >> 10);
        }
        System.out.printf("    %-32s %,13d kB raw (%,9d kB live rows only) -> %,7d kB compressed (%.1fx the live rows)%n",
                "the sink's hypertables", month.rawBytes() >> 10, month.liveBytes() >> 10, month.compressedBytes() >> 10,
                (double) month.liveBytes() / Math.max(1, month.compressedBytes()));
        List<String> differences = new ArrayList<>();
        differences.addAll(label("plain PostgreSQL vs TimescaleDB raw", plain.totals().differencesFrom(month.raw())));
        differences.addAll(label("raw vs compressed", month.raw().differencesFrom(month.compressed())));
        differences.addAll(label("raw vs compressed, aggregates refreshed", month.raw().differencesFrom(month.refreshed())));
        System.out.printf("  totals of %d relations (hourly tables, rollups, published views): plain PostgreSQL, TimescaleDB raw, "
                + "compressed, and compressed with the continuous aggregates refreshed: %s%n", month.raw().byRelation().size(),
                differences.isEmpty() ? "IDENTICAL" : "DIFFERENT");
        differences.forEach(d -> System.out.println("    " + d));
        return String.format("TimescaleDB %,d MiB raw (%,d MiB live rows), %,d MiB compressed (%.1fx the live rows), answers %s",
                month.rawBytes() >> 20, month.liveBytes() >> 20, month.compressedBytes() >> 20,
                (double) month.liveBytes() / Math.max(1, month.compressedBytes()),
                differences.isEmpty() ? "identical" : "DIFFERENT");
    }

    private static List<String> label(String comparison, List<String> differences) {
        return differences.stream().map(d -> comparison + ": " + d).toList();
    }

    /** The month in plain PostgreSQL: its growth in bytes, rows of neighbourhood_hourly, and what it answers. */
    record PlainMonth(long bytes, long rows, PublishedTotals totals) {
    }

    /** The sink writes the month's indicator topics into an empty PostgreSQL; the size of its tables then. */
    private static PlainMonth databaseSize(InJvmKafka kafka, String registryUrl, Admin admin) throws Exception {
        try (InJvmPostgres postgres = InJvmPostgres.startTemporary()) {
            SinkConfiguration configuration = SinkConfiguration.fromEnvironment(Environment.system())
                    .withEndpoints(kafka.bootstrapServers(), registryUrl, postgres.jdbcUrl(), postgres.user(), postgres.password());
            Migrations.apply(postgres.jdbcUrl(), postgres.user(), postgres.password(), configuration.privacy(), configuration.timescale());
            long before = postgres.queryForLong("SELECT pg_database_size(current_database())");
            IndicatorSink sink = new IndicatorSink(configuration.writer());
            Thread thread = new Thread(sink, "scale-sink");
            thread.start();
            try {
                List<String> topics = List.of(Topics.NEIGHBOURHOOD_INDICATORS, Topics.ACTIVITY_INDICATORS, Topics.CITY_INDICATORS);
                while (!caughtUp(admin, configuration.writer().groupId(), topics)) {
                    Thread.sleep(500);
                }
            } finally {
                sink.close();
                thread.join(30_000);
            }
            try (Connection db = postgres.connect()) {
                db.createStatement().execute("VACUUM ANALYZE");
            }
            long after = postgres.queryForLong("SELECT pg_database_size(current_database())");
            try (Connection db = postgres.connect()) {
                return new PlainMonth(after - before, postgres.queryForLong("SELECT count(*) FROM neighbourhood_hourly"),
                        PublishedTotals.of(db));
            }
        }
    }

    private static long heapAfterGc(MemoryMXBean memory) throws InterruptedException {
        System.gc();
        Thread.sleep(200);
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static long directorySize(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** Bytes in the application's changelog topics on the broker. */
    private static long changelogBytes(Admin admin, String applicationId) throws Exception {
        Set<String> changelogs = new java.util.HashSet<>();
        for (String topic : admin.listTopics().names().get()) {
            if (topic.startsWith(applicationId) && topic.endsWith("-changelog")) {
                changelogs.add(topic);
            }
        }
        long bytes = 0;
        var dirs = admin.describeLogDirs(admin.describeCluster().nodes().get().stream().map(node -> node.id()).toList())
                .allDescriptions().get();
        for (var broker : dirs.values()) {
            for (var dir : broker.values()) {
                for (var replica : dir.replicaInfos().entrySet()) {
                    if (changelogs.contains(replica.getKey().topic())) {
                        bytes += replica.getValue().size();
                    }
                }
            }
        }
        return bytes;
    }

    /** The consumer group has committed every partition of the topics (a transaction marker may trail). */
    static boolean caughtUp(Admin admin, String groupId, List<String> topics) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (var description : admin.describeTopics(topics).allTopicNames().get().values()) {
            for (TopicPartitionInfo p : description.partitions()) {
                request.put(new TopicPartition(description.name(), p.partition()), OffsetSpec.latest());
            }
        }
        committed.keySet().forEach(tp -> request.put(tp, OffsetSpec.latest())); // a streams application's own topics too
        var ends = admin.listOffsets(request).all().get();
        for (var tp : request.keySet()) {
            OffsetAndMetadata at = committed.get(tp);
            long end = ends.get(tp).offset();
            if (end > 0 && (at == null || end - at.offset() > 1)) {
                return false;
            }
        }
        return true;
    }
}
