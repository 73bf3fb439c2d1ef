package org.cohesionbarometer.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.cohesionbarometer.schemas.AcceptedAt;
import org.apache.kafka.common.serialization.StringSerializer;
import org.cohesionbarometer.schemas.wire.ConfluentAvroSerializer;
import org.cohesionbarometer.schemas.wire.RegistrySerdes;

/**
 * Puts records on Kafka and reports success only once the broker acknowledged them with
 * {@code acks=all} from an idempotent producer: an organiser's 2xx means the record is durable.
 */
public class SignalPublisher implements AutoCloseable {
    private final KafkaProducer<String, SpecificRecord> producer;
    private final KafkaClientMetrics producerMetrics;
    private final Duration timeout;

    /** Kafka did not acknowledge in time, or refused. */
    public static class Unavailable extends Exception {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public SignalPublisher(String bootstrapServers, RegistrySerdes serdes, Duration timeout) {
        this(org.cohesionbarometer.schemas.KafkaEndpoints.of(bootstrapServers, serdes.registry().baseUrl()), serdes, timeout);
    }

    /** Publishes as the service's own Kafka principal ({@code kafka.login()}). */
    public SignalPublisher(org.cohesionbarometer.schemas.KafkaEndpoints kafka, RegistrySerdes serdes, Duration timeout) {
        this.timeout = timeout;
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // Fail a request within the timeout rather than hang while the broker is away.
        int millis = (int) timeout.toMillis();
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, millis / 2));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis);
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2000);
        ConfluentAvroSerializer<SpecificRecord> values = new ConfluentAvroSerializer<>(serdes.registry(), serdes.autoRegister());
        values.configure(java.util.Map.of(), false);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), values);
        this.producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(Metrics.globalRegistry);
    }

    /**
     * A record to publish, keyed by its event id (or reference id). The Kafka timestamp is the
     * event time for signals, so that Kafka's own time index and retention follow event time.
     */
    public record Keyed(String key, SpecificRecord value, Long timestamp) {
        public Keyed(String key, SpecificRecord value) {
            this(key, value, null);
        }
    }

    /**
     * Publishes all records and waits for each acknowledgement. Returns, per record in order, null
     * when stored or the failure that kept it out.
     */
    public List<Exception> publishAll(String topic, List<Keyed> records) {
        List<CompletableFuture<Void>> acks = new ArrayList<>(records.size());
        Instant accepted = Instant.now();
        for (Keyed record : records) {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            try {
                ProducerRecord<String, SpecificRecord> produced = new ProducerRecord<>(topic, null, record.timestamp(),
                        record.key(), record.value());
                AcceptedAt.add(produced.headers(), accepted);
                producer.send(produced, (metadata, failure) -> {
                    if (failure == null) {
                        ack.complete(null);
                    } else {
                        ack.completeExceptionally(failure);
                    }
                });
            } catch (RuntimeException e) {
                ack.completeExceptionally(e); // e.g. metadata not available within max.block.ms
            }
            acks.add(ack);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Exception> outcomes = new ArrayList<>(records.size());
        for (CompletableFuture<Void> ack : acks) {
            try {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                outcomes.add(null);
                accepted(topic).increment();
            } catch (ExecutionException e) {
                outcomes.add(new Unavailable(e.getCause().getMessage(), e.getCause()));
            } catch (TimeoutException e) {
                outcomes.add(new Unavailable("Kafka did not acknowledge within " + timeout, e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcomes.add(new Unavailable("interrupted", e));
            }
        }
        return outcomes;
    }

    /** Signals Kafka acknowledged, per topic (barometer_ingest_accepted_total). */
    private static Counter accepted(String topic) {
        return Metrics.counter("barometer.ingest.accepted", "topic", topic);
    }

    public void publish(String topic, Keyed record) throws Unavailable {
        Exception failure = publishAll(topic, List.of(record)).get(0);
        if (failure != null) {
            throw failure instanceof Unavailable u ? u : new Unavailable(failure.getMessage(), failure);
        }
    }

    @Override
    public void close() {
        producerMetrics.close();
        producer.close(Duration.ofSeconds(10));
    }
}
