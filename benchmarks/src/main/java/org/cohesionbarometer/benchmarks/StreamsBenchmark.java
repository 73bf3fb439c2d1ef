package org.cohesionbarometer.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.cohesionbarometer.infra.InJvmKafka;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.kstream.Windowed;
import org.cohesionbarometer.schemas.SignalKey;
import org.cohesionbarometer.schemas.Topics;
import org.cohesionbarometer.schemas.internal.WindowTally;
import org.cohesionbarometer.schemas.reference.Activity;
import org.cohesionbarometer.schemas.reference.ActivityType;
import org.cohesionbarometer.schemas.reference.Kiosk;
import org.cohesionbarometer.infra.registry.RegisteredSchemas;
import org.cohesionbarometer.infra.registry.SchemaRegistryServer;
import org.cohesionbarometer.schemas.signal.CheckIn;
import org.cohesionbarometer.schemas.signal.MixingContact;
import org.cohesionbarometer.schemas.signal.SentimentTap;
import org.cohesionbarometer.schemas.signal.SignalSource;
import org.cohesionbarometer.schemas.wire.RegistrySerdes;
import org.cohesionbarometer.streams.CohesionTopology;
import org.cohesionbarometer.streams.StreamsSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Records per second through the indicator topology, as a ratio to a pass-through topology that
 * reads and writes the same signals with the same Avro serdes, both as real Kafka Streams
 * applications with exactly-once on the same in-JVM broker in the same run (so serde and broker
 * cost are in both, and the ratio is the price of deduplication, location, participant memory,
 * windowing and indicators). Also the state-store footprint per neighbourhood-window.
 */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = "Indicator topology throughput vs a pass-through topology; state footprint per window.")
final class StreamsBenchmark implements Callable<Integer> {
    private static final int NEIGHBOURHOODS = 20;
    private static final String PASS_THROUGH_OUT = "bench.pass-through.";
    private static final int ACTIVITIES_PER_NEIGHBOURHOOD = 3;

    @Option(names = "--records", description = "signals per round (default ${DEFAULT-VALUE})")
    int records = 200_000;

    @Option(names = "--rounds", description = "measured rounds, after one warm-up round (default ${DEFAULT-VALUE})")
    int rounds = 3;

    @Option(names = "--hours", description = "event-time span of the signals (default ${DEFAULT-VALUE})")
    int hours = 72;

    @Option(names = "--partitions", description = "partitions of every topic (default ${DEFAULT-VALUE})")
    int partitions = 2;

    @Option(names = "--grace", description = "the windows' grace period, e.g. PT48H to compare with the rule before"
            + " late paper sheets counted (default: the barometer's, which takes every signal the API accepts)")
    java.time.Duration grace;

    private record Signal(String topic, String key, byte[] value) {
    }

    @Override
    public Integer call() throws Exception {
        try (InJvmKafka kafka = InJvmKafka.startTemporary();
             SchemaRegistryServer registry = new SchemaRegistryServer(new RegisteredSchemas()).start("localhost", 0)) {
            kafka.createBarometerTopics(partitions);
            RegistrySerdes serdes = new RegistrySerdes(registry.url(), true);
            List<KeyValue<String, byte[]>> reference = new ArrayList<>();
            List<Signal> signals = generate(serdes, reference);
            produce(kafka, signals, reference);
            System.out.printf("streams benchmark: %,d signals over %d h, %d neighbourhoods x %d activities, "
                            + "%d partitions, in-JVM KRaft broker, exactly-once, %d rounds after a warm-up, grace %s%n",
                    records, hours, NEIGHBOURHOODS, ACTIVITIES_PER_NEIGHBOURHOOD, partitions, rounds,
                    grace != null ? grace : StreamsSettings.defaults("x", "x", Path.of(".")).grace());

            double[] ratios = new double[rounds];
            double[] wholeRunRatios = new double[rounds];
            double[] indicatorRates = new double[rounds];
            double[] passThroughRates = new double[rounds];
            Footprint footprint = null;
            for (int round = -1; round < rounds; round++) {
                Path state = Files.createTempDirectory("bench-state");
                StreamsSettings settings = StreamsSettings.defaults(kafka.bootstrapServers(), registry.url(), state);
                if (grace != null) {
                    settings = settings.withGrace(grace);
                }
                Measured passThrough = run(kafka, passThrough(serdes), settings, "pass-through-" + UUID.randomUUID(), false);
                Measured indicators = run(kafka, CohesionTopology.build(settings, serdes, partitions), settings,
                        "indicators-" + UUID.randomUUID(), true);
                if (round >= 0) {
                    ratios[round] = indicators.recordsPerSecond() / passThrough.recordsPerSecond();
                    indicatorRates[round] = indicators.recordsPerSecond();
                    passThroughRates[round] = passThrough.recordsPerSecond();
                    wholeRunRatios[round] = indicators.wholeRunRecordsPerSecond() / passThrough.wholeRunRecordsPerSecond();
                    footprint = indicators.footprint();
                    System.out.printf("  round %d: indicators %,.0f rec/s, pass-through %,.0f rec/s, ratio %.2f"
                                    + "  (start-up included: %,.0f vs %,.0f rec/s, ratio %.2f; start-up %.1f s vs %.1f s;"
                                    + " cores used while processing %.2f vs %.2f)%n",
                            round + 1, indicators.recordsPerSecond(), passThrough.recordsPerSecond(), ratios[round],
                            indicators.wholeRunRecordsPerSecond(), passThrough.wholeRunRecordsPerSecond(), wholeRunRatios[round],
                            indicators.startUpSeconds(), passThrough.startUpSeconds(), indicators.cores(), passThrough.cores());
                }
                deleteRecursively(state);
            }
            Arrays.sort(ratios);
            Arrays.sort(wholeRunRatios);
            Arrays.sort(indicatorRates);
            Arrays.sort(passThroughRates);
            System.out.printf("RESULT streams: throughput ratio (indicators / pass-through, from RUNNING to caught up, median of %d)"
                    + " = %.2f  [target >= 0.5]; start-up included %.2f%n", rounds, ratios[rounds / 2], wholeRunRatios[rounds / 2]);
            // The pass-through's own rate swings widely between rounds on a shared machine: its median
            // and the indicators' are worth comparing across runs, not only the ratio.
            System.out.printf("RESULT streams: median rates: indicators %,.0f rec/s, pass-through %,.0f rec/s%n",
                    indicatorRates[rounds / 2], passThroughRates[rounds / 2]);
            System.out.printf("RESULT streams: state per neighbourhood-window = %,.0f bytes serialized (mean over %,d windows,"
                            + " counts only: tokens live in the participants' memory); on-disk state of the whole application %,d bytes%n",
                    footprint.meanBytes(), footprint.windows(), footprint.diskBytes());
            return 0;
        }
    }

    record Footprint(double meanBytes, long windows, long diskBytes) {
    }

    /**
     * One application's run: signals per second from the moment it is RUNNING (topics created,
     * tasks assigned, stores restored) to the moment everything is committed, and the same over
     * the whole run from start(); the process's CPU (in cores) while processing.
     */
    record Measured(double recordsPerSecond, double wholeRunRecordsPerSecond, double startUpSeconds, double cores,
                    Footprint footprint) {
    }

    private static void produce(InJvmKafka kafka, List<Signal> signals, List<KeyValue<String, byte[]>> reference)
            throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(),
                "acks", "all", "linger.ms", 20, "batch.size", 262144), new StringSerializer(), new ByteArraySerializer())) {
            for (KeyValue<String, byte[]> r : reference) {
                producer.send(new ProducerRecord<>(r.key.startsWith("kiosk") ? Topics.KIOSKS : Topics.ACTIVITIES, r.key, r.value));
            }
            for (Signal s : signals) {
                producer.send(new ProducerRecord<>(s.topic(), s.key(), s.value()));
            }
            producer.flush();
        }
    }

    private static Topology passThrough(RegistrySerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(Topics.CHECK_INS, Consumed.with(Serdes.String(), serdes.of(CheckIn.class)))
                .to(PASS_THROUGH_OUT + Topics.CHECK_INS, Produced.with(Serdes.String(), serdes.of(CheckIn.class)));
        builder.stream(Topics.MIXING_CONTACTS, Consumed.with(Serdes.String(), serdes.of(MixingContact.class)))
                .to(PASS_THROUGH_OUT + Topics.MIXING_CONTACTS, Produced.with(Serdes.String(), serdes.of(MixingContact.class)));
        builder.stream(Topics.SENTIMENT_TAPS, Consumed.with(Serdes.String(), serdes.of(SentimentTap.class)))
                .to(PASS_THROUGH_OUT + Topics.SENTIMENT_TAPS, Produced.with(Serdes.String(), serdes.of(SentimentTap.class)));
        return builder.build();
    }

    /**
     * Runs a topology over everything on the signal topics, from start to the moment it has
     * consumed and committed all of it (its own repartition topics included), exactly-once.
     */
    private Measured run(InJvmKafka kafka, Topology topology, StreamsSettings settings, String applicationId,
                         boolean measureFootprint) throws Exception {
        Properties props = settings.toProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.application().stateDir().resolve(applicationId).toString());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        try (Admin admin = kafka.admin()) {
            for (String signal : Topics.SIGNALS) {
                if (!admin.listTopics().names().get().contains(PASS_THROUGH_OUT + signal)) {
                    admin.createTopics(List.of(new NewTopic(PASS_THROUGH_OUT + signal, partitions, (short) 1))).all().get();
                }
            }
            KafkaStreams streams = new KafkaStreams(topology, props);
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            AtomicLong runningAt = new AtomicLong();
            AtomicLong cpuAtRunning = new AtomicLong();
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING && runningAt.compareAndSet(0, System.nanoTime())) {
                    cpuAtRunning.set(os.getProcessCpuTime());
                }
            });
            long start = System.nanoTime();
            streams.start();
            try {
                while (!caughtUp(admin, applicationId)) {
                    Thread.sleep(100);
                }
                long end = System.nanoTime();
                double processing = (end - runningAt.get()) / 1e9;
                double cores = (os.getProcessCpuTime() - cpuAtRunning.get()) / 1e9 / processing;
                Footprint footprint = measureFootprint ? footprint(streams, settings.application().stateDir().resolve(applicationId)) : null;
                return new Measured(records / processing, records / ((end - start) / 1e9), (runningAt.get() - start) / 1e9,
                        cores, footprint);
            } finally {
                streams.close(Duration.ofSeconds(30));
            }
        }
    }

    /** Every partition the application reads is committed to its end (a transaction marker may trail). */
    private static boolean caughtUp(Admin admin, String applicationId) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                .partitionsToOffsetAndMetadata().get();
        List<TopicPartition> sources = new ArrayList<>();
        for (String topic : Topics.SIGNALS) {
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> sources.add(new TopicPartition(topic, p.partition())));
        }
        Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
        sources.forEach(tp -> request.put(tp, OffsetSpec.latest()));
        committed.keySet().forEach(tp -> request.put(tp, OffsetSpec.latest()));
        var ends = admin.listOffsets(request).all().get();
        for (var e : request.keySet()) {
            long end = ends.get(e).offset();
            OffsetAndMetadata at = committed.get(e);
            long position = at == null ? 0 : at.offset();
            boolean internal = e.topic().startsWith(applicationId);
            if (end - position > (internal ? 1 : 0)) {
                return false;
            }
        }
        return true;
    }

    private static Footprint footprint(KafkaStreams streams, Path stateDir) throws IOException {
        ReadOnlyWindowStore<String, WindowTally> store = streams.store(StoreQueryParameters.fromNameAndType(
                "neighbourhood-hourly", QueryableStoreTypes.windowStore()));
        long windows = 0;
        long bytes = 0;
        var writer = new org.apache.avro.specific.SpecificDatumWriter<>(WindowTally.class);
        try (KeyValueIterator<Windowed<String>, WindowTally> all = store.all()) {
            while (all.hasNext()) {
                var out = new java.io.ByteArrayOutputStream();
                var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
                writer.write(all.next().value, encoder);
                encoder.flush();
                bytes += out.size() + 5; // plus the wire-format header
                windows++;
            }
        }
        long disk;
        try (Stream<Path> files = Files.walk(stateDir)) {
            disk = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        return new Footprint(windows == 0 ? 0 : (double) bytes / windows, windows, disk);
    }

    /** A simulated city: signals spread over the neighbourhoods' activities and the event-time span. */
    private List<Signal> generate(RegistrySerdes serdes, List<KeyValue<String, byte[]>> reference) {
        SplittableRandom random = new SplittableRandom(42);
        Instant start = Instant.parse("2026-03-01T00:00:00Z");
        var activitySerde = serdes.of(Activity.class).serializer();
        var kioskSerde = serdes.of(Kiosk.class).serializer();
        for (int n = 0; n < NEIGHBOURHOODS; n++) {
            for (int a = 0; a < ACTIVITIES_PER_NEIGHBOURHOOD; a++) {
                String id = "act-" + n + "-" + a;
                reference.add(KeyValue.pair(id, activitySerde.serialize(Topics.ACTIVITIES, Activity.newBuilder().setId(id)
                        .setTitle(id).setType(ActivityType.LANGUAGE_CAFE).setNeighbourhoodId("hood-" + n)
                        .setOrganiserId("org").setStartsAt(start).build())));
            }
            String kiosk = "kiosk-" + n;
            reference.add(KeyValue.pair(kiosk, kioskSerde.serialize(Topics.KIOSKS, Kiosk.newBuilder().setId(kiosk)
                    .setNeighbourhoodId("hood-" + n).setOrganiserId("org").setActivityId("act-" + n + "-0").build())));
        }
        var checkIns = serdes.of(CheckIn.class).serializer();
        var contacts = serdes.of(MixingContact.class).serializer();
        var taps = serdes.of(SentimentTap.class).serializer();
        String[] groups = {"A", "B", "C", "D", "E"};
        List<Signal> signals = new ArrayList<>(records);
        long spanMillis = Duration.ofHours(hours).toMillis();
        for (int i = 0; i < records; i++) {
            // Event time moves forward with small disorder, as uploads arrive.
            Instant at = start.plusMillis(spanMillis * i / records - random.nextLong(120_000));
            int n = random.nextInt(NEIGHBOURHOODS);
            String activity = "act-" + n + "-" + random.nextInt(ACTIVITIES_PER_NEIGHBOURHOOD);
            UUID id = new UUID(random.nextLong(), random.nextLong());
            double kind = random.nextDouble();
            if (kind < 0.6) {
                CheckIn checkIn = CheckIn.newBuilder().setEventId(id).setEventTime(at).setActivityId(activity)
                        .setParticipantToken("p-" + n + "-" + random.nextInt(500))
                        .setGroupCode(groups[random.nextInt(groups.length)]).setSource(SignalSource.SIMULATOR).build();
                signals.add(new Signal(Topics.CHECK_INS, SignalKey.of(checkIn), checkIns.serialize(Topics.CHECK_INS, checkIn)));
            } else if (kind < 0.9) {
                MixingContact contact = MixingContact.newBuilder().setEventId(id).setEventTime(at).setActivityId(activity)
                        .setGroupCodeA(groups[random.nextInt(groups.length)])
                        .setGroupCodeB(groups[random.nextInt(groups.length)]).setSource(SignalSource.SIMULATOR).build();
                signals.add(new Signal(Topics.MIXING_CONTACTS, SignalKey.of(contact), contacts.serialize(Topics.MIXING_CONTACTS, contact)));
            } else {
                SentimentTap tap = SentimentTap.newBuilder().setEventId(id).setEventTime(at).setKioskId("kiosk-" + n)
                        .setQuestionCode("feel-welcome").setScale(5).setLevel(1 + random.nextInt(5)).build();
                signals.add(new Signal(Topics.SENTIMENT_TAPS, SignalKey.of(tap), taps.serialize(Topics.SENTIMENT_TAPS, tap)));
            }
        }
        return signals;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
