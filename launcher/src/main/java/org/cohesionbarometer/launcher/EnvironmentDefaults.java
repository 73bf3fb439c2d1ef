package org.cohesionbarometer.launcher;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A flag's default is its environment variable, for every subcommand, so that flags and variables
 * are one setting and the flag wins. Commands keep their own defaults for settings nobody set.
 */
final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
    private final Map<String, String> environment;

    EnvironmentDefaults(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        if (!(argument instanceof OptionSpec option) || option.command() == null) {
            return null;
        }
        String command = subcommandOf(option.command());
        return Settings.ofFlag(command, option.longestName())
                .map(setting -> environment.get(setting.variable()))
                .filter(value -> !value.isBlank())
                .orElse(null);
    }

    /** The barometer's subcommand a (possibly nested) command belongs to: {@code tokens} for {@code tokens issue}. */
    static String subcommandOf(CommandSpec command) {
        CommandSpec current = command;
        while (current.parent() != null && current.parent().parent() != null) {
            current = current.parent();
        }
        return current.name();
    }
}
