package org.cohesionbarometer.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cohesionbarometer.infra.FreePort;

/**
 * The all-in-one barometer ({@code EmbeddedBarometer}: broker, registry, PostgreSQL, ingest,
 * streams, sink) in a JVM of its own, started from this JVM's class path, so that the load
 * clients never share its heap and it can be killed as a crash would kill it. Its PostgreSQL
 * runs as its own processes (pg_ctl detaches them from the JVM); the stack is both.
 */
final class StackProcess implements AutoCloseable {
    static final String ADMIN_TOKEN = "bench-admin-token";
    /** Not an environment variable of the stack: where the benchmark asks the stack's JVM to write a JFR recording. */
    static final String FLIGHT_RECORDING = "bench.flight-recording";

    private final Path dataDir;
    private final String heap;
    private final int[] ports; // kafka, ingest, registry, postgres
    private final Map<String, String> extraEnvironment;
    private Process jvm;

    private StackProcess(Path dataDir, String heap, Map<String, String> extraEnvironment) {
        this.dataDir = dataDir;
        this.heap = heap;
        this.ports = FreePort.pick(4);
        this.extraEnvironment = extraEnvironment;
    }

    /** Starts the stack on a fresh data directory and waits until its ingest API answers. */
    static StackProcess start(Path dataDir, String heap, Map<String, String> extraEnvironment) throws IOException, InterruptedException {
        StackProcess stack = new StackProcess(dataDir, heap, extraEnvironment);
        stack.launch(Duration.ofMinutes(3));
        return stack;
    }

    /** Starts the stack again on the same data directory and ports; returns the seconds until its ingest API answered. */
    double restart() throws IOException, InterruptedException {
        long started = System.nanoTime();
        launch(Duration.ofMinutes(3));
        return (System.nanoTime() - started) / 1e9;
    }

    private void launch(Duration patience) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseG1GC"));
        String jfr = extraEnvironment.get(FLIGHT_RECORDING);
        if (jfr != null) {
            command.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.cohesionbarometer.allinone.EmbeddedBarometer"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("stack.log").toFile()));
        Files.createDirectories(dataDir);
        Map<String, String> env = builder.environment();
        env.put("BAROMETER_DATA_DIR", dataDir.toString());
        env.put("BAROMETER_KAFKA_PORT", String.valueOf(ports[0]));
        env.put("BAROMETER_INGEST_PORT", String.valueOf(ports[1]));
        env.put("BAROMETER_REGISTRY_PORT", String.valueOf(ports[2]));
        env.put("BAROMETER_EMBEDDED_PG_PORT", String.valueOf(ports[3]));
        env.put("BAROMETER_SIMULATOR_RATE", "0");
        env.put("BAROMETER_ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("BAROMETER_SUMMARY_EVERY", "PT1H");
        env.put("BAROMETER_METRICS_PORT", "0"); // beside a running barometer (9400), or another bench
        extraEnvironment.forEach((name, value) -> {
            if (!name.equals(FLIGHT_RECORDING)) {
                env.put(name, value);
            }
        });
        jvm = builder.start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            if (!jvm.isAlive()) {
                throw new IOException("the stack exited with " + jvm.exitValue() + " while starting; see " + dataDir.resolve("stack.log"));
            }
            try {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(ingestUrl() + "openapi.yaml"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IOException("the stack's ingest API did not answer within " + patience + "; see " + dataDir.resolve("stack.log"));
    }

    String ingestUrl() {
        return "http://127.0.0.1:" + ports[1] + "/";
    }

    Connection database() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + ports[3] + "/barometer", "postgres", "");
    }

    Path dataDir() {
        return dataDir;
    }

    long jvmPid() {
        return jvm.pid();
    }

    /** The PostgreSQL server's process (its postmaster), from the pid file in its data directory. */
    Optional<ProcessHandle> postmaster() {
        try {
            Path pidFile = dataDir.resolve("postgres/postmaster.pid");
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Every process of the stack now: its JVM, the postmaster and the postmaster's children. */
    List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>();
        if (jvm != null && jvm.isAlive()) {
            all.add(jvm.toHandle());
        }
        postmaster().filter(ProcessHandle::isAlive).ifPresent(pm -> {
            all.add(pm);
            pm.children().forEach(all::add);
        });
        return all;
    }

    /** kill -9 of the whole stack, as a crash of its machine: the JVM and its PostgreSQL. */
    void killNine() throws InterruptedException {
        Optional<ProcessHandle> postmaster = postmaster();
        jvm.destroyForcibly();
        postmaster.ifPresent(ProcessHandle::destroyForcibly);
        jvm.waitFor();
        postmaster.ifPresent(pm -> pm.onExit().join());
    }

    /** Stops the stack cleanly (SIGTERM: its shutdown hook stops every service), or kills it after a minute. */
    @Override
    public void close() throws InterruptedException {
        if (jvm == null || !jvm.isAlive()) {
            postmaster().ifPresent(ProcessHandle::destroy);
            return;
        }
        jvm.destroy();
        if (!jvm.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            killNine();
        }
    }
}
