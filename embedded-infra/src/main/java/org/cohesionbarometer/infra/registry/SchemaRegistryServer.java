package org.cohesionbarometer.infra.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.cohesionbarometer.schemas.registry.SchemaRegistryClient;

/**
 * An in-process server for the Confluent Schema Registry REST API, for the embedded barometer and
 * tests. It serves the endpoints Confluent's serdes and tools use, with Confluent's error codes,
 * so any Confluent-compatible client can read the barometer's topics. Compatibility is BACKWARD.
 */
public class SchemaRegistryServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegisteredSchemas schemas;
    private final Javalin app;

    public SchemaRegistryServer(RegisteredSchemas schemas) {
        this.schemas = schemas;
        this.app = Javalin.create(config -> config.showJavalinBanner = false);
        app.get("/", ctx -> json(ctx, 200, Map.of()));
        app.get("/subjects", ctx -> json(ctx, 200, schemas.subjects()));
        app.get("/subjects/{subject}/versions", ctx -> {
            var versions = schemas.versions(ctx.pathParam("subject"));
            if (versions.isEmpty()) {
                error(ctx, 404, 40401, "Subject '" + ctx.pathParam("subject") + "' not found.");
                return;
            }
            json(ctx, 200, versions.stream().map(RegisteredSchemas.Version::version).toList());
        });
        app.get("/subjects/{subject}/versions/{version}", this::getVersion);
        app.post("/subjects/{subject}/versions", this::register);
        app.post("/subjects/{subject}", this::lookUp);
        app.get("/schemas/ids/{id}", this::byId);
        app.get("/schemas/ids/{id}/schema", ctx -> {
            schemas.byId(Integer.parseInt(ctx.pathParam("id"))).ifPresentOrElse(
                    schema -> ctx.status(200).contentType(SchemaRegistryClient.CONTENT_TYPE).result(schema.toString()),
                    () -> error(ctx, 404, 40403, "Schema " + ctx.pathParam("id") + " not found"));
        });
        app.post("/compatibility/subjects/{subject}/versions/latest", this::compatibility);
        app.get("/config", ctx -> json(ctx, 200, Map.of("compatibilityLevel", "BACKWARD")));
        app.exception(NumberFormatException.class, (e, ctx) -> error(ctx, 422, 42202, "Invalid id or version"));
    }

    public SchemaRegistryServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    public String url() {
        return "http://localhost:" + port();
    }

    @Override
    public void close() {
        app.stop();
    }

    private void register(Context ctx) {
        String subject = ctx.pathParam("subject");
        Schema schema = parse(ctx);
        if (schema == null) {
            return;
        }
        if (schemas.find(subject, schema).isEmpty() && !schemas.isBackwardCompatible(subject, schema)) {
            error(ctx, 409, 409, "Schema being registered is incompatible with an earlier schema for subject \""
                    + subject + "\" (compatibility BACKWARD)");
            return;
        }
        json(ctx, 200, Map.of("id", schemas.register(subject, schema).id()));
    }

    private void lookUp(Context ctx) {
        String subject = ctx.pathParam("subject");
        Schema schema = parse(ctx);
        if (schema == null) {
            return;
        }
        if (schemas.versions(subject).isEmpty()) {
            error(ctx, 404, 40401, "Subject '" + subject + "' not found.");
            return;
        }
        schemas.find(subject, schema).ifPresentOrElse(
                v -> json(ctx, 200, Map.of("subject", v.subject(), "version", v.version(), "id", v.id(),
                        "schema", v.schema().toString())),
                () -> error(ctx, 404, 40403, "Schema not found"));
    }

    private void getVersion(Context ctx) {
        String subject = ctx.pathParam("subject");
        String requested = ctx.pathParam("version");
        var versions = schemas.versions(subject);
        if (versions.isEmpty()) {
            error(ctx, 404, 40401, "Subject '" + subject + "' not found.");
            return;
        }
        int index = "latest".equals(requested) ? versions.size() : Integer.parseInt(requested);
        if (index < 1 || index > versions.size()) {
            error(ctx, 404, 40402, "Version " + requested + " not found.");
            return;
        }
        var v = versions.get(index - 1);
        json(ctx, 200, Map.of("subject", v.subject(), "version", v.version(), "id", v.id(),
                "schema", v.schema().toString()));
    }

    private void byId(Context ctx) {
        int id = Integer.parseInt(ctx.pathParam("id"));
        schemas.byId(id).ifPresentOrElse(
                schema -> json(ctx, 200, Map.of("schema", schema.toString())),
                () -> error(ctx, 404, 40403, "Schema " + id + " not found"));
    }

    private void compatibility(Context ctx) {
        String subject = ctx.pathParam("subject");
        Schema schema = parse(ctx);
        if (schema == null) {
            return;
        }
        if (schemas.versions(subject).isEmpty()) {
            error(ctx, 404, 40401, "Subject '" + subject + "' not found.");
            return;
        }
        json(ctx, 200, Map.of("is_compatible", schemas.isBackwardCompatible(subject, schema)));
    }

    private Schema parse(Context ctx) {
        try {
            JsonNode body = JSON.readTree(ctx.body());
            String type = body.path("schemaType").asText("AVRO");
            if (!"AVRO".equals(type)) {
                error(ctx, 422, 42201, "Only AVRO schemas are served here, not " + type);
                return null;
            }
            return new Schema.Parser().parse(body.path("schema").asText());
        } catch (SchemaParseException | java.io.IOException | NullPointerException e) {
            error(ctx, 422, 42201, "Invalid schema: " + e.getMessage());
            return null;
        }
    }

    private static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType(SchemaRegistryClient.CONTENT_TYPE).result(JSON.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void error(Context ctx, int status, int errorCode, String message) {
        json(ctx, status, Map.of("error_code", errorCode, "message", message));
    }
}
