package org.cohesionbarometer.launcher;

import java.util.List;
import java.util.Locale;

/**
 * One setting of the barometer: its environment variable and its flag are the same setting (the
 * flag wins), documented once here and in the README's configuration table.
 *
 * @param variable     the environment variable, e.g. {@code BAROMETER_KAFKA_BOOTSTRAP}
 * @param flag         the flag, e.g. {@code --kafka-bootstrap}
 * @param defaultValue the default, as the README shows it
 * @param commands     the subcommands that read it
 * @param meaning      what it sets
 */
public record Setting(String variable, String flag, String defaultValue, List<String> commands, String meaning) {

    /** The usual pairing: {@code BAROMETER_KAFKA_BOOTSTRAP} is {@code --kafka-bootstrap}. */
    static Setting of(String variable, String defaultValue, String commands, String meaning) {
        return new Setting(variable, flagOf(variable), defaultValue, List.of(commands.split(",\\s*")), meaning);
    }

    /** A setting whose flag is named otherwise, because the command had it before the variable. */
    static Setting withFlag(String variable, String flag, String defaultValue, String commands, String meaning) {
        return new Setting(variable, flag, defaultValue, List.of(commands.split(",\\s*")), meaning);
    }

    static String flagOf(String variable) {
        return "--" + variable.substring("BAROMETER_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
    }

    boolean usedBy(String command) {
        return commands.contains(command);
    }
}
