package org.cohesionbarometer.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code ./barometer ...} command the README shows names subcommands that exist: the
 * checked-in wrapper runs each one's {@code --help}. And every subcommand is in the README.
 */
class ReadmeCommandsIT {
    private static final Pattern COMMAND = Pattern.compile("\\./barometer((?: [a-z][a-z-]*)*)");

    @Test
    void everyCommandTheReadmeShowsAnswersItsHelpThroughTheWrapper() throws Exception {
        Set<String> commands = readmeCommands();
        assertThat(commands).as("the README shows the commands").hasSizeGreaterThan(8);

        for (String command : commands) {
            List<String> args = new ArrayList<>(List.of(command.isBlank() ? new String[0] : command.strip().split(" ")));
            args.add(0, Distribution.REPO.resolve("barometer").toString());
            args.add("--help");
            Process process = new ProcessBuilder(args).directory(Distribution.REPO.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor()).as("./barometer " + command + " --help\n" + output).isZero();
            assertThat(output).startsWith("Usage: barometer" + command.stripTrailing());
        }
    }

    @Test
    void everySubcommandIsInTheReadme() throws Exception {
        Set<String> commands = readmeCommands();
        for (String subcommand : Barometer.commandLine(false, Map.of()).getSubcommands().keySet()) {
            assertThat(commands).as("the README shows ./barometer " + subcommand).anyMatch(c -> c.startsWith(" " + subcommand));
        }
    }

    /** " tokens issue", " evaluate", ...: the words after ./barometer that name (sub)commands. */
    private static Set<String> readmeCommands() throws Exception {
        String readme = Files.readString(Distribution.REPO.resolve("README.md"));
        CommandLine tree = Barometer.commandLine(false, Map.of());
        Set<String> commands = new LinkedHashSet<>();
        Matcher m = COMMAND.matcher(readme);
        while (m.find()) {
            StringBuilder path = new StringBuilder();
            CommandLine current = tree;
            for (String word : m.group(1).strip().split(" ")) {
                if (word.isEmpty() || !current.getSubcommands().containsKey(word)) {
                    break;
                }
                current = current.getSubcommands().get(word);
                path.append(' ').append(word);
            }
            commands.add(path.toString());
        }
        return commands;
    }
}
