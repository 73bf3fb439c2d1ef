package org.cohesionbarometer.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.cohesionbarometer.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InJvmKafkaIT {

    @Test
    void aBrokerWithADataDirectoryKeepsItsRecordsAcrossARestart(@TempDir Path dir) throws Exception {
        try (InJvmKafka kafka = InJvmKafka.start(dir)) {
            kafka.createBarometerTopics(2);
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(),
                    "acks", "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(Topics.CHECK_INS, "k", "kept")).get();
            }
        }
        try (InJvmKafka kafka = InJvmKafka.start(dir)) {
            kafka.createBarometerTopics(2);
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(),
                    "group.id", "restart-test", "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(Topics.CHECK_INS));
                var values = new java.util.ArrayList<String>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (values.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                }
                assertThat(values).containsExactly("kept");
            }
        }
    }
}
