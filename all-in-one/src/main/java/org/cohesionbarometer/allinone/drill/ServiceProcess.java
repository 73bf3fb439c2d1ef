package org.cohesionbarometer.allinone.drill;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of the barometer's services (ingest, streams, sink) as a process of its own, started from this
 * JVM's class path with its settings as environment variables, as a supervisor (systemd, compose)
 * starts it; {@link #kill} is kill -9.
 */
final class ServiceProcess {
    private final String name;
    private final String mainClass;
    private final Map<String, String> environment;
    private final Path log;
    private Process process;

    ServiceProcess(String name, String mainClass, Map<String, String> environment, Path log) {
        this.name = name;
        this.mainClass = mainClass;
        this.environment = environment;
        this.log = log;
    }

    String name() {
        return name;
    }

    /** Starts it; returns when the process is started (not when the service is ready). */
    Instant start() throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), mainClass));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(variable -> variable.startsWith("BAROMETER_"));
        builder.environment().putAll(environment);
        Instant started = Instant.now();
        process = builder.start();
        return started;
    }

    /** kill -9: no shutdown hook runs, nothing is flushed or committed. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Stops it cleanly (SIGTERM), as at the end of a drill. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
