package org.cohesionbarometer.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaEndpointsTest {

    @Test
    void everyServiceFindsKafkaAndTheRegistryAtTheSameDefaults() {
        assertThat(KafkaEndpoints.fromEnvironment(new Environment(Map.of())))
                .isEqualTo(new KafkaEndpoints("localhost:9092", "http://localhost:8081", true));
    }

    @Test
    void theVariablesMoveThem() {
        var env = new Environment(Map.of("BAROMETER_KAFKA_BOOTSTRAP", "kafka-1:9092",
                "BAROMETER_SCHEMA_REGISTRY_URL", "http://registry:8081", "BAROMETER_SCHEMA_AUTO_REGISTER", "false"));

        assertThat(KafkaEndpoints.fromEnvironment(env)).isEqualTo(new KafkaEndpoints("kafka-1:9092", "http://registry:8081", false));
        assertThat(KafkaEndpoints.fromEnvironment(env).at("localhost:1", "http://localhost:2").autoRegisterSchemas()).isFalse();
    }
}
