package org.cohesionbarometer.launcher;

import java.util.HashMap;
import java.util.Map;
import org.cohesionbarometer.schemas.Environment;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The services (run, ingest, streams, sink) read typed settings from an {@link Environment}; here
 * each setting also becomes a flag, and the environment they read is the process's, overridden
 * by the flags given.
 */
final class ServiceSettings {

    /** Adds a flag for each setting of {@code command}, described with its variable and default. */
    static void addFlags(CommandSpec spec, String command) {
        for (Setting setting : Settings.of(command)) {
            if (spec.findOption(setting.flag()) != null) {
                continue;
            }
            String[] names = Settings.ALIASES.containsKey(setting.flag())
                    ? new String[] {setting.flag(), Settings.ALIASES.get(setting.flag())} : new String[] {setting.flag()};
            spec.addOption(OptionSpec.builder(names)
                    .paramLabel(setting.variable().substring("BAROMETER_".length()))
                    .type(String.class)
                    .description(setting.meaning().replaceAll("\\[([^]]+)]\\([^)]+\\)", "$1").replace("`", "'")
                            + " (env " + setting.variable() + "; default " + setting.defaultValue() + ")")
                    .build());
        }
    }

    /** What the service reads: the environment, each variable overridden by its flag when the flag was given. */
    static Environment environment(CommandSpec spec, Map<String, String> processEnvironment) {
        Map<String, String> flags = new HashMap<>();
        for (Setting setting : Settings.of(spec.name())) {
            OptionSpec option = spec.findOption(setting.flag());
            if (option != null && option.getValue() != null) {
                flags.put(setting.variable(), option.getValue().toString());
            }
        }
        return new Environment(Settings.overlay(processEnvironment, flags));
    }

    private ServiceSettings() {
    }
}
