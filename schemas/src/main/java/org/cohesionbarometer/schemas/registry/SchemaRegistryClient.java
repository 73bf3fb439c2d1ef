package org.cohesionbarometer.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A client for the Confluent Schema Registry REST API (the documented subset a serde needs):
 * register, look up by id, and test compatibility. Both directions are cached, so a running
 * serializer or deserializer asks the registry once per schema.
 *
 * <p>Works against a real Confluent Schema Registry and against the in-process one of
 * {@code embedded-infra} (its {@code ConfluentWireFormatTest} checks the wire format through both).
 */
public class SchemaRegistryClient {
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUrl;
    private final String authorization;
    private final HttpClient http;
    private final Map<String, Map<Schema, Integer>> idBySubjectAndSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemaById = new ConcurrentHashMap<>();

    public SchemaRegistryClient(String baseUrl) {
        this(baseUrl, null);
    }

    /** @param authorization the Authorization header's value where the registry asks for a login (HTTP basic), or null */
    public SchemaRegistryClient(String baseUrl, String authorization) {
        this.baseUrl = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.authorization = authorization;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public String baseUrl() {
        return baseUrl.toString();
    }

    /** {@code POST /subjects/{subject}/versions}: registers (or finds) the schema, returns its global id. */
    public int register(String subject, Schema schema) {
        Integer cached = idBySubjectAndSchema.getOrDefault(subject, Map.of()).get(schema);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("POST", "subjects/" + encode(subject) + "/versions", schemaBody(schema));
        int id = answer.get("id").asInt();
        remember(subject, schema, id);
        return id;
    }

    /** {@code POST /subjects/{subject}}: the id of a schema already registered under the subject. */
    public int lookUp(String subject, Schema schema) {
        Integer cached = idBySubjectAndSchema.getOrDefault(subject, Map.of()).get(schema);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("POST", "subjects/" + encode(subject), schemaBody(schema));
        int id = answer.get("id").asInt();
        remember(subject, schema, id);
        return id;
    }

    /** {@code GET /schemas/ids/{id}}: the writer schema of a record on the wire. */
    public Schema schemaById(int id) {
        return schemaById.computeIfAbsent(id, key -> {
            JsonNode answer = send("GET", "schemas/ids/" + key, null);
            return new Schema.Parser().parse(answer.get("schema").asText());
        });
    }

    /** {@code POST /compatibility/subjects/{subject}/versions/latest}: may this schema follow the latest? */
    public boolean isCompatibleWithLatest(String subject, Schema schema) {
        try {
            JsonNode answer = send("POST", "compatibility/subjects/" + encode(subject) + "/versions/latest",
                    schemaBody(schema));
            return answer.path("is_compatible").asBoolean(false);
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == 40401 || e.errorCode() == 40402) {
                return true; // nothing registered yet: anything is compatible
            }
            throw e;
        }
    }

    private void remember(String subject, Schema schema, int id) {
        idBySubjectAndSchema.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, id);
        schemaById.putIfAbsent(id, schema);
    }

    private static String schemaBody(Schema schema) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        return body.toString();
    }

    private JsonNode send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", CONTENT_TYPE + ", application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body == null) {
            request.GET();
        } else {
            request.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
            if (response.statusCode() / 100 != 2) {
                throw new SchemaRegistryException(response.statusCode(),
                        json.path("error_code").asInt(response.statusCode()),
                        json.path("message").asText("schema registry answered " + response.statusCode()));
            }
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException("schema registry at " + baseUrl + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the schema registry", e);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
