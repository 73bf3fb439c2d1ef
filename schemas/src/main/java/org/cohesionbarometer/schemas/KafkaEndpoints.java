package org.cohesionbarometer.schemas;

/**
 * Where a service finds Kafka and the schema registry: the settings every service (ingest, streams,
 * sink) reads alike, read here once with one set of defaults. Each service's own typed settings
 * hold one of these.
 *
 * @param bootstrapServers    Kafka's bootstrap servers ({@code BAROMETER_KAFKA_BOOTSTRAP})
 * @param schemaRegistryUrl   the Confluent-compatible schema registry ({@code BAROMETER_SCHEMA_REGISTRY_URL})
 * @param autoRegisterSchemas whether a writer registers its schema on first use
 *                            ({@code BAROMETER_SCHEMA_AUTO_REGISTER}; off where the registry is managed)
 */
public record KafkaEndpoints(String bootstrapServers, String schemaRegistryUrl, boolean autoRegisterSchemas) {

    public static KafkaEndpoints fromEnvironment(Environment env) {
        return new KafkaEndpoints(
                env.string("BAROMETER_KAFKA_BOOTSTRAP", "localhost:9092"),
                env.string("BAROMETER_SCHEMA_REGISTRY_URL", "http://localhost:8081"),
                env.flag("BAROMETER_SCHEMA_AUTO_REGISTER", true));
    }

    /** A broker and a registry the caller started (the embedded run, tests), registering schemas on first use. */
    public static KafkaEndpoints of(String bootstrapServers, String schemaRegistryUrl) {
        return new KafkaEndpoints(bootstrapServers, schemaRegistryUrl, true);
    }

    /** The same registry policy against another broker and registry. */
    public KafkaEndpoints at(String otherBootstrapServers, String otherSchemaRegistryUrl) {
        return new KafkaEndpoints(otherBootstrapServers, otherSchemaRegistryUrl, autoRegisterSchemas);
    }
}
