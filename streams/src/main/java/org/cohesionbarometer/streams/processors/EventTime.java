package org.cohesionbarometer.streams.processors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.cohesionbarometer.schemas.signal.CheckIn;
import org.cohesionbarometer.schemas.signal.MixingContact;
import org.cohesionbarometer.schemas.signal.SentimentTap;

/**
 * Windows follow when a signal happened, not when it reached Kafka: a paper sheet typed in on
 * Monday counts for Saturday's dinner. Reads the event time from the signal itself, whatever
 * timestamp its producer set; other records keep their Kafka timestamp.
 */
public class EventTime implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        Object value = record.value();
        if (value instanceof CheckIn c) {
            return c.getEventTime().toEpochMilli();
        }
        if (value instanceof MixingContact m) {
            return m.getEventTime().toEpochMilli();
        }
        if (value instanceof SentimentTap t) {
            return t.getEventTime().toEpochMilli();
        }
        return record.timestamp() >= 0 ? record.timestamp() : partitionTime;
    }
}
