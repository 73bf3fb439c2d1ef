package org.cohesionbarometer.sink;

import java.time.Duration;
import java.util.Collection;
import java.util.Properties;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.cohesionbarometer.schemas.KafkaEndpoints;
import org.cohesionbarometer.schemas.StaticMembership;
import org.slf4j.Logger;

/**
 * The consumer loop the sink's programs share (the indicator sink, the data-quality feed): poll,
 * pause the partitions, write the batch (in one transaction, retried while the database is away),
 * commit the offsets, resume. A crash at any point replays the batch; the writes are idempotent.
 * Reads only committed transactions (the streams stage writes exactly once). {@link #stop} ends it
 * from another thread.
 */
public final class ConsumerLoop {
    /** What to do with one poll's records: written when it returns, then their offsets are committed. */
    public interface Batch {
        void write(ConsumerRecords<String, byte[]> records);
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaClientMetrics consumerMetrics;
    private final String program;
    private final Logger log;
    private volatile boolean running = true;

    /**
     * @param membership static membership ({@code group.instance.id}, one per program): a sink killed and
     *                   started again takes its partitions back at once instead of after the dead
     *                   member's session timed out
     */
    public ConsumerLoop(KafkaEndpoints kafka, String groupId, int maxBatch, StaticMembership membership, String program, Logger log) {
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // The streams stage writes with exactly-once: read only committed transactions.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxBatch);
        membership.instanceFor(groupId).ifPresent(id -> props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 30_000);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(Metrics.globalRegistry);
        this.program = program;
        this.log = log;
    }

    public boolean running() {
        return running;
    }

    /** Stays in the consumer group while a batch waits for the database: call from the loop's thread. */
    public void keepAlive() {
        consumer.poll(Duration.ZERO);
    }

    /**
     * Runs until {@link #stop}: each non-empty poll is written and committed; {@code afterEachPoll}
     * runs after every poll, empty or not. Closes the consumer, then {@code resources}, when it ends.
     */
    public void run(Collection<String> topics, Batch batch, Runnable afterEachPoll, AutoCloseable... resources) {
        consumer.subscribe(topics);
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    consumer.pause(consumer.assignment());
                    batch.write(records);
                    consumer.commitSync();
                    consumer.resume(consumer.paused());
                }
                afterEachPoll.run();
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            if (running) {
                log.error("{} stopped: {}", program, e.getMessage(), e);
                throw e;
            }
        } finally {
            // A static member leaves only when asked: stopped cleanly, its partitions go to the others at once.
            consumerMetrics.close();
            consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            for (AutoCloseable resource : resources) {
                try {
                    resource.close();
                } catch (Exception e) {
                    log.warn("{}: closing {} failed: {}", program, resource, e.getMessage());
                }
            }
        }
    }

    public void stop() {
        running = false;
        consumer.wakeup();
    }
}
