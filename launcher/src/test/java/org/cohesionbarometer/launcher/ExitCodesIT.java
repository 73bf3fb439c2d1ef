package org.cohesionbarometer.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cohesionbarometer.infra.InJvmKafka;
import org.cohesionbarometer.ingest.IngestApp;
import org.cohesionbarometer.ingest.IngestSettings;
import org.cohesionbarometer.schemas.Environment;
import org.cohesionbarometer.schemas.ExitCode;
import org.cohesionbarometer.infra.registry.RegisteredSchemas;
import org.cohesionbarometer.infra.registry.SchemaRegistryServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every exit code of the README's table reaches the shell from the built launcher, with one
 * sentence on standard error (the stack trace only with --verbose). A real ingest API on a real
 * broker answers the commands that need one.
 */
class ExitCodesIT {
    private static final String ADMIN = "exit-codes-admin-token";
    private static InJvmKafka kafka;
    private static SchemaRegistryServer registry;
    private static IngestApp ingest;
    private static String ingestUrl;

    @TempDir
    Path dir;

    @BeforeAll
    static void startAnIngestApi(@TempDir Path data) {
        kafka = InJvmKafka.startTemporary();
        kafka.createBarometerTopics(1);
        registry = new SchemaRegistryServer(new RegisteredSchemas(data.resolve("schemas.jsonl"))).start("localhost", 0);
        ingest = new IngestApp(IngestSettings.fromEnvironment(new Environment(Map.of()))
                .withEndpoints(kafka.bootstrapServers(), registry.url(), "127.0.0.1", 0, ADMIN));
        ingestUrl = "http://127.0.0.1:" + ingest.port();
    }

    @AfterAll
    static void stop() {
        ingest.close();
        registry.close();
        kafka.close();
    }

    @Test
    void aTaskDoneExitsZero() throws Exception {
        var result = Distribution.run("evaluate", "--csv", "docs/data/card-krueger-1994-fte.csv", "--unit", "store",
                "--outcome", "fte", "--treated", "state=NJ", "--post", "after", "--permutations", "0");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.OK);
        assertThat(result.out()).contains("2.75 (1.34, HC1)");
    }

    @Test
    void theDemoCitysReferenceFileAppliesAndListsBackTheSame() throws Exception {
        Map<String, String> admin = Map.of("BAROMETER_ADMIN_TOKEN", ADMIN, "BAROMETER_INGEST_URL", ingestUrl);
        var applied = Distribution.run(admin, "reference", "apply", "--file", "docs/riverton-reference.yaml");
        var listed = Distribution.run(admin, "reference", "list", "--kind", "kiosk");
        var cities = Distribution.run(admin, "reference", "list", "--kind", "city");

        assertThat(applied.exitCode()).as(applied.toString()).isEqualTo(ExitCode.OK);
        assertThat(applied.out()).contains("23 entries stored, 0 refused");
        assertThat(listed.exitCode()).as(listed.toString()).isEqualTo(ExitCode.OK);
        assertThat(listed.out()).startsWith("kiosks:").contains("id: old-town-library-kiosk");
        assertThat(cities.out()).as("the city, in the network comparison").startsWith("cities:")
                .contains("id: Riverton", "inNetwork: true");
    }

    @Test
    void aFileThatIsNotThereExitsOneWithOneSentenceAndTheStackTraceOnlyWhenVerbose() throws Exception {
        var result = Distribution.run("import-csv", "--file", "no-such-sheet.csv", "--token", "cbt_x.y");
        var verbose = Distribution.run("import-csv", "--file", "no-such-sheet.csv", "--token", "cbt_x.y", "--verbose");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.FAILURE);
        assertThat(result.err().strip()).as("one line").doesNotContain("\n").contains("no-such-sheet.csv").doesNotContain("\tat ");
        assertThat(verbose.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(verbose.err()).contains("NoSuchFileException").contains("\tat ");
    }

    @Test
    void anUnknownCommandOptionOrSettingExitsTwoAndSaysWhatToFix() throws Exception {
        var command = Distribution.run("evaluat");
        var option = Distribution.run("evaluate", "--activty", "x");
        var setting = Distribution.run(Map.of("BAROMETER_GRACE", "two days"), "streams");

        assertThat(command.exitCode()).as(command.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(command.err()).contains("evaluate");
        assertThat(option.exitCode()).as(option.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(option.err()).contains("--activty").contains("barometer evaluate --help");
        assertThat(setting.exitCode()).as(setting.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(setting.err()).contains("--grace / BAROMETER_GRACE='two days' is not an ISO-8601 duration");
    }

    @Test
    void anEmbeddedRunOnAPortThatIsTakenExitsTwoBeforeStartingAnythingAndNamesTheSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            var result = Distribution.run("run", "--data-dir", dir.resolve("data").toString(),
                    "--kafka-port", String.valueOf(taken.getLocalPort()));

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.USAGE);
            assertThat(result.err()).contains("port " + taken.getLocalPort() + " is in use")
                    .contains("--kafka-port / BAROMETER_KAFKA_PORT");
            assertThat(dir.resolve("data/kafka")).doesNotExist();
        }
    }

    @Test
    void aRequestTheApiRefusesExitsThree() throws Exception {
        var wrongToken = Distribution.run("tokens", "list", "--organiser", "org-1", "--ingest-url", ingestUrl,
                "--admin-token", "not-the-admin");
        Path reference = Files.writeString(dir.resolve("city.csv"),
                "kind,id,name,city\nneighbourhood,north,North,Testville\nneighbourhood,not a code!,South,Testville\n");
        var badEntry = Distribution.run(Map.of("BAROMETER_ADMIN_TOKEN", ADMIN), "reference", "apply", "--file",
                reference.toString(), "--ingest-url", ingestUrl);

        Path sheet = Files.writeString(dir.resolve("sheet.csv"), "eventTime,activityId,participantToken,groupCode,headcount\n"
                + "2026-03-14 18:30,north-cafe,00000000000000000000000000000001,A,1\n");
        var unknownToken = Distribution.run("import-csv", "--file", sheet.toString(), "--ingest-url", ingestUrl,
                "--token", "cbt_000000000000.not-issued", "--quiet");

        assertThat(unknownToken.exitCode()).as(unknownToken.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(unknownToken.err()).contains("--token or BAROMETER_TOKEN");
        assertThat(wrongToken.exitCode()).as(wrongToken.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(wrongToken.err()).contains("401");
        assertThat(badEntry.exitCode()).as(badEntry.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(badEntry.out()).contains("1 entries stored, 1 refused").contains("not a code!");
    }

    @Test
    void anImportWithRefusedRowsExitsThreeAndStoresTheRest() throws Exception {
        Path city = Files.writeString(dir.resolve("city.yaml"), """
                neighbourhoods:
                  - {id: east, name: East, city: Testville}
                activities:
                  - id: east-cafe
                    title: Language café
                    type: LANGUAGE_CAFE
                    neighbourhoodId: east
                    organiserId: org-east
                    startsAt: 2026-01-01T18:00:00Z
                """);
        var applied = Distribution.run(Map.of("BAROMETER_ADMIN_TOKEN", ADMIN, "BAROMETER_INGEST_URL", ingestUrl),
                "reference", "apply", "-f", city.toString());
        var issued = Distribution.run(Map.of("BAROMETER_ADMIN_TOKEN", ADMIN, "BAROMETER_INGEST_URL", ingestUrl),
                "tokens", "issue", "--organiser", "org-east");
        String token = issued.out().lines().filter(l -> l.startsWith("token:")).findFirst().orElseThrow().substring(6).strip();
        String now = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(Instant.now().minus(Duration.ofMinutes(5)).atOffset(ZoneOffset.UTC));
        Path sheet = Files.writeString(dir.resolve("sheet.csv"), "eventTime,activityId,participantToken,groupCode,headcount\n"
                + now + ",east-cafe,00000000000000000000000000000001,A,1\n" + now + ",no-such-activity,00000000000000000000000000000002,B,1\n");
        var imported = Distribution.run(Map.of("BAROMETER_TOKEN", token, "BAROMETER_INGEST_URL", ingestUrl),
                "import-csv", "--file", sheet.toString(), "--quiet");

        assertThat(applied.exitCode()).as(applied.toString()).isEqualTo(ExitCode.OK);
        assertThat(issued.exitCode()).as(issued.toString()).isEqualTo(ExitCode.OK);
        assertThat(imported.exitCode()).as(imported.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(imported.out()).as(Files.readString(dir.resolve("sheet.csv.errors.csv"))).contains("2 rows: 1 stored, 1 refused");
    }

    @Test
    void aServiceThatDoesNotAnswerExitsFourNamingTheFlagAndVariable() throws Exception {
        int closed = closedPort();
        var api = Distribution.run(Map.of("BAROMETER_ADMIN_TOKEN", ADMIN), "reference", "list", "--ingest-url",
                "http://127.0.0.1:" + closed);
        var database = Distribution.run("evaluate", "--activity", "east-cafe", "--jdbc-url",
                "jdbc:postgresql://127.0.0.1:" + closed + "/barometer");

        assertThat(api.exitCode()).as(api.toString()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(api.err()).contains("http://127.0.0.1:" + closed).contains("--ingest-url or BAROMETER_INGEST_URL");
        assertThat(database.exitCode()).as(database.toString()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(database.err()).contains("--jdbc-url or BAROMETER_JDBC_URL");
    }

    @Test
    void theFlagWinsOverItsVariableAndTheVariableOverTheDefault() throws Exception {
        String elsewhere = "http://127.0.0.1:" + closedPort();
        var byVariable = Distribution.run(Map.of("BAROMETER_ADMIN_TOKEN", ADMIN, "BAROMETER_INGEST_URL", elsewhere),
                "reference", "list", "--kind", "neighbourhood");
        var byFlag = Distribution.run(Map.of("BAROMETER_ADMIN_TOKEN", ADMIN, "BAROMETER_INGEST_URL", elsewhere),
                "reference", "list", "--kind", "neighbourhood", "--ingest-url", ingestUrl);

        assertThat(byVariable.exitCode()).as(byVariable.toString()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(byVariable.err()).contains(elsewhere);
        assertThat(byFlag.exitCode()).as(byFlag.toString()).isEqualTo(ExitCode.OK);
        assertThat(byFlag.out()).startsWith("neighbourhoods:");
    }

    @Test
    void ctrlCStopsAServiceCleanlyAndExits130AndSigtermExits143() throws Exception {
        Map<String, String> env = Map.of("BAROMETER_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                "BAROMETER_SCHEMA_REGISTRY_URL", registry.url(), "BAROMETER_ADMIN_TOKEN", ADMIN);
        for (String signal : new String[] {"INT", "TERM"}) {
            int port = closedPort();
            Process service = Distribution.start(env, "ingest", "--ingest-host", "127.0.0.1", "--ingest-port", String.valueOf(port));
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(service.getInputStream()))) {
                String line;
                do {
                    line = lines.readLine();
                } while (line != null && !line.startsWith("The ingest API listens on 127.0.0.1:" + port));
                assertThat(line).as("the ingest service says where it listens").isNotNull();
                new ProcessBuilder("kill", "-" + signal, String.valueOf(service.pid())).start().waitFor();
                assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(service.exitValue()).as("SIG" + signal)
                    .isEqualTo(signal.equals("INT") ? ExitCode.INTERRUPTED : ExitCode.TERMINATED);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
