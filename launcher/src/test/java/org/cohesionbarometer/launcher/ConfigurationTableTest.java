package org.cohesionbarometer.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The settings: what the code reads, the flags, and the README's configuration table are one list. */
class ConfigurationTableTest {
    private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
    private static final Pattern READ = Pattern.compile("(?:env\\.[a-z]+\\(\"|\\$\\{env:)(BAROMETER_[A-Z0-9_]+)");

    @Test
    void everyVariableTheCodeReadsIsASetting() throws IOException {
        Set<String> read = new TreeSet<>();
        try (Stream<Path> files = Files.walk(REPO)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/")
                    && !p.toString().contains("/target/")).toList()) {
                Matcher m = READ.matcher(Files.readString(file));
                while (m.find()) {
                    read.add(m.group(1));
                }
            }
        }

        assertThat(read).hasSizeGreaterThan(30);
        assertThat(Settings.ALL.stream().map(Setting::variable).toList()).containsAll(read);
    }

    @Test
    void theVariablesEveryServiceReadsAlikeAreReadInOnePlace() throws IOException {
        Set<String> readers = new TreeSet<>();
        try (Stream<Path> files = Files.walk(REPO)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/")
                    && !p.toString().contains("/target/")).toList()) {
                Matcher m = READ.matcher(Files.readString(file));
                while (m.find()) {
                    if (List.of("BAROMETER_KAFKA_BOOTSTRAP", "BAROMETER_SCHEMA_REGISTRY_URL", "BAROMETER_SCHEMA_AUTO_REGISTER",
                            "BAROMETER_SUPPRESSION_K").contains(m.group(1))) {
                        readers.add(file.getFileName().toString());
                    }
                }
            }
        }

        assertThat(readers).containsExactlyInAnyOrder("KafkaEndpoints.java", "SmallCells.java");
    }

    @Test
    void theReadmesConfigurationTableNamesEverySettingsFlagAndVariableAndNothingElse() throws IOException {
        String readme = Files.readString(REPO.resolve("README.md"));
        String table = readme.substring(readme.indexOf("| flag | variable |"));
        table = table.substring(0, table.indexOf("\n\n"));
        List<String> rows = table.lines().skip(2).toList();

        assertThat(rows).hasSameSizeAs(Settings.ALL);
        for (Setting setting : Settings.ALL) {
            assertThat(rows).as(setting.variable())
                    .anyMatch(row -> row.startsWith("| `" + setting.flag() + "` | `" + setting.variable() + "` |"));
        }
    }

    @Test
    void aFlagDefaultsToItsVariableAndTheFlagWins() {
        Map<String, String> env = Map.of("BAROMETER_INGEST_URL", "http://from-the-variable:8080",
                "BAROMETER_TOKEN", "cbt_from.variable");
        CommandLine withVariable = Barometer.commandLine(false, env);
        withVariable.parseArgs("import-csv", "--file", "sheet.csv");
        CommandLine withFlag = Barometer.commandLine(false, env);
        withFlag.parseArgs("import-csv", "--file", "sheet.csv", "--ingest-url", "http://from-the-flag:8080");
        CommandLine withNeither = Barometer.commandLine(false, Map.of());
        withNeither.parseArgs("import-csv", "--file", "sheet.csv");

        assertThat(option(withVariable, "import-csv", "--ingest-url")).isEqualTo("http://from-the-variable:8080");
        assertThat(option(withVariable, "import-csv", "--token")).isEqualTo("cbt_from.variable");
        assertThat(option(withFlag, "import-csv", "--ingest-url")).isEqualTo("http://from-the-flag:8080");
        assertThat(option(withNeither, "import-csv", "--ingest-url")).isEqualTo("http://localhost:8080");
    }

    @Test
    void aServicesFlagOverridesItsVariableInWhatTheServiceReads() {
        CommandLine barometer = Barometer.commandLine(false, Map.of());
        barometer.parseArgs("streams", "--grace", "PT2H");
        var spec = barometer.getSubcommands().get("streams").getCommandSpec();

        var env = ServiceSettings.environment(spec, Map.of("BAROMETER_GRACE", "PT48H", "BAROMETER_KIOSK_DEBOUNCE", "PT9S"));

        assertThat(env.duration("BAROMETER_GRACE", null)).hasHours(2);
        assertThat(env.duration("BAROMETER_KIOSK_DEBOUNCE", null)).hasSeconds(9);
    }

    @Test
    void kafkasOwnNameForTheBootstrapServersIsTheSameSetting() {
        CommandLine barometer = Barometer.commandLine(false, Map.of());
        barometer.parseArgs("streams", "--bootstrap-server", "kafka-1:9092");
        var spec = barometer.getSubcommands().get("streams").getCommandSpec();

        assertThat(ServiceSettings.environment(spec, Map.of()).string("BAROMETER_KAFKA_BOOTSTRAP", null)).isEqualTo("kafka-1:9092");
    }

    @Test
    void everyServiceSettingIsAFlagOfItsService() {
        CommandLine barometer = Barometer.commandLine(false, Map.of());
        for (String service : List.of("run", "ingest", "streams", "sink")) {
            for (Setting setting : Settings.of(service)) {
                assertThat(barometer.getSubcommands().get(service).getCommandSpec().findOption(setting.flag()))
                        .as(service + " " + setting.flag()).isNotNull();
            }
        }
    }

    private static Object option(CommandLine barometer, String command, String name) {
        return barometer.getSubcommands().get(command).getCommandSpec().findOption(name).getValue();
    }
}
