package org.cohesionbarometer.operations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Whether a service can do its job now: every named check passes. */
public final class Readiness {
    private final Map<String, Check> checks = new LinkedHashMap<>();

    public Readiness with(String name, Check check) {
        checks.put(name, check);
        return this;
    }

    /** Each failing check's name and problem; empty when the service is ready. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        checks.forEach((name, check) -> {
            Optional<String> problem;
            try {
                problem = check.problem();
            } catch (RuntimeException e) {
                problem = Optional.of(String.valueOf(e.getMessage()));
            }
            problem.ifPresent(p -> problems.add(name + ": " + p));
        });
        return problems;
    }
}
