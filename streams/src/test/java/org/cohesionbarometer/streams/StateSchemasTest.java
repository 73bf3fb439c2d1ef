package org.cohesionbarometer.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import org.cohesionbarometer.schemas.internal.ParticipantHistory;
import org.cohesionbarometer.schemas.internal.Session;
import org.cohesionbarometer.schemas.internal.WindowSeen;
import org.cohesionbarometer.schemas.registry.SchemaRegistryClient;
import org.cohesionbarometer.schemas.wire.ConfluentAvroSerde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The streams stage's private state schemas, through the same wire format as its topics. */
class StateSchemasTest {
    @RegisterExtension
    static final InProcessRegistry registry = new InProcessRegistry();

    @Test
    void internalStateWrittenByAvrosGeneratedEncodersReadsBackTheSame() {
        var serde = ConfluentAvroSerde.forValues(ParticipantHistory.class, new SchemaRegistryClient(registry.url()), true);
        ParticipantHistory history = new ParticipantHistory(1_773_500_000_000L, List.of("cafe-north", "north"),
                List.of(new Session(0, 20_526)),
                List.of(new WindowSeen(0, 1, 1_773_500_000_000L, 5, ByteBuffer.wrap(new byte[16]))));

        assertThat(serde.deserializer().deserialize("history", serde.serializer().serialize("history", history)))
                .isEqualTo(history);
    }
}
