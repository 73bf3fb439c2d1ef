package org.cohesionbarometer.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A fresh clone needs nothing beside it: no source, test, script or document refers to a path
 * above the repository's root (relative escapes like ../team-files, or the absolute folders of the
 * machine it was written on).
 */
class RepositoryStandsAloneTest {
    private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent().toAbsolutePath().normalize();
    /** A relative path with at least one "../", e.g. ../team-files/data/x.csv or ../../docs. */
    private static final Pattern RELATIVE = Pattern.compile("(?<![\\w.])((?:\\.\\./)+)[\\w.-]*");
    /** Path.of("..", ...) and friends, which the pattern above does not see. */
    private static final Pattern SEGMENTS = Pattern.compile("\"\\.\\.\"\\s*,");
    /** Folders of this machine outside the repository. */
    private static final Pattern ABSOLUTE = Pattern.compile("/work/|/home/[a-z]|\\bshared/data\\b");
    /** The Maven wrapper scripts are Apache's, copied unchanged; their "../" walk up to find the project's root. */
    private static final List<String> THIRD_PARTY = List.of("mvnw", "mvnw.cmd");

    @Test
    void noTrackedFileRefersToAPathAboveTheRepositoryRoot() throws IOException, InterruptedException {
        List<String> escapes = new ArrayList<>();
        for (Path file : trackedFiles()) {
            String relative = REPO.relativize(file).toString();
            if (THIRD_PARTY.contains(relative) || relative.equals(selfPath())) {
                continue;
            }
            String text;
            try {
                text = Files.readString(file);
            } catch (MalformedInputException binary) {
                continue;
            }
            Matcher m = RELATIVE.matcher(text);
            while (m.find()) {
                if (escapesFrom(file.getParent(), m.group()) || escapesFrom(moduleOf(file), m.group())) {
                    escapes.add(relative + ": " + m.group());
                }
            }
            if (SEGMENTS.matcher(text).find()) {
                escapes.add(relative + ": a path built from \"..\" segments");
            }
            Matcher absolute = ABSOLUTE.matcher(text);
            while (absolute.find()) {
                escapes.add(relative + ": " + absolute.group());
            }
        }

        assertThat(escapes).as("paths outside the repository").isEmpty();
    }

    @Test
    void theCheckFindsAnEscapeOfTheRootAndNotAPathThatStaysInside() {
        Path evaluateTests = REPO.resolve("evaluate/src/test/java");

        // A folder beside the checkout (how the team's files sit next to a developer's clone); spelled in
        // parts so that this test itself does not name such a path.
        String beside = ".." + "/" + "shared";
        assertThat(escapesFrom(REPO.resolve("evaluate"), beside + "/data/card-krueger-1994-fte.csv")).isFalse();
        assertThat(escapesFrom(REPO.resolve("evaluate"), "../" + beside + "/data/card-krueger-1994-fte.csv")).isTrue();
        assertThat(escapesFrom(REPO, beside + "/data")).isTrue();
        assertThat(escapesFrom(evaluateTests, "../../../docs/data")).isFalse();
        assertThat(ABSOLUTE.matcher("--csv " + beside + "/data/card-krueger-1994-fte.csv").find()).isTrue();
    }

    private static boolean escapesFrom(Path base, String relativePath) {
        return !base.resolve(relativePath).normalize().startsWith(REPO);
    }

    /** The module a file belongs to (where its tests run), or the root. */
    private static Path moduleOf(Path file) {
        for (Path dir = file.getParent(); dir != null && dir.startsWith(REPO); dir = dir.getParent()) {
            if (Files.exists(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        return REPO;
    }

    private static String selfPath() {
        return "launcher/src/test/java/org/cohesionbarometer/launcher/RepositoryStandsAloneTest.java";
    }

    /** git ls-files where there is a repository; otherwise every file but build output. */
    private static List<Path> trackedFiles() throws IOException, InterruptedException {
        if (Files.exists(REPO.resolve(".git"))) {
            Process git = new ProcessBuilder("git", "ls-files", "-z").directory(REPO.toFile()).start();
            String out = new String(git.getInputStream().readAllBytes());
            if (git.waitFor() == 0 && !out.isEmpty()) {
                return Stream.of(out.split("\0")).map(REPO::resolve).filter(Files::isRegularFile).toList();
            }
        }
        try (Stream<Path> files = Files.walk(REPO)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !REPO.relativize(p).toString().matches("(.*/)?(target|node_modules|\\.git|\\.barometer)/.*"))
                    .toList();
        }
    }
}
