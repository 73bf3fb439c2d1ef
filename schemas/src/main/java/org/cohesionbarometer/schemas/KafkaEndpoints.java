package org.cohesionbarometer.schemas;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cohesionbarometer.schemas.registry.SchemaRegistryClient;
import org.cohesionbarometer.schemas.wire.RegistrySerdes;

/**
 * Where a service finds Kafka and the schema registry, and who it is to them: the settings every
 * service (ingest, streams, sink) reads alike, read here once with one set of defaults. Each
 * service's own typed settings hold one of these, and every Kafka client and registry client a
 * service makes starts from {@link #clientProperties()} and {@link #registryClient()}.
 *
 * @param bootstrapServers    Kafka's bootstrap servers ({@code BAROMETER_KAFKA_BOOTSTRAP})
 * @param schemaRegistryUrl   the Confluent-compatible schema registry ({@code BAROMETER_SCHEMA_REGISTRY_URL})
 * @param autoRegisterSchemas whether a writer registers its schema on first use
 *                            ({@code BAROMETER_SCHEMA_AUTO_REGISTER}; off where the registry is managed)
 * @param login               the service's Kafka principal and registry login ({@link KafkaLogin})
 */
public record KafkaEndpoints(String bootstrapServers, String schemaRegistryUrl, boolean autoRegisterSchemas, KafkaLogin login) {

    /** Without a login: PLAINTEXT, as the embedded run and the tests' brokers listen. */
    public KafkaEndpoints(String bootstrapServers, String schemaRegistryUrl, boolean autoRegisterSchemas) {
        this(bootstrapServers, schemaRegistryUrl, autoRegisterSchemas, KafkaLogin.NONE);
    }

    public static KafkaEndpoints fromEnvironment(Environment env) {
        return new KafkaEndpoints(
                env.string("BAROMETER_KAFKA_BOOTSTRAP", "localhost:9092"),
                env.string("BAROMETER_SCHEMA_REGISTRY_URL", "http://localhost:8081"),
                env.flag("BAROMETER_SCHEMA_AUTO_REGISTER", true),
                new KafkaLogin(KafkaLogin.protocol(env.string("BAROMETER_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT")),
                        env.string("BAROMETER_KAFKA_USER", ""),
                        env.string("BAROMETER_KAFKA_PASSWORD", ""),
                        env.string("BAROMETER_KAFKA_TRUSTSTORE", ""),
                        env.string("BAROMETER_SCHEMA_REGISTRY_USER", ""),
                        env.string("BAROMETER_SCHEMA_REGISTRY_PASSWORD", "")));
    }

    /** A broker and a registry the caller started (the embedded run, tests), registering schemas on first use. */
    public static KafkaEndpoints of(String bootstrapServers, String schemaRegistryUrl) {
        return new KafkaEndpoints(bootstrapServers, schemaRegistryUrl, true);
    }

    /**
     * The same registry policy against a broker and registry the caller started (the embedded run,
     * benchmarks, tests): PLAINTEXT on loopback, no login (docs/security.md).
     */
    public KafkaEndpoints at(String otherBootstrapServers, String otherSchemaRegistryUrl) {
        return new KafkaEndpoints(otherBootstrapServers, otherSchemaRegistryUrl, autoRegisterSchemas, KafkaLogin.NONE);
    }

    /** The same endpoints with another login. */
    public KafkaEndpoints as(KafkaLogin otherLogin) {
        return new KafkaEndpoints(bootstrapServers, schemaRegistryUrl, autoRegisterSchemas, otherLogin);
    }

    /** Where Kafka is and who this service is to it: what every producer, consumer, admin and streams client starts from. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.putAll(login.clientProperties());
        return props;
    }

    /** The schema registry, logged in to where it asks for a login. */
    public SchemaRegistryClient registryClient() {
        return new SchemaRegistryClient(schemaRegistryUrl, login.registryAuthorization());
    }

    /** Serdes of the public contracts through {@link #registryClient()}, with this registry policy. */
    public RegistrySerdes serdes() {
        return new RegistrySerdes(registryClient(), autoRegisterSchemas);
    }
}
