package org.cohesionbarometer.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.cohesionbarometer.infra.InJvmKafka;
import org.cohesionbarometer.schemas.Topics;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;
import org.cohesionbarometer.schemas.reference.Activity;
import org.cohesionbarometer.schemas.reference.ActivityType;
import org.cohesionbarometer.schemas.registry.RegisteredSchemas;
import org.cohesionbarometer.schemas.registry.SchemaRegistryServer;
import org.cohesionbarometer.schemas.signal.CheckIn;
import org.cohesionbarometer.schemas.signal.SignalSource;
import org.cohesionbarometer.schemas.wire.RegistrySerdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The full topology on a real broker, exactly-once, including a record nobody can decode. */
class CohesionStreamsIT {

    @Test
    void indicatorsFlowEndToEndWithExactlyOnceAndUndecodableBytesBecomeDeadLetters(@TempDir Path state) throws Exception {
        try (InJvmKafka kafka = InJvmKafka.startTemporary();
             SchemaRegistryServer registry = new SchemaRegistryServer(new RegisteredSchemas()).start("localhost", 0)) {
            kafka.createBarometerTopics(2);
            RegistrySerdes serdes = new RegistrySerdes(registry.url(), true);
            Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
            Map<String, Object> producerConfig = Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all");
            try (var activities = new KafkaProducer<>(producerConfig, new StringSerializer(), serdes.of(Activity.class).serializer())) {
                activities.send(new ProducerRecord<>(Topics.ACTIVITIES, "cafe", Activity.newBuilder().setId("cafe")
                        .setTitle("Language café").setType(ActivityType.LANGUAGE_CAFE).setNeighbourhoodId("north")
                        .setOrganiserId("org").setStartsAt(hour.minus(Duration.ofDays(7))).build())).get();
            }

            StreamsSettings settings = StreamsSettings.defaults(kafka.bootstrapServers(), registry.url(), state);
            try (CohesionStreamsApp app = new CohesionStreamsApp(settings).start()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> app.state() == KafkaStreams.State.RUNNING);
                try (var checkIns = new KafkaProducer<>(producerConfig, new StringSerializer(), serdes.of(CheckIn.class).serializer());
                     var raw = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
                    for (int i = 0; i < 12; i++) {
                        UUID id = UUID.randomUUID();
                        CheckIn checkIn = CheckIn.newBuilder().setEventId(id).setEventTime(hour.plusSeconds(60L * i))
                                .setActivityId("cafe").setGroupCode(i % 3 == 0 ? "B" : "A").setParticipantToken("tok-000" + i)
                                .setSource(SignalSource.APP).build();
                        checkIns.send(new ProducerRecord<>(Topics.CHECK_INS, id.toString(), checkIn)).get();
                        if (i == 5) {
                            checkIns.send(new ProducerRecord<>(Topics.CHECK_INS, id.toString(), checkIn)).get(); // a retry
                            raw.send(new ProducerRecord<>(Topics.CHECK_INS, "garbage",
                                    "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8))).get();
                        }
                    }
                }

                var decoder = serdes.of(NeighbourhoodIndicators.class).deserializer();
                List<NeighbourhoodIndicators> updates = new ArrayList<>();
                List<ConsumerRecord<String, byte[]>> deadLetters = new ArrayList<>();
                try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(),
                        "group.id", "it-reader", "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
                        new StringDeserializer(), new ByteArrayDeserializer())) {
                    consumer.subscribe(List.of(Topics.NEIGHBOURHOOD_INDICATORS, Topics.DEAD_LETTERS));
                    await().atMost(Duration.ofSeconds(60)).until(() -> {
                        for (var r : consumer.poll(Duration.ofMillis(200))) {
                            if (r.topic().equals(Topics.DEAD_LETTERS)) {
                                deadLetters.add(r);
                            } else {
                                updates.add(decoder.deserialize(r.topic(), r.value()));
                            }
                        }
                        return !deadLetters.isEmpty() && !updates.isEmpty()
                                && updates.get(updates.size() - 1).getCheckIns() == 12;
                    });
                }

                NeighbourhoodIndicators latest = updates.get(updates.size() - 1);
                assertThat(latest.getNeighbourhoodId()).isEqualTo("north");
                assertThat(latest.getWindowStart()).isEqualTo(hour);
                assertThat(latest.getUniqueParticipants()).isEqualTo(12);
                assertThat(latest.getIndicators().getGiniSimpson()).isCloseTo(1 - (64.0 + 16) / 144,
                        org.assertj.core.api.Assertions.within(1e-12));
                assertThat(updates).allSatisfy(u -> assertThat(u.getCheckIns()).isLessThanOrEqualTo(12));
                assertThat(deadLetters.get(0).key()).isEqualTo("garbage");
                assertThat(deadLetters.get(0).headers().toString()).containsIgnoringCase("exception");
                assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
            }
        }
    }
}
