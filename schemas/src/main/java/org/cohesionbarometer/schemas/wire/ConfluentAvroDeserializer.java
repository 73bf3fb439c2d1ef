package org.cohesionbarometer.schemas.wire;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.cohesionbarometer.schemas.registry.SchemaRegistryClient;

/**
 * Reads Confluent wire-format Avro into a specific record class. The writer schema comes from
 * the registry by the id in the header and is resolved against the class's own (reader) schema,
 * so records written with an older or newer compatible schema still read.
 */
public class ConfluentAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    private final Class<T> type;
    private final Schema readerSchema;
    private SchemaRegistryClient registry;
    private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

    public ConfluentAvroDeserializer(Class<T> type) {
        this(type, null);
    }

    public ConfluentAvroDeserializer(Class<T> type, SchemaRegistryClient registry) {
        this.type = type;
        this.readerSchema = SpecificData.get().getSchema(type);
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = new SchemaRegistryClient(SerdeConfig.from(configs).registryUrl());
        }
    }

    @Override
    public T deserialize(String topic, byte[] payload) {
        if (payload == null) {
            return null;
        }
        int id = WireFormat.schemaId(payload);
        try {
            SpecificDatumReader<T> reader = readers.computeIfAbsent(id,
                    key -> new SpecificDatumReader<>(registry.schemaById(key), readerSchema));
            return reader.read(null, DecoderFactory.get().binaryDecoder(
                    payload, WireFormat.HEADER_LENGTH, payload.length - WireFormat.HEADER_LENGTH, null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot read " + type.getSimpleName() + " with schema id " + id
                    + " from topic " + topic + ": " + e.getMessage(), e);
        }
    }
}
