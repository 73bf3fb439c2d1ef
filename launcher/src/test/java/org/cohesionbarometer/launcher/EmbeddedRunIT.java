package org.cohesionbarometer.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.cohesionbarometer.infra.FreePort;
import org.cohesionbarometer.schemas.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code barometer run} as a user runs it: it listens where it says (the Kafka port it was given,
 * the ingest API on loopback only), neighbourhood rows reach PostgreSQL, and Ctrl-C stops it in
 * order (no stage sees the database go) and ends with the line saying where the data were kept, exit 130.
 */
class EmbeddedRunIT {

    @Test
    void theEmbeddedRunListensWhereItSaysFillsPostgresAndCtrlCKeepsItsLastLine(@TempDir Path data) throws Exception {
        int[] ports = FreePort.pick(5);
        Process run = Distribution.start(Map.of("BAROMETER_KAFKA_PORT", String.valueOf(ports[0])), "run",
                "--data-dir", data.toString(), "--ingest-port", String.valueOf(ports[1]), "--registry-port",
                String.valueOf(ports[2]), "--embedded-pg-port", String.valueOf(ports[3]), "--metrics-port",
                String.valueOf(ports[4]), "--simulator-rate", "10",
                "--summary-every", "PT2S", "--partitions", "1");
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        List<String> logLines = new CopyOnWriteArrayList<>();
        Thread drainErrors = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(run.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line = err.readLine(); line != null; line = err.readLine()) {
                    logLines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        drainErrors.start();
        try {
            await().atMost(Duration.ofMinutes(2)).until(() -> lines.stream().anyMatch(l -> l.startsWith("Press Ctrl-C")) || !run.isAlive());
            assertThat(run.isAlive()).as(String.join("\n", lines)).isTrue();

            String bootstrap = "localhost:" + ports[0];
            assertThat(lines).as("the banner names the Kafka port it was given").anyMatch(l -> l.contains("Kafka bootstrap  " + bootstrap));
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("barometer.signals.check-ins");
            }
            assertThat(lines).anyMatch(l -> l.contains("Ingest API       http://127.0.0.1:" + ports[1]));
            assertThat(listens("127.0.0.1", ports[1])).isTrue();
            Optional<InetAddress> otherInterface = nonLoopbackAddress();
            otherInterface.ifPresent(address -> assertThat(listens(address.getHostAddress(), ports[1]))
                    .as("the ingest API listens on loopback only, not on " + address).isFalse());

            String jdbc = "jdbc:postgresql://localhost:" + ports[3] + "/barometer";
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).until(() -> neighbourhoodRows(jdbc) > 0);

            int loggedBeforeStop = logLines.size();
            new ProcessBuilder("kill", "-INT", String.valueOf(run.pid())).start().waitFor();
            assertThat(run.waitFor(90, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
            drainErrors.join(10_000);
            assertThat(logLines.subList(loggedBeforeStop, logLines.size()))
                    .as("stopping in order: PostgreSQL goes after the stages writing to it, so none of them sees it go")
                    .noneMatch(l -> l.contains("Database unreachable"));
            assertThat(run.exitValue()).isEqualTo(ExitCode.INTERRUPTED);
            assertThat(lines.get(lines.size() - 1)).isEqualTo("Stopped. Data kept in " + data + "; run again to resume.");
        } finally {
            if (run.isAlive()) {
                run.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static long neighbourhoodRows(String jdbc) {
        try (var db = DriverManager.getConnection(jdbc, "postgres", "");
             ResultSet rs = db.createStatement().executeQuery("SELECT count(*) FROM neighbourhood_hourly")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException notYet) {
            return 0;
        }
    }

    private static boolean listens(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws java.net.SocketException {
        return NetworkInterface.networkInterfaces().filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                .findFirst();
    }
}
