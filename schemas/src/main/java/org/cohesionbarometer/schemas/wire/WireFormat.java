package org.cohesionbarometer.schemas.wire;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent Schema Registry wire format: magic byte 0, the schema id as a 4-byte big-endian
 * integer, then the Avro binary encoding of the record.
 * See https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/index.html#wire-format
 */
public final class WireFormat {
    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_LENGTH = 5;

    /** The schema id a payload was written with. */
    public static int schemaId(byte[] payload) {
        if (payload == null || payload.length < HEADER_LENGTH) {
            throw new SerializationException("Not in Confluent wire format: "
                    + (payload == null ? "null" : payload.length + " bytes") + ", need at least " + HEADER_LENGTH);
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new SerializationException("Unknown magic byte " + payload[0] + ": not in Confluent wire format");
        }
        return ByteBuffer.wrap(payload, 1, 4).getInt();
    }

    static void writeHeader(ByteBuffer target, int schemaId) {
        target.put(MAGIC_BYTE).putInt(schemaId);
    }

    private WireFormat() {
    }
}
