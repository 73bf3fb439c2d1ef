package org.cohesionbarometer.schemas;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads typed settings from environment variables, each with a documented default. Each
 * service's configuration record is built from one of these; a bad value fails at start-up
 * naming the variable.
 */
public final class Environment {
    private final Map<String, String> variables;

    public Environment(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    public static Environment system() {
        return new Environment(System.getenv());
    }

    public String string(String name, String fallback) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    public int integer(String name, int fallback) {
        return parse(name, fallback, Integer::parseInt, "a whole number");
    }

    public boolean flag(String name, boolean fallback) {
        return parse(name, fallback, value -> switch (value.toLowerCase()) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException(value);
        }, "true or false");
    }

    /** An ISO-8601 duration, e.g. PT48H or P7D. */
    public Duration duration(String name, Duration fallback) {
        return parse(name, fallback, Duration::parse, "an ISO-8601 duration such as PT48H or P7D");
    }

    private <T> T parse(String name, T fallback, Function<String, T> parser, String expected) {
        String value = variables.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return parser.apply(value.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + "='" + value + "' is not " + expected, e);
        }
    }
}
