package org.cohesionbarometer.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.cohesionbarometer.schemas.ExitCode;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.cohesionbarometer.clients.AdminApi;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code reference apply|list}: the city keeps its neighbourhoods, activities, kiosks and background
 * groups in a file under version control and applies it through the admin API; {@code list}
 * prints what the barometer knows in the same format, so a listing can be applied again.
 *
 * <p>YAML: one list per kind, each entry the API's JSON fields with the key ({@code id}, or
 * {@code code} for groups). CSV: a {@code kind} column (group, city, neighbourhood, activity, kiosk), the
 * key column, and the fields as further columns (empty cells are left out).
 */
@Command(name = "reference", mixinStandardHelpOptions = true,
        subcommands = {ReferenceData.Apply.class, ReferenceData.ListAll.class},
        description = "Apply the city's reference data (cities, neighbourhoods, activities, kiosks, groups) from a YAML or CSV "
                + "file through the admin API, and list what the barometer knows.")
final class ReferenceData implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The kinds, in the order they are applied: what others refer to first. */
    enum Kind {
        groups("group", "code"), cities("city", "id"), neighbourhoods("neighbourhood", "id"), activities("activity", "id"),
        kiosks("kiosk", "id");

        final String singular;
        final String key;

        Kind(String singular, String key) {
            this.singular = singular;
            this.key = key;
        }

        static Kind of(String name) {
            for (Kind kind : values()) {
                if (kind.name().equalsIgnoreCase(name) || kind.singular.equalsIgnoreCase(name)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown kind '" + name + "'; use group, city, neighbourhood, activity or kiosk");
        }
    }

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Write every entry of the file through the admin API (groups, cities, then neighbourhoods, activities, "
                    + "kiosks). Entries the API refuses are listed with their reason; the others are stored (exit 3 if any was refused).")
    static final class Apply implements Callable<Integer> {
        @Mixin
        AdminApi api;

        @Option(names = {"-f", "--file"}, required = true, description = "the city's reference data, .yaml/.yml or .csv")
        Path file;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Map<Kind, List<ObjectNode>> entries = read(file);
            int stored = 0;
            List<String> refused = new ArrayList<>();
            for (Kind kind : Kind.values()) {
                for (ObjectNode entry : entries.getOrDefault(kind, List.of())) {
                    String key = entry.path(kind.key).asText("");
                    if (key.isBlank()) {
                        refused.add(kind.singular + " without '" + kind.key + "': " + entry);
                        continue;
                    }
                    ObjectNode body = entry.deepCopy();
                    body.remove(kind.key);
                    HttpResponse<String> answer = api.send("PUT", "/v1/" + kind.name() + "/"
                            + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20"), body.toString());
                    if (answer.statusCode() == 401 || answer.statusCode() == 403) {
                        throw new ExitCode.Refused("the ingest API refused the admin token (" + answer.statusCode()
                                + "); pass the city's admin token with --admin-token or BAROMETER_ADMIN_TOKEN");
                    }
                    if (answer.statusCode() / 100 == 2) {
                        stored++;
                    } else if (answer.statusCode() / 100 == 4) {
                        refused.add(kind.singular + " " + key + ": " + reason(answer.body()));
                    } else {
                        throw new IllegalStateException("the ingest API answered " + answer.statusCode() + " for "
                                + kind.singular + " " + key + ": " + reason(answer.body()));
                    }
                }
            }
            var out = spec.commandLine().getOut();
            out.printf("%d entries stored, %d refused%n", stored, refused.size());
            refused.forEach(r -> out.println("  refused " + r));
            out.flush();
            return refused.isEmpty() ? ExitCode.OK : ExitCode.REFUSED;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Print the reference data the barometer knows, as YAML that 'reference apply' takes.")
    static final class ListAll implements Callable<Integer> {
        @Mixin
        AdminApi api;

        @Option(names = "--kind", description = "only this kind: group, neighbourhood, activity or kiosk")
        String kind;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> listing = new LinkedHashMap<>();
            for (Kind k : kind == null ? List.of(Kind.values()) : List.of(Kind.of(kind))) {
                HttpResponse<String> answer = api.send("GET", "/v1/" + k.name(), null);
                if (answer.statusCode() / 100 == 4) {
                    throw new ExitCode.Refused("the ingest API refused to list " + k.name() + " (" + answer.statusCode()
                            + "): " + reason(answer.body()));
                }
                if (answer.statusCode() / 100 != 2) {
                    throw new IllegalStateException("the ingest API answered " + answer.statusCode() + ": " + reason(answer.body()));
                }
                List<Object> items = new ArrayList<>();
                for (JsonNode item : JSON.readTree(answer.body())) {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    JSON.convertValue(item, Map.class).forEach((name, value) -> {
                        if (value != null) {
                            fields.put(String.valueOf(name), value);
                        }
                    });
                    items.add(fields);
                }
                listing.put(k.name(), items);
            }
            DumperOptions style = new DumperOptions();
            style.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
            style.setIndicatorIndent(2);
            style.setIndentWithIndicator(true);
            spec.commandLine().getOut().print(new Yaml(style).dump(listing));
            spec.commandLine().getOut().flush();
            return ExitCode.OK;
        }
    }

    /** The file's entries by kind. */
    static Map<Kind, List<ObjectNode>> read(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase();
        Map<Kind, List<ObjectNode>> entries = new LinkedHashMap<>();
        if (name.endsWith(".csv")) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (CSVRecord row : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                        .setIgnoreEmptyLines(true).setTrim(true).get().parse(reader)) {
                    Kind kind = Kind.of(row.get("kind"));
                    ObjectNode entry = JSON.createObjectNode();
                    row.toMap().forEach((column, value) -> {
                        if (!column.equals("kind") && value != null && !value.isBlank()) {
                            entry.put(column, value);
                        }
                    });
                    entries.computeIfAbsent(kind, k -> new ArrayList<>()).add(entry);
                }
            }
            return entries;
        }
        if (!name.endsWith(".yaml") && !name.endsWith(".yml")) {
            throw new IllegalArgumentException("--file " + file + ": give a .yaml, .yml or .csv file");
        }
        Object document;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            document = new Yaml(new LoaderOptions()).load(reader);
        }
        if (!(document instanceof Map<?, ?> kinds)) {
            throw new IllegalArgumentException(file + " must hold lists named groups, cities, neighbourhoods, activities and kiosks");
        }
        for (var list : kinds.entrySet()) {
            Kind kind = Kind.of(String.valueOf(list.getKey()));
            if (!(list.getValue() instanceof List<?> items)) {
                throw new IllegalArgumentException(file + ": '" + list.getKey() + "' must be a list of entries");
            }
            for (Object item : items) {
                entries.computeIfAbsent(kind, k -> new ArrayList<>()).add(JSON.valueToTree(plain(item)));
            }
        }
        return entries;
    }

    /** YAML's timestamps back to ISO-8601 text, as the API reads them. */
    private static Object plain(Object value) {
        if (value instanceof Date date) {
            return date.toInstant().toString();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), plain(v)));
            return copy;
        }
        return value;
    }

    private static String reason(String body) {
        try {
            JsonNode problem = JSON.readTree(body);
            String detail = (problem.path("title").asText("") + " " + problem.path("detail").asText("")).strip();
            return problem.has("errors") ? detail + " " + problem.get("errors") : detail;
        } catch (IOException e) {
            return body;
        }
    }
}
