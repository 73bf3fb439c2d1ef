package org.cohesionbarometer.infra.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.cohesionbarometer.schemas.registry.SchemaRegistryClient;
import org.cohesionbarometer.schemas.registry.SchemaRegistryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaRegistryServerTest {
    private static final Schema V1 = SchemaBuilder.record("Tap").fields()
            .requiredString("kioskId").endRecord();
    private static final Schema V2_WITH_DEFAULT = SchemaBuilder.record("Tap").fields()
            .requiredString("kioskId").name("scale").type().intType().intDefault(5).endRecord();
    private static final Schema V2_WITHOUT_DEFAULT = SchemaBuilder.record("Tap").fields()
            .requiredString("kioskId").requiredInt("scale").endRecord();

    @Test
    void registeringTheSameSchemaTwiceGivesTheSameIdAndOtherSubjectsShareIt() {
        try (var server = new SchemaRegistryServer(new RegisteredSchemas()).start("localhost", 0)) {
            var client = new SchemaRegistryClient(server.url());
            int first = client.register("taps-value", V1);
            int again = new SchemaRegistryClient(server.url()).register("taps-value", V1);
            int otherSubject = client.register("other-value", V1);

            assertThat(again).isEqualTo(first);
            assertThat(otherSubject).isEqualTo(first);
            assertThat(client.schemaById(first)).isEqualTo(V1);
        }
    }

    @Test
    void backwardCompatibilityAllowsANewFieldWithADefaultAndRefusesOneWithout() {
        try (var server = new SchemaRegistryServer(new RegisteredSchemas()).start("localhost", 0)) {
            var client = new SchemaRegistryClient(server.url());
            client.register("taps-value", V1);

            assertThat(client.isCompatibleWithLatest("taps-value", V2_WITH_DEFAULT)).isTrue();
            assertThat(client.isCompatibleWithLatest("taps-value", V2_WITHOUT_DEFAULT)).isFalse();
            assertThatThrownBy(() -> client.register("taps-value", V2_WITHOUT_DEFAULT))
                    .isInstanceOf(SchemaRegistryException.class)
                    .satisfies(e -> assertThat(((SchemaRegistryException) e).httpStatus()).isEqualTo(409));
            assertThat(client.register("taps-value", V2_WITH_DEFAULT)).isNotEqualTo(client.register("taps-value", V1));
        }
    }

    @Test
    void unknownIdsAndSubjectsAnswerConfluentErrorCodes() throws Exception {
        try (var server = new SchemaRegistryServer(new RegisteredSchemas()).start("localhost", 0)) {
            var client = new SchemaRegistryClient(server.url());

            assertThatThrownBy(() -> client.schemaById(99))
                    .isInstanceOf(SchemaRegistryException.class)
                    .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(40403));
            assertThatThrownBy(() -> client.lookUp("nobody-value", V1))
                    .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(40401));

            HttpResponse<String> latest = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.url() + "/subjects/nobody-value/versions/latest")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(latest.statusCode()).isEqualTo(404);
            assertThat(latest.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith(SchemaRegistryClient.CONTENT_TYPE));
            assertThat(latest.body()).contains("\"error_code\":40401");
        }
    }

    @Test
    void aRestartedRegistryKeepsItsIdsFromTheLog(@TempDir Path dir) {
        int id;
        try (var server = new SchemaRegistryServer(new RegisteredSchemas(dir.resolve("schemas.jsonl"))).start("localhost", 0)) {
            new SchemaRegistryClient(server.url()).register("a-value", V1);
            id = new SchemaRegistryClient(server.url()).register("taps-value", V2_WITH_DEFAULT);
        }
        try (var server = new SchemaRegistryServer(new RegisteredSchemas(dir.resolve("schemas.jsonl"))).start("localhost", 0)) {
            var client = new SchemaRegistryClient(server.url());
            assertThat(client.schemaById(id)).isEqualTo(V2_WITH_DEFAULT);
            assertThat(client.register("taps-value", V2_WITH_DEFAULT)).isEqualTo(id);
            assertThat(client.register("b-value", SchemaBuilder.record("New").fields().endRecord())).isGreaterThan(id);
        }
    }
}
