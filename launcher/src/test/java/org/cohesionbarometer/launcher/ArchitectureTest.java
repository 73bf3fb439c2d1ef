package org.cohesionbarometer.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cohesionbarometer.schemas.Topics;
import org.junit.jupiter.api.Test;

/** The README's module list and docs/architecture.md say what the build and the code say. */
class ArchitectureTest {
    private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

    private static Set<String> modulesOfTheBuild() throws IOException {
        Set<String> modules = new TreeSet<>();
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(REPO.resolve("pom.xml")));
        while (m.find()) {
            modules.add(m.group(1));
        }
        return modules;
    }

    private static Set<String> modulesNamedIn(String text) {
        Set<String> named = new TreeSet<>();
        Matcher m = Pattern.compile("(?<![\\w/.-])([a-z][a-z-]*)/(?![\\w.])").matcher(text);
        while (m.find()) {
            named.add(m.group(1));
        }
        return named;
    }

    @Test
    void theReadmesModuleListIsTheBuildsModules() throws IOException {
        String readme = Files.readString(REPO.resolve("README.md"));
        String list = readme.substring(readme.indexOf("Modules, in the order data flows"));
        list = list.substring(0, list.indexOf("\n\n"));

        Set<String> listed = new TreeSet<>();
        Matcher m = Pattern.compile("`([a-z-]+)/`").matcher(list);
        while (m.find()) {
            listed.add(m.group(1));
        }

        assertThat(listed).isEqualTo(modulesOfTheBuild());
    }

    @Test
    void theArchitectureDiagramNamesEveryModuleAndEveryTopic() throws IOException, IllegalAccessException {
        String doc = Files.readString(REPO.resolve("docs/architecture.md"));
        String diagram = doc.substring(doc.indexOf("```\n") + 4);
        diagram = diagram.substring(0, diagram.indexOf("```"));

        assertThat(modulesNamedIn(diagram)).containsAll(modulesOfTheBuild());
        assertThat(modulesOfTheBuild()).containsAll(modulesNamedIn(diagram));
        List<String> topics = new ArrayList<>();
        for (Field field : Topics.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                topics.add((String) field.get(null));
            }
        }
        assertThat(topics).hasSizeGreaterThan(10);
        for (String topic : topics) {
            assertThat(diagram).as(topic).contains(topic);
        }
    }

    /** Kafka Streams' internals are used in one package, which the "Upgrading Kafka" checklist covers. */
    @Test
    void kafkaInternalsAreUsedOnlyByTheStreamsStagesStateMachinery() throws IOException {
        List<String> users = new ArrayList<>();
        try (Stream<Path> files = Files.walk(REPO)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java") && !p.toString().contains("/target/")
                    && !p.toString().contains("/src/test/")).toList()) {
                if (Pattern.compile("^import org\\.apache\\.kafka\\.streams\\.[a-z.]*internals\\.", Pattern.MULTILINE)
                        .matcher(Files.readString(file)).find()) {
                    users.add(REPO.relativize(file).toString());
                }
            }
        }

        assertThat(users).allMatch(path -> path.startsWith("streams/src/main/java/org/cohesionbarometer/streams/state/"));
        assertThat(Files.readString(REPO.resolve("docs/architecture.md"))).contains("## Upgrading Kafka")
                .contains("kafkaStreamsWritesLiveStateBeforeEveryCommit");
    }
}
