package org.cohesionbarometer.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    private static final Map<String, String> PRODUCTION = Map.of(
            "BAROMETER_KAFKA_BOOTSTRAP", "kafka:9092",
            "BAROMETER_KAFKA_SECURITY_PROTOCOL", "sasl_ssl",
            "BAROMETER_KAFKA_USER", "ingest",
            "BAROMETER_KAFKA_PASSWORD", "0f3c9a1be77d41c2a6e0",
            "BAROMETER_KAFKA_TRUSTSTORE", "/run/kafka-tls/ca.pem",
            "BAROMETER_SCHEMA_REGISTRY_USER", "ingest",
            "BAROMETER_SCHEMA_REGISTRY_PASSWORD", "9d1e77a0c4b3f25e8a61");

    @Test
    void inProductionAServiceLogsInAsItsOwnScramUserOverTlsTrustingTheBrokersCertificate() {
        KafkaEndpoints kafka = KafkaEndpoints.fromEnvironment(new Environment(PRODUCTION));

        assertThat(kafka.clientProperties())
                .containsEntry("bootstrap.servers", "kafka:9092")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"ingest\" password=\"0f3c9a1be77d41c2a6e0\";")
                .containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("ssl.truststore.location", "/run/kafka-tls/ca.pem");
        assertThat(kafka.login().registryAuthorization()).isEqualTo("Basic " + java.util.Base64.getEncoder()
                .encodeToString("ingest:9d1e77a0c4b3f25e8a61".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void withoutSettingsAServiceConnectsInPlaintextAndSendsNoCredentials() {
        KafkaEndpoints kafka = KafkaEndpoints.fromEnvironment(new Environment(Map.of()));

        assertThat(kafka.clientProperties()).containsOnlyKeys("bootstrap.servers", "security.protocol")
                .containsEntry("security.protocol", "PLAINTEXT");
        assertThat(kafka.login().registryAuthorization()).isNull();
    }

    @Test
    void theEmbeddedRunsOwnBrokerIsReachedWithoutTheProductionLogin() {
        KafkaEndpoints embedded = KafkaEndpoints.fromEnvironment(new Environment(PRODUCTION)).at("localhost:19092", "http://localhost:8081");

        assertThat(embedded.login()).isEqualTo(KafkaLogin.NONE);
    }

    @Test
    void passwordsNeverAppearWhereSettingsArePrinted() {
        String printed = KafkaEndpoints.fromEnvironment(new Environment(PRODUCTION)).toString();

        assertThat(printed).contains("SASL_SSL", "ingest").doesNotContain("0f3c9a1be77d41c2a6e0", "9d1e77a0c4b3f25e8a61");
    }

    @Test
    void aPasswordCannotWriteItsOwnLoginModuleOptions() {
        var env = new java.util.HashMap<>(PRODUCTION);
        env.put("BAROMETER_KAFKA_PASSWORD", "x\" username=\"admin");

        assertThat((String) KafkaEndpoints.fromEnvironment(new Environment(env)).clientProperties().get("sasl.jaas.config"))
                .endsWith("username=\"ingest\" password=\"x\\\" username=\\\"admin\";");
    }

    @Test
    void anIncompleteOrUnknownSecuritySettingIsRefusedNamingTheVariable() {
        var noPassword = new java.util.HashMap<>(PRODUCTION);
        noPassword.remove("BAROMETER_KAFKA_PASSWORD");
        assertThatThrownBy(() -> KafkaEndpoints.fromEnvironment(new Environment(noPassword)))
                .hasMessageContaining("BAROMETER_KAFKA_PASSWORD").hasMessageContaining("empty");

        var unknown = new java.util.HashMap<>(PRODUCTION);
        unknown.put("BAROMETER_KAFKA_SECURITY_PROTOCOL", "SSL");
        assertThatThrownBy(() -> KafkaEndpoints.fromEnvironment(new Environment(unknown)))
                .hasMessageContaining("BAROMETER_KAFKA_SECURITY_PROTOCOL='SSL'").hasMessageContaining("SASL_SSL");

        var userInPlaintext = new java.util.HashMap<>(PRODUCTION);
        userInPlaintext.put("BAROMETER_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT");
        userInPlaintext.remove("BAROMETER_KAFKA_TRUSTSTORE");
        assertThatThrownBy(() -> KafkaEndpoints.fromEnvironment(new Environment(userInPlaintext)))
                .hasMessageContaining("BAROMETER_KAFKA_SECURITY_PROTOCOL").hasMessageContaining("sends no credentials");

        var halfARegistryLogin = new java.util.HashMap<>(PRODUCTION);
        halfARegistryLogin.remove("BAROMETER_SCHEMA_REGISTRY_PASSWORD");
        assertThatThrownBy(() -> KafkaEndpoints.fromEnvironment(new Environment(halfARegistryLogin)))
                .hasMessageContaining("BAROMETER_SCHEMA_REGISTRY_PASSWORD");
    }
}
