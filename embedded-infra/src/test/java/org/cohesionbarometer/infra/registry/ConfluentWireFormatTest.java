package org.cohesionbarometer.infra.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.cohesionbarometer.schemas.reference.OrganiserToken;
import org.cohesionbarometer.schemas.registry.SchemaRegistryClient;
import org.cohesionbarometer.schemas.registry.SchemaRegistryException;
import org.cohesionbarometer.schemas.signal.CheckIn;
import org.cohesionbarometer.schemas.signal.SignalSource;
import org.cohesionbarometer.schemas.wire.ConfluentAvroDeserializer;
import org.cohesionbarometer.schemas.wire.ConfluentAvroSerde;
import org.cohesionbarometer.schemas.wire.ConfluentAvroSerializer;
import org.cohesionbarometer.schemas.wire.WireFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConfluentWireFormatTest {
    private static final String TOPIC = "barometer.signals.check-ins";

    private SchemaRegistryServer server;
    private SchemaRegistryClient client;

    @BeforeEach
    void startRegistry() {
        server = new SchemaRegistryServer(new RegisteredSchemas()).start("localhost", 0);
        client = new SchemaRegistryClient(server.url());
    }

    @AfterEach
    void stopRegistry() {
        server.close();
    }

    private static CheckIn checkIn() {
        return CheckIn.newBuilder()
                .setEventId(UUID.fromString("0b7c8a52-3f7e-4a43-9d0e-2a4c1e9f6b11"))
                .setEventTime(Instant.parse("2026-03-14T18:30:00Z"))
                .setActivityId("cafe-north")
                .setParticipantToken("tok-7f3a")
                .setGroupCode("G2")
                .setHeadcount(1)
                .setSource(SignalSource.APP)
                .build();
    }

    @Test
    void payloadStartsWithMagicByteZeroAndTheRegisteredSchemaIdBigEndian() {
        var serializer = new ConfluentAvroSerializer<CheckIn>(client, true);
        serializer.configure(java.util.Map.of(), false);

        byte[] payload = serializer.serialize(TOPIC, checkIn());

        int registeredId = client.lookUp(TOPIC + "-value", CheckIn.getClassSchema());
        assertThat(payload[0]).isEqualTo((byte) 0);
        assertThat(ByteBuffer.wrap(payload, 1, 4).getInt()).isEqualTo(registeredId);
        assertThat(WireFormat.schemaId(payload)).isEqualTo(registeredId);
    }

    @Test
    void aPlainAvroReaderDecodesTheBodyAfterTheFiveByteHeaderWithTheSchemaFromTheRestEndpoint() throws Exception {
        var serde = ConfluentAvroSerde.forValues(CheckIn.class, client, true);
        byte[] payload = serde.serializer().serialize(TOPIC, checkIn());

        // A client that knows nothing of our classes: schema by id over REST, generic Avro reader.
        Schema writer = new SchemaRegistryClient(server.url()).schemaById(WireFormat.schemaId(payload));
        byte[] body = Arrays.copyOfRange(payload, 5, payload.length);
        GenericRecord read = new GenericDatumReader<GenericRecord>(writer)
                .read(null, DecoderFactory.get().binaryDecoder(body, null));

        assertThat(read.get("activityId").toString()).isEqualTo("cafe-north");
        assertThat(read.get("groupCode").toString()).isEqualTo("G2");
        assertThat(read.get("eventTime")).isEqualTo(Instant.parse("2026-03-14T18:30:00Z").toEpochMilli());
    }

    @Test
    void recordsRoundTripThroughTheSerde() {
        var serde = ConfluentAvroSerde.forValues(CheckIn.class, client, true);

        CheckIn back = serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, checkIn()));

        assertThat(back).isEqualTo(checkIn());
    }

    @Test
    void anOptionalTimestampRoundTripsSetAndUnset() {
        var serde = ConfluentAvroSerde.forValues(OrganiserToken.class, client, true);
        OrganiserToken issued = OrganiserToken.newBuilder().setTokenId("3f9a1c77e2b4").setOrganiserId("org-1")
                .setSecretSha256("ab".repeat(32)).setIssuedAt(Instant.parse("2026-03-14T18:30:00Z")).build();
        OrganiserToken revoked = OrganiserToken.newBuilder(issued).setRevokedAt(Instant.parse("2026-03-15T08:00:00Z")).build();

        for (OrganiserToken token : java.util.List.of(issued, revoked)) {
            assertThat(serde.deserializer().deserialize("tokens", serde.serializer().serialize("tokens", token))).isEqualTo(token);
        }
    }

    @Test
    void aRecordWrittenWithAnOlderSchemaReadsIntoTheCurrentClassWithDefaults() throws Exception {
        Schema older = SchemaBuilder.record("CheckIn").namespace("org.cohesionbarometer.schemas.signal").fields()
                .name("eventId").type(new Schema.Parser().parse("{\"type\":\"string\",\"logicalType\":\"uuid\"}")).noDefault()
                .name("eventTime").type(new Schema.Parser().parse("{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}")).noDefault()
                .name("activityId").type().stringType().noDefault()
                .endRecord();
        int id = client.register(TOPIC + "-value", older);
        var record = new org.apache.avro.generic.GenericData.Record(older);
        record.put("eventId", "0b7c8a52-3f7e-4a43-9d0e-2a4c1e9f6b11");
        record.put("eventTime", 1_000L);
        record.put("activityId", "garden-south");
        var out = new java.io.ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
        new org.apache.avro.generic.GenericDatumWriter<>(older).write(record, encoder);
        encoder.flush();

        CheckIn read = new ConfluentAvroDeserializer<>(CheckIn.class, client).deserialize(TOPIC, out.toByteArray());

        assertThat(read.getActivityId()).isEqualTo("garden-south");
        assertThat(read.getHeadcount()).isEqualTo(1);
        assertThat(read.getParticipantToken()).isNull();
    }

    @Test
    void withoutAutoRegistrationAnUnregisteredSchemaIsASerializationError() {
        var serializer = new ConfluentAvroSerializer<CheckIn>(client, false);
        serializer.configure(java.util.Map.of(), false);

        assertThatThrownBy(() -> serializer.serialize(TOPIC, checkIn()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(TOPIC + "-value");
    }

    @Test
    void bytesWithoutTheMagicByteAreRejectedWithAClearReason() {
        var deserializer = new ConfluentAvroDeserializer<>(CheckIn.class, client);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, "{\"json\":true}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("magic byte");
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("at least 5");
    }

    @Test
    void deserializingAnUnknownSchemaIdNamesTheId() {
        var deserializer = new ConfluentAvroDeserializer<>(CheckIn.class, client);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 0, 0, 42, 2}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id 42");
    }

    @Test
    void theClientCachesSchemasSoItKeepsWorkingWhenTheRegistryGoesAway() {
        var serde = ConfluentAvroSerde.forValues(CheckIn.class, client, true);
        byte[] payload = serde.serializer().serialize(TOPIC, checkIn());
        serde.deserializer().deserialize(TOPIC, payload);

        server.close();

        assertThat(serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, checkIn())))
                .isEqualTo(checkIn());
    }
}
