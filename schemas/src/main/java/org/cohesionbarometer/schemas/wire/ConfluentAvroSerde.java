package org.cohesionbarometer.schemas.wire;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.cohesionbarometer.schemas.registry.SchemaRegistryClient;

/** Serializer and deserializer of one Avro record type in the Confluent wire format. */
public class ConfluentAvroSerde<T extends SpecificRecord> implements Serde<T> {
    private final ConfluentAvroSerializer<T> serializer;
    private final ConfluentAvroDeserializer<T> deserializer;
    private final SchemaRegistryClient registry;
    private final boolean autoRegister;

    public ConfluentAvroSerde(Class<T> type, SchemaRegistryClient registry, boolean autoRegister) {
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.serializer = new ConfluentAvroSerializer<>(registry, autoRegister);
        this.deserializer = new ConfluentAvroDeserializer<>(type, registry);
    }

    /** A value serde, ready to use without {@link #configure}. */
    public static <T extends SpecificRecord> ConfluentAvroSerde<T> forValues(
            Class<T> type, SchemaRegistryClient registry, boolean autoRegister) {
        ConfluentAvroSerde<T> serde = new ConfluentAvroSerde<>(type, registry, autoRegister);
        serde.configure(Map.of(), false);
        return serde;
    }

    /** A serde of another type sharing this one's registry client and settings. */
    public <U extends SpecificRecord> ConfluentAvroSerde<U> sibling(Class<U> type) {
        return forValues(type, registry, autoRegister);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
