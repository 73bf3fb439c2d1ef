package org.cohesionbarometer.schemas.wire;

import org.apache.avro.specific.SpecificRecord;
import org.cohesionbarometer.schemas.registry.SchemaRegistryClient;

/** Makes value serdes for the barometer's Avro types, all sharing one registry client and its caches. */
public record RegistrySerdes(SchemaRegistryClient registry, boolean autoRegister) {
    public RegistrySerdes(String registryUrl, boolean autoRegister) {
        this(new SchemaRegistryClient(registryUrl), autoRegister);
    }

    public <T extends SpecificRecord> ConfluentAvroSerde<T> of(Class<T> type) {
        return ConfluentAvroSerde.forValues(type, registry, autoRegister);
    }
}
