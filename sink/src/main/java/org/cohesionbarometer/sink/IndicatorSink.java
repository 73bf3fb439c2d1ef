package org.cohesionbarometer.sink;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.cohesionbarometer.schemas.DeadLetterHeaders;
import org.cohesionbarometer.schemas.Topics;
import org.cohesionbarometer.schemas.indicator.CityIndicators;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;
import org.cohesionbarometer.schemas.registry.SchemaRegistryClient;
import org.cohesionbarometer.schemas.wire.ConfluentAvroDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indicators topic -> database. Each poll becomes one batch: decoded, de-duplicated by window,
 * written in one transaction, and only then are the Kafka offsets committed, so a crash at any
 * point replays the batch and the idempotent upserts absorb it.
 *
 * <p>Database unreachable: consumption pauses and the batch is retried with capped exponential
 * backoff until it goes through; nothing is skipped. A row the database refuses: the batch is
 * split in halves until the bad row stands alone; it goes to the dead-letter topic with the SQL
 * error, its window is marked as refused ({@link RefusedUpdates}: the published views then say the
 * figures shown are an earlier update) and every other row is written.
 */
public class IndicatorSink implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IndicatorSink.class);

    private final SinkSettings settings;
    private final ConsumerLoop loop;
    private final KafkaProducer<String, byte[]> deadLetters;
    private final ConfluentAvroDeserializer<NeighbourhoodIndicators> decoder;
    private final ConfluentAvroDeserializer<CityIndicators> cityDecoder;
    private final DatabaseSession database;
    private volatile boolean waitingForDatabase;
    private final AtomicLong rowsWritten = new AtomicLong();
    private final AtomicLong rowsDeadLettered = new AtomicLong();
    /** The newest neighbourhood-hour written, and when the last batch was: what the freshness gauges read. */
    private final AtomicReference<Instant> newestWindow = new AtomicReference<>();
    private final AtomicReference<Instant> lastWrite = new AtomicReference<>();
    private final List<Meter> gauges;
    private final Timer batchLatency = Timer.builder("barometer.sink.batch")
            .description("writing one batch to the database, retries included").register(Metrics.globalRegistry);

    public IndicatorSink(SinkSettings settings) {
        this.settings = settings;
        this.loop = new ConsumerLoop(settings.kafka(), settings.groupId(), settings.maxBatch(), settings.membership(), "Sink", LOG);

        Properties producerProps = new Properties();
        producerProps.putAll(settings.kafka().clientProperties());
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.deadLetters = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());

        SchemaRegistryClient registry = settings.kafka().registryClient();
        this.decoder = new ConfluentAvroDeserializer<>(NeighbourhoodIndicators.class, registry);
        this.cityDecoder = new ConfluentAvroDeserializer<>(CityIndicators.class, registry);
        this.database = new DatabaseSession(settings, loop::running, LOG, "indicator sink", () -> {
            waitingForDatabase = true;
            loop.keepAlive();
        });
        // Removed again on close: the global registry keeps the first gauge of a name, and a later sink
        // in the same JVM (the embedded run restarted, tests) would otherwise report the closed one's.
        gauges = List.of(
                Gauge.builder("barometer.sink.freshness", () -> age(newestWindow.get())).baseUnit("seconds")
                        .description("now minus the start of the newest neighbourhood-hour written").register(Metrics.globalRegistry),
                Gauge.builder("barometer.sink.last.write.age", () -> age(lastWrite.get())).baseUnit("seconds")
                        .description("now minus the last batch written").register(Metrics.globalRegistry));
    }

    private static double age(Instant then) {
        return then == null ? Double.NaN : Duration.between(then, Instant.now()).toMillis() / 1000.0;
    }

    @Override
    public void run() {
        List<String> topics = new java.util.ArrayList<>(List.of(Topics.INDICATORS));
        topics.add(Topics.CITY_INDICATORS);
        loop.run(topics, this::write, () -> { }, deadLetters, database);
    }

    private void write(ConsumerRecords<String, byte[]> records) {
        IndicatorBatch batch = new IndicatorBatch();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                var window = Topics.CITY_INDICATORS.equals(record.topic())
                        ? cityDecoder.deserialize(record.topic(), record.value())
                        : decoder.deserialize(record.topic(), record.value());
                batch.add(record.key(), window, record.topic(), record.value());
            } catch (RuntimeException undecodable) {
                deadLetter(record.key(), record.value(), record.topic(), "undecodable: " + undecodable.getMessage());
            }
        }
        if (!batch.isEmpty()) {
            batchLatency.record(() -> writeIsolatingBadRows(batch.rows()));
        }
    }

    /** Writes the rows in one transaction; if the database refuses one, halves until it is found. */
    private void writeIsolatingBadRows(List<IndicatorBatch.Pending> rows) {
        try {
            database.inTransaction(connection -> {
                IndicatorTable.upsert(connection, IndicatorBatch.windows(rows));
                CityTable.upsert(connection, IndicatorBatch.cityDays(rows));
                RefusedUpdates.clearCaughtUp(connection);
            });
            waitingForDatabase = false;
            rowsWritten.addAndGet(rows.size());
            written(rows);
        } catch (dev.failsafe.FailsafeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (!loop.running() || !DatabaseFault.isBadData(cause)) {
                throw e;
            }
            if (rows.size() == 1) {
                IndicatorBatch.Pending bad = rows.get(0);
                deadLetter(bad.key(), bad.originalValue(), bad.sourceTopic(), "refused by the database: " + cause.getMessage());
                database.inTransaction(connection -> RefusedUpdates.mark(connection, bad.window(), bad.sourceTopic(),
                        cause.getMessage()));
                return;
            }
            int half = rows.size() / 2;
            writeIsolatingBadRows(rows.subList(0, half));
            writeIsolatingBadRows(rows.subList(half, rows.size()));
        }
    }

    private void written(List<IndicatorBatch.Pending> rows) {
        for (IndicatorBatch.Pending row : rows) {
            Metrics.counter("barometer.sink.rows.written", "topic", row.sourceTopic()).increment();
        }
        IndicatorBatch.windows(rows).stream().map(NeighbourhoodIndicators::getWindowStart).max(Instant::compareTo)
                .ifPresent(start -> newestWindow.accumulateAndGet(start, (a, b) -> a == null || b.isAfter(a) ? b : a));
        lastWrite.set(Instant.now());
    }

    private void deadLetter(String key, byte[] value, String sourceTopic, String reason) {
        LOG.warn("Dead-lettering indicator record {}: {}", key, reason);
        var letter = new ProducerRecord<>(Topics.DEAD_LETTERS, key, value);
        DeadLetterHeaders.add(letter.headers(), reason, sourceTopic);
        try {
            // Wait for the acknowledgement: offsets are committed only once the dead letter is safe.
            deadLetters.send(letter).get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering " + key, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot dead-letter " + key + "; its batch will be retried: " + e.getMessage(), e);
        }
        rowsDeadLettered.incrementAndGet();
        Metrics.counter("barometer.sink.dead.letters", "topic", sourceTopic).increment();
    }

    /** True while the database is unreachable and the sink is waiting for it (the process stays healthy). */
    public boolean isWaitingForDatabase() {
        return waitingForDatabase;
    }

    public Map<String, Long> counts() {
        return Map.of("rowsWritten", rowsWritten.get(), "rowsDeadLettered", rowsDeadLettered.get());
    }

    @Override
    public void close() {
        loop.stop();
        gauges.forEach(Metrics.globalRegistry::remove);
    }
}
