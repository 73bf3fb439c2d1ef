package org.cohesionbarometer.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The jars the image carries: the distribution's, less those deploy/image/not-in-image.txt lists,
 * chosen the way the Dockerfile's build chooses them (by artifactId). The services find every
 * class they use among them, every subcommand the image offers starts, and no broker, PostgreSQL
 * binaries or benchmark tooling is left. The list with sizes is written to target/image-contents.txt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageContentsIT {
    private static final Path DISTRIBUTION = Distribution.MODULE.resolve("target/barometer/lib");
    private static final Path IMAGE = Distribution.MODULE.resolve("target/image/lib");
    private static final List<String> SERVICE_MODULES = List.of("schemas", "ingest", "streams", "sink", "evaluate");

    @BeforeAll
    void chooseTheImagesJarsAsTheDockerfileDoes() throws IOException {
        List<String> left = new ArrayList<>();
        for (String line : Files.readAllLines(Distribution.REPO.resolve("deploy/image/not-in-image.txt"))) {
            if (!line.startsWith("#") && line.contains(":")) {
                left.add(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        if (Files.exists(IMAGE)) {
            try (Stream<Path> old = Files.list(IMAGE)) {
                for (Path jar : old.toList()) {
                    Files.delete(jar);
                }
            }
        }
        Files.createDirectories(IMAGE);
        StringBuilder contents = new StringBuilder("# The image's /app/lib (bytes, jar)\n");
        long total = 0;
        for (Path jar : jars(DISTRIBUTION)) {
            String name = jar.getFileName().toString();
            if (left.stream().noneMatch(artifact -> name.matches(java.util.regex.Pattern.quote(artifact) + "-\\d.*\\.jar"))) {
                Files.copy(jar, IMAGE.resolve(name));
                contents.append(Files.size(jar)).append('\t').append(name).append('\n');
                total += Files.size(jar);
            }
        }
        contents.append(total).append("\ttotal\n");
        Files.writeString(Distribution.MODULE.resolve("target/image-contents.txt"), contents);
    }

    @Test
    void theServicesFindEveryClassTheyUseAmongTheImagesJars() throws IOException {
        // Every jar by name: only the java launcher expands a classpath's "*", not jdeps run in-process.
        String classpath = String.join(java.io.File.pathSeparator, jars(IMAGE).stream().map(Path::toString).toList());
        List<String> arguments = new ArrayList<>(List.of("--multi-release", "17", "--missing-deps", "-cp", classpath));
        for (Path jar : jars(IMAGE)) {
            String name = jar.getFileName().toString();
            if (SERVICE_MODULES.stream().anyMatch(module -> name.startsWith("barometer-" + module + "-"))) {
                arguments.add(jar.toString());
            }
        }
        assertThat(arguments).hasSize(5 + SERVICE_MODULES.size());
        StringWriter out = new StringWriter();
        int exit = ToolProvider.findFirst("jdeps").orElseThrow()
                .run(new PrintWriter(out), new PrintWriter(out), arguments.toArray(String[]::new));
        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString()).as("classes the services use that the image lacks").doesNotContain("not found");
    }

    @Test
    void everySubcommandTheImageOffersStartsOnTheImagesJars() throws Exception {
        for (String command : List.of("", "ingest", "streams", "sink", "tokens", "import-csv", "export", "evaluate",
                "reference", "simulate")) {
            List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command));
            args.add("--help");
            String output = barometer(args);
            assertThat(output).as("barometer " + String.join(" ", args)).contains("Usage:")
                    .doesNotContain("NoClassDefFoundError", "ClassNotFoundException");
        }
        String sink = barometer(List.of("sink", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/barometer",
                "--bootstrap-server", "127.0.0.1:1"));
        assertThat(sink).as("the sink loads its driver and migrations, then finds no database")
                .contains("nothing answers").doesNotContain("NoClassDefFoundError", "ClassNotFoundException");
    }

    @Test
    void theImageCarriesNoBrokerNoPostgresBinariesAndNoBenchmarkTooling() throws IOException {
        long total = 0;
        for (Path jar : jars(IMAGE)) {
            total += Files.size(jar);
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                assertThat(zip.stream().map(entry -> entry.getName()))
                        .as(jar.getFileName() + " carries no broker, PostgreSQL binaries or perf tools")
                        .noneMatch(entry -> entry.equals("kafka/server/KafkaRaftServer.class") || entry.endsWith(".txz")
                                || entry.startsWith("scala/") || entry.startsWith("org/apache/kafka/tools/ProducerPerformance"));
            }
        }
        assertThat(jars(IMAGE)).extracting(jar -> jar.getFileName().toString())
                .anyMatch(name -> name.startsWith("rocksdbjni-")).anyMatch(name -> name.startsWith("postgresql-"))
                .anyMatch(name -> name.startsWith("javalin-")).anyMatch(name -> name.startsWith("barometer-launcher"));
        assertThat(total).as("bytes of jars in the image (the distribution: 212 MB)").isLessThan(120L * 1024 * 1024);
    }

    private static String barometer(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", IMAGE + "/*", "org.cohesionbarometer.launcher.Barometer"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("BAROMETER_"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("barometer " + args + " ends").isTrue();
        return output;
    }

    private static List<Path> jars(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }
}
