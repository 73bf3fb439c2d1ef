package org.cohesionbarometer.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.cohesionbarometer.schemas.SignalAge;
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

    @Test
    void topicsStampedWithEventTimeKeepASheetTypedInAsLateAsTheApiAcceptsAndTopicsMadeBeforeAreChanged(@TempDir Path dir)
            throws Exception {
        try (InJvmKafka kafka = InJvmKafka.start(dir); Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(Topics.CHECK_INS, 1, (short) 1))).all().get(); // as an earlier version made it
            kafka.createBarometerTopics(1);

            List<String> eventTimeTopics = new java.util.ArrayList<>(List.of(Topics.SIGNALS));
            eventTimeTopics.addAll(List.of(Topics.INDICATORS));
            eventTimeTopics.addAll(List.of(Topics.CITY_INDICATORS, Topics.DEAD_LETTERS));
            var resources = eventTimeTopics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
            var configs = admin.describeConfigs(resources).all().get();
            for (int i = 0; i < 50 && configs.values().stream().anyMatch(c -> c.get("retention.ms").source()
                    != org.apache.kafka.clients.admin.ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG); i++) {
                Thread.sleep(100); // a changed config reaches the broker through the metadata log, a moment later
                configs = admin.describeConfigs(resources).all().get();
            }
            configs.forEach((topic, config) -> assertThat(Duration.ofMillis(Long.parseLong(config.get("retention.ms").value())))
                    .as(topic.name() + ": Kafka deletes by record time, and a signal's is its event time")
                    .isGreaterThanOrEqualTo(SignalAge.DEFAULT.windowGrace().plusDays(7)));
        }
    }
}
