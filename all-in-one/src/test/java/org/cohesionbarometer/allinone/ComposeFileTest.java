package org.cohesionbarometer.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cohesionbarometer.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot be started here (no Docker engine), so it is checked every other way:
 * Compose itself validates it with the example .env once its empty values are filled in, and
 * refuses the example as it is; each barometer service sets only variables
 * its code reads, and the ones it needs; endpoints name services that exist; every topic the code
 * names is created with the right policy; Grafana's mounts point at files in this repository.
 */
class ComposeFileTest {
    private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
    private static final Pattern READ_VARIABLE = Pattern.compile("env\\.[a-z]+\\(\"(BAROMETER_[A-Z0-9_]+)\"");
    private static final Map<String, List<String>> MODULES_OF_SERVICE = Map.of(
            "ingest", List.of("schemas", "ingest"),
            "streams", List.of("schemas", "streams"),
            "sink", List.of("schemas", "sink"));

    @Test
    void composeValidatesTheFileWithTheExampleEnvironmentOnceItsEmptyValuesAreFilledIn() throws Exception {
        List<String> compose = composeCommand().orElse(null);
        assumeTrue(compose != null, "neither `docker compose` nor `docker-compose` is installed (.ci/run installs docker-compose)");
        Path filled = Files.createTempFile("filled", ".env");
        try {
            Files.writeString(filled, ProductionStackFilesTest.exampleEnvironmentFilledIn());
            Result result = run(compose, "--env-file", filled.toString(), "config", "--quiet");
            assertThat(result.exitCode()).as(result.output()).isZero();
        } finally {
            Files.delete(filled);
        }
    }

    @Test
    void composeRefusesTheExampleEnvironmentAsItIs() throws Exception {
        List<String> compose = composeCommand().orElse(null);
        assumeTrue(compose != null, "neither `docker compose` nor `docker-compose` is installed (.ci/run installs docker-compose)");
        Result result = run(compose, "--env-file", ".env.example", "config", "--quiet");
        assertThat(result.exitCode()).as("a copy of .env.example left unedited must not start").isNotZero();
        assertThat(result.output()).contains("in .env");
    }

    @Test
    void withoutTheSecretsComposeRefusesAndSaysWhichIsMissing() throws Exception {
        List<String> compose = composeCommand().orElse(null);
        assumeTrue(compose != null, "neither `docker compose` nor `docker-compose` is installed (.ci/run installs docker-compose)");
        Path empty = Files.createTempFile("empty", ".env");
        try {
            Result result = run(compose, "--env-file", empty.toString(), "config", "--quiet");
            assertThat(result.exitCode()).isNotZero();
            assertThat(result.output()).containsAnyOf("POSTGRES_PASSWORD", "BAROMETER_DASHBOARD_DB_PASSWORD",
                    "BAROMETER_ADMIN_TOKEN", "GF_SECURITY_ADMIN_PASSWORD");
        } finally {
            Files.delete(empty);
        }
    }

    @Test
    void everyBarometerServiceSetsOnlyVariablesItsCodeReadsAndTheOnesItNeeds() throws IOException {
        Map<String, Object> services = services();
        for (var entry : MODULES_OF_SERVICE.entrySet()) {
            Set<String> read = new TreeSet<>();
            for (String module : entry.getValue()) {
                read.addAll(variablesReadBy(module));
            }
            read.add("BAROMETER_JAVA_OPTS"); // read by bin/barometer, checked below
            Map<String, Object> environment = environment(services, entry.getKey());
            assertThat(environment.keySet()).as(entry.getKey() + " sets only what its code reads (" + read + ")")
                    .isSubsetOf(read);
            assertThat(environment).as(entry.getKey()).containsKeys("BAROMETER_KAFKA_BOOTSTRAP", "BAROMETER_SCHEMA_REGISTRY_URL");
        }
        assertThat(environment(services, "sink")).containsKeys("BAROMETER_JDBC_URL", "BAROMETER_JDBC_USER", "BAROMETER_JDBC_PASSWORD");
        assertThat(environment(services, "ingest")).containsKey("BAROMETER_ADMIN_TOKEN");
        assertThat(Files.readString(REPO.resolve("launcher/src/main/dist/bin/barometer"))).contains("${BAROMETER_JAVA_OPTS");
    }

    @Test
    void eachServiceRunsTheDistributionsSubcommandOfItsNameAndReachesServicesThatExist() throws IOException {
        Map<String, Object> services = services();
        String dockerfile = Files.readString(REPO.resolve("Dockerfile"));
        assertThat(dockerfile).as("the image is the distribution the build makes")
                .contains("cp -r launcher/target/barometer /app").contains("ENTRYPOINT [\"/app/bin/barometer\"]");
        String subcommands = Files.readString(REPO.resolve("launcher/src/main/java/org/cohesionbarometer/launcher/Services.java"));
        for (String service : MODULES_OF_SERVICE.keySet()) {
            @SuppressWarnings("unchecked")
            List<String> command = (List<String>) service(services, service).get("command");
            assertThat(command).as(service + " runs 'barometer " + service + "'").containsExactly(service);
            assertThat(subcommands).as("barometer has a subcommand " + service).contains("@Command(name = \"" + service + "\"");
            Map<String, Object> environment = environment(services, service);
            assertThat(String.valueOf(environment.get("BAROMETER_KAFKA_BOOTSTRAP")))
                    .isEqualTo(String.valueOf(environment(services, "kafka").get("KAFKA_ADVERTISED_LISTENERS"))
                            .replaceFirst("^[A-Z_]+://", ""));
            assertThat(String.valueOf(environment.get("BAROMETER_SCHEMA_REGISTRY_URL")))
                    .isEqualTo(String.valueOf(environment(services, "schema-registry").get("SCHEMA_REGISTRY_LISTENERS"))
                            .replace("0.0.0.0", "schema-registry"));
        }
        Map<String, Object> database = environment(services, "timescaledb");
        assertThat(environment(services, "sink").get("BAROMETER_JDBC_URL"))
                .isEqualTo("jdbc:postgresql://timescaledb:5432/" + database.get("POSTGRES_DB"));
        assertThat(ProductionStackFilesTest.rolesTheInitScriptMakes())
                .as("the sink logs in as a role the database is given").contains(String.valueOf(environment(services, "sink").get("BAROMETER_JDBC_USER")));
        assertThat(String.valueOf(environment(services, "sink").get("BAROMETER_LAG_GROUPS")))
                .contains(String.valueOf(environment(services, "streams").get("BAROMETER_STREAMS_APPLICATION_ID")))
                .contains(String.valueOf(environment(services, "sink").get("BAROMETER_SINK_GROUP_ID")));
    }

    @Test
    void everyTopicTheCodeNamesIsCreatedAndReferenceDataIsCompacted() throws IOException {
        @SuppressWarnings("unchecked")
        String script = String.join("\n", (List<String>) service(services(), "topics").get("command"));
        List<String> topics = new ArrayList<>(List.of(Topics.SIGNALS));
        topics.addAll(List.of(Topics.INDICATORS));
        topics.addAll(List.of(Topics.REFERENCE));
        topics.add(Topics.CITY_INDICATORS);
        topics.add(Topics.DEAD_LETTERS);
        assertThat(script).contains(topics);
        String compacted = script.substring(script.indexOf("for topic in barometer.reference"), script.indexOf("cleanup.policy=compact"));
        assertThat(compacted).contains(Topics.REFERENCE);
        assertThat(script.substring(0, script.indexOf("for topic in barometer.reference"))).doesNotContain("barometer.reference");
    }

    @Test
    void grafanasMountsPointAtProvisioningFilesThatExistAndTheDashboardsAreWhereTheProviderLooks() throws IOException {
        Map<String, Object> grafana = service(services(), "grafana");
        Map<String, String> mounts = new java.util.HashMap<>();
        @SuppressWarnings("unchecked")
        List<String> volumes = (List<String>) grafana.get("volumes");
        for (String volume : volumes) {
            String[] parts = volume.split(":");
            if (parts[0].startsWith("./")) {
                assertThat(REPO.resolve(parts[0])).as(volume).exists();
                mounts.put(parts[1], parts[0]);
            }
        }
        assertThat(mounts).containsKeys("/etc/grafana/provisioning/datasources", "/etc/grafana/provisioning/dashboards",
                "/etc/grafana/provisioning/alerting");
        String providerPath = readYaml(REPO.resolve("dashboards/provisioning/dashboards/barometer.yaml"))
                .toString().replaceAll(".*path=([^,}]+).*", "$1");
        assertThat(mounts).as("the dashboard provider reads " + providerPath).containsKey(providerPath);
        try (Stream<Path> dashboards = Files.list(REPO.resolve(mounts.get(providerPath)))) {
            assertThat(dashboards.filter(p -> p.toString().endsWith(".json"))).hasSize(4);
        }
        Map<String, Object> environment = environment(services(), "grafana");
        String home = String.valueOf(environment.get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"));
        assertThat(REPO.resolve(mounts.get(providerPath)).resolve(home.substring(providerPath.length() + 1))).exists();
        List<Path> provisioning = new ArrayList<>(List.of(REPO.resolve("dashboards/provisioning/datasources/barometer.yaml")));
        try (Stream<Path> alerting = Files.list(REPO.resolve("dashboards/provisioning/alerting"))) {
            provisioning.addAll(alerting.toList());
        }
        for (Path file : provisioning) {
            // $NAME or ${NAME}; not the alert templates' {{ $labels.x }} or $values
            String values = Files.readString(file).replaceAll("(?m)^\\s*#.*$", ""); // not the comments
            Matcher placeholder = Pattern.compile("\\$\\{?([A-Z][A-Z0-9_]+)").matcher(values);
            while (placeholder.find()) {
                assertThat(environment).as(file.getFileName() + " needs " + placeholder.group(1)).containsKey(placeholder.group(1));
            }
        }
        assertThat(environment.get("BAROMETER_DASHBOARD_DB_USER")).isEqualTo("barometer_dashboard");
        assertThat(ProductionStackFilesTest.rolesTheInitScriptMakes()).contains("barometer_dashboard");
    }

    // ---------------------------------------------------------------- helpers

    static Optional<List<String>> composeCommand() {
        for (List<String> candidate : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
            try {
                List<String> version = new ArrayList<>(candidate);
                version.add("version");
                if (run(version).exitCode() == 0) {
                    return Optional.of(candidate);
                }
            } catch (IOException | InterruptedException e) {
                // not installed
            }
        }
        return Optional.empty();
    }

    record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, String... arguments) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(arguments));
        Process process = new ProcessBuilder(all).directory(REPO.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, output + "\n(timed out)");
        }
        return new Result(process.exitValue(), output);
    }

    private static Set<String> variablesReadBy(String module) throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(REPO.resolve(module + "/src/main/java"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = READ_VARIABLE.matcher(Files.readString(file));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> services() throws IOException {
        return (Map<String, Object>) readYaml(REPO.resolve("docker-compose.yml")).get("services");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(Map<String, Object> services, String name) {
        Map<String, Object> service = (Map<String, Object>) services.get(name);
        assertThat(service).as("service " + name).isNotNull();
        return service;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Map<String, Object> services, String name) {
        Map<String, Object> environment = (Map<String, Object>) service(services, name).get("environment");
        return environment == null ? Map.of() : environment;
    }

    private static Map<String, Object> readYaml(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml().load(reader);
        }
    }
}
