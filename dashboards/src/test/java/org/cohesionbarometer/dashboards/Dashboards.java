package org.cohesionbarometer.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The provisioned dashboards and datasources as files, and their panel queries with Grafana's macros expanded. */
final class Dashboards {
    static final Path ROOT = Path.of(System.getProperty("user.dir"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern VARIABLE = Pattern.compile("\\$(?!__)([A-Za-z_][A-Za-z0-9_]*)|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::[a-z]+)?}");

    /** @param datasource the uid of the datasource it runs on: the role it runs as */
    record Query(String dashboard, String panel, String format, String sql, String datasource) {
    }

    /** The uid of the datasource a panel, target or variable names (a target's own wins over its panel's). */
    private static String datasourceOf(JsonNode node, JsonNode fallback) {
        JsonNode uid = node.path("datasource").path("uid");
        return uid.isTextual() ? uid.asText() : fallback.path("datasource").path("uid").asText("");
    }

    static List<Path> dashboardFiles() {
        try (Stream<Path> files = Files.list(ROOT.resolve("json"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static List<String> provisionedDatasourceUids() {
        try (Stream<Path> files = Files.list(ROOT.resolve("provisioning/datasources"))) {
            List<String> uids = new ArrayList<>();
            for (Path file : files.toList()) {
                YAML.readTree(file.toFile()).path("datasources").forEach(ds -> uids.add(ds.path("uid").asText()));
            }
            return uids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every datasource uid a dashboard refers to (panels, targets, variables). */
    static List<String> referencedDatasourceUids(JsonNode dashboard) {
        List<String> uids = new ArrayList<>();
        dashboard.findParents("datasource").forEach(parent -> {
            JsonNode ds = parent.get("datasource");
            if (ds.isObject() && ds.has("uid")) {
                uids.add(ds.get("uid").asText());
            }
        });
        return uids;
    }

    static List<String> definedVariables(JsonNode dashboard) {
        List<String> names = new ArrayList<>();
        dashboard.path("templating").path("list").forEach(v -> names.add(v.path("name").asText()));
        return names;
    }

    static List<String> usedVariables(JsonNode dashboard) {
        List<String> used = new ArrayList<>();
        for (Query q : queries(dashboard)) {
            Matcher m = VARIABLE.matcher(q.sql());
            while (m.find()) {
                used.add(m.group(1) != null ? m.group(1) : m.group(2));
            }
        }
        return used;
    }

    static List<Query> queries(JsonNode dashboard) {
        List<Query> queries = new ArrayList<>();
        String title = dashboard.path("title").asText();
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(target -> {
            if (target.has("rawSql")) {
                queries.add(new Query(title, panel.path("title").asText(), target.path("format").asText("time_series"),
                        target.get("rawSql").asText(), datasourceOf(target, panel)));
            }
        }));
        dashboard.path("annotations").path("list").forEach(annotation -> {
            if (annotation.path("target").has("rawSql")) {
                queries.add(new Query(title, "annotation " + annotation.path("name").asText(), "table",
                        annotation.path("target").path("rawSql").asText(), datasourceOf(annotation, annotation)));
            }
        });
        dashboard.path("templating").path("list").forEach(variable -> {
            if ("query".equals(variable.path("type").asText())) {
                JsonNode query = variable.path("query");
                queries.add(new Query(title, "variable " + variable.path("name").asText(), "table",
                        query.isObject() ? query.path("rawSql").asText() : query.asText(), datasourceOf(variable, variable)));
            }
        });
        return queries;
    }

    /** The provisioned alert rules' files. */
    static List<Path> alertRuleFiles() {
        try (Stream<Path> files = Files.list(ROOT.resolve("provisioning/alerting"))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every alert rule group, as Grafana's provisioning reads it. */
    static List<JsonNode> alertGroups() {
        List<JsonNode> groups = new ArrayList<>();
        for (Path file : alertRuleFiles()) {
            yaml(file).path("groups").forEach(groups::add);
        }
        return groups;
    }

    /** Every alert rule, as Grafana's provisioning reads it. */
    static List<JsonNode> alertRules() {
        List<JsonNode> rules = new ArrayList<>();
        alertGroups().forEach(group -> group.path("rules").forEach(rules::add));
        return rules;
    }

    static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The database query of each alert rule (the steps that are not server-side expressions). */
    static List<Query> alertQueries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode rule : alertRules()) {
            rule.path("data").forEach(step -> {
                if (step.path("model").has("rawSql")) {
                    queries.add(new Query("alert rules", rule.path("title").asText(), "table",
                            step.path("model").path("rawSql").asText(), step.path("datasourceUid").asText()));
                }
            });
        }
        return queries;
    }

    /**
     * Values for a dashboard's variables as Grafana interpolates them into SQL: a multi-value or
     * "All"-capable variable becomes a list of quoted literals, a single-value one its raw text.
     */
    static Map<String, String> interpolated(JsonNode dashboard, Map<String, List<String>> selected) {
        Map<String, String> values = new java.util.HashMap<>();
        dashboard.path("templating").path("list").forEach(variable -> {
            String name = variable.path("name").asText();
            List<String> chosen = selected.get(name);
            if (chosen == null) {
                throw new IllegalArgumentException("no test value for variable $" + name);
            }
            boolean list = variable.path("multi").asBoolean() || variable.path("includeAll").asBoolean();
            values.put(name, list
                    ? String.join(",", chosen.stream().map(v -> "'" + v.replace("'", "''") + "'").toList())
                    : chosen.get(0));
        });
        return values;
    }

    /**
     * Expands Grafana's PostgreSQL macros the way Grafana does, with a fixed time range and
     * interval, and template variables with the given values (already quoted for SQL).
     */
    static String expand(String sql, String from, String to, String interval, Map<String, String> variables) {
        String expanded = sql
                .replaceAll("\\$__timeGroupAlias\\(([^,]+),\\s*\\$__interval\\)",
                        "date_bin('" + interval + "'::interval, $1, TIMESTAMPTZ '2000-01-01') AS \"time\"")
                .replaceAll("\\$__timeGroup\\(([^,]+),\\s*\\$__interval\\)",
                        "date_bin('" + interval + "'::interval, $1, TIMESTAMPTZ '2000-01-01')")
                .replaceAll("\\$__timeFilter\\(([^)]+)\\)",
                        "$1 BETWEEN '" + from + "'::timestamptz AND '" + to + "'::timestamptz")
                .replace("$__timeFrom()", "'" + from + "'::timestamptz")
                .replace("$__timeTo()", "'" + to + "'::timestamptz")
                .replace("$__interval", "'" + interval + "'");
        Matcher m = VARIABLE.matcher(expanded);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = variables.get(name);
            if (value == null) {
                throw new IllegalArgumentException("no test value for variable $" + name);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private Dashboards() {
    }
}
