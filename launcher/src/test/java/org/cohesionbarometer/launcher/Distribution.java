package org.cohesionbarometer.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The distribution the build made (target/barometer), run as a user runs it: a process, its exit code as the shell sees it. */
final class Distribution {
    static final Path MODULE = Path.of(System.getProperty("user.dir"));
    static final Path REPO = MODULE.getParent();
    static final Path LAUNCHER = MODULE.resolve("target/barometer/bin/barometer");

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    /** Runs {@code barometer args...} in the repository root with these variables added (and every BAROMETER_* of this JVM removed). */
    static Result run(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        Process process = start(environment, args);
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("barometer " + String.join(" ", args) + " did not finish in 2 minutes");
        }
        return new Result(process.exitValue(), out.join(), err.join());
    }

    static Result run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    static Process start(Map<String, String> environment, String... args) throws IOException {
        if (!Files.isExecutable(LAUNCHER)) {
            throw new AssertionError(LAUNCHER + " is missing: the package phase makes it (run the ITs with ./mvnw verify)");
        }
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(REPO.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("BAROMETER_"));
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static String read(java.io.InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private Distribution() {
    }
}
