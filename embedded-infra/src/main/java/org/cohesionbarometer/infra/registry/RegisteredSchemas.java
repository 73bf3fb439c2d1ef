package org.cohesionbarometer.infra.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * The subjects, versions and global ids of the in-process registry. Ids are global and shared by
 * every subject that registers the same schema, as in Confluent's registry. When given a file,
 * every registration is appended to it (one JSON line each) before it is answered, so a restarted
 * embedded barometer keeps the ids its Kafka topics were written with.
 */
public class RegisteredSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Version(String subject, int version, int id, Schema schema) {
    }

    private final Path log;
    private final Map<String, Integer> idByCanonicalSchema = new LinkedHashMap<>();
    private final Map<Integer, Schema> schemaById = new LinkedHashMap<>();
    private final Map<String, List<Version>> versionsBySubject = new LinkedHashMap<>();

    /** In memory only. */
    public RegisteredSchemas() {
        this.log = null;
    }

    /** Backed by an append-only file, replayed now if it exists. */
    public RegisteredSchemas(Path log) {
        this.log = log;
        if (Files.exists(log)) {
            try {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        JsonNode entry = JSON.readTree(line);
                        add(entry.get("subject").asText(), entry.get("id").asInt(),
                                new Schema.Parser().parse(entry.get("schema").asText()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot replay schema log " + log, e);
            }
        }
    }

    /** Registers the schema under the subject (idempotent); returns its global id. */
    public synchronized Version register(String subject, Schema schema) {
        Optional<Version> existing = find(subject, schema);
        if (existing.isPresent()) {
            return existing.get();
        }
        Integer id = idByCanonicalSchema.get(canonical(schema));
        if (id == null) {
            id = schemaById.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        }
        Version version = add(subject, id, schema);
        append(version);
        return version;
    }

    public synchronized Optional<Version> find(String subject, Schema schema) {
        String canonical = canonical(schema);
        return versionsBySubject.getOrDefault(subject, List.of()).stream()
                .filter(v -> canonical(v.schema()).equals(canonical))
                .findFirst();
    }

    public synchronized Optional<Schema> byId(int id) {
        return Optional.ofNullable(schemaById.get(id));
    }

    public synchronized List<String> subjects() {
        return List.copyOf(versionsBySubject.keySet());
    }

    public synchronized List<Version> versions(String subject) {
        return List.copyOf(versionsBySubject.getOrDefault(subject, List.of()));
    }

    public synchronized Optional<Version> latest(String subject) {
        List<Version> versions = versionsBySubject.getOrDefault(subject, List.of());
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }

    /**
     * BACKWARD compatibility, as Confluent's default: consumers using the new schema can read
     * data written with the latest registered one. Checked by Avro's own SchemaCompatibility.
     */
    public synchronized boolean isBackwardCompatible(String subject, Schema candidate) {
        return latest(subject)
                .map(latest -> SchemaCompatibility.checkReaderWriterCompatibility(candidate, latest.schema())
                        .getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE)
                .orElse(true);
    }

    private Version add(String subject, int id, Schema schema) {
        idByCanonicalSchema.putIfAbsent(canonical(schema), id);
        schemaById.putIfAbsent(id, schema);
        List<Version> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        Version version = new Version(subject, versions.size() + 1, id, schema);
        versions.add(version);
        return version;
    }

    private void append(Version version) {
        if (log == null) {
            return;
        }
        var entry = JSON.createObjectNode()
                .put("subject", version.subject())
                .put("id", version.id())
                .put("schema", version.schema().toString());
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Files.writeString(log, entry + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to schema log " + log, e);
        }
    }

    private static String canonical(Schema schema) {
        return schema.toString();
    }
}
