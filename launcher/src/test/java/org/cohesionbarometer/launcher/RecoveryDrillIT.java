package org.cohesionbarometer.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cohesionbarometer.infra.FreePort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole embedded run killed with kill -9 under load (its PostgreSQL, a child process, survives
 * it, as in a real crash) and started again on the same data directory: fresh indicator rows appear.
 * The time from the restart to the first fresh row is printed; docs/operations.md records it.
 */
class RecoveryDrillIT {

    @Test
    void theEmbeddedRunKilledWithKillNineWritesFreshIndicatorsAgainAfterItsRestart(@TempDir Path data) throws Exception {
        int[] ports = FreePort.pick(5);
        String[] run = {"run", "--data-dir", data.toString(), "--kafka-port", String.valueOf(ports[0]), "--ingest-port",
                String.valueOf(ports[1]), "--registry-port", String.valueOf(ports[2]), "--embedded-pg-port", String.valueOf(ports[3]),
                "--metrics-port", String.valueOf(ports[4]), "--simulator-rate", "20", "--partitions", "3"};
        String jdbc = "jdbc:postgresql://localhost:" + ports[3] + "/barometer";
        Process first = drained(Distribution.start(Map.of(), run));
        Process second = null;
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> rowsWrittenSince(jdbc, Instant.EPOCH) > 0);
            Thread.sleep(5_000); // under load: signals in flight in every stage

            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Instant restarted = Instant.now();
            second = drained(Distribution.start(Map.of(), run));
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                    .until(() -> rowsWrittenSince(jdbc, restarted) > 0);
            Duration recovery = Duration.between(restarted, Instant.now());

            System.out.printf("RecoveryDrillIT: the embedded run killed with kill -9 wrote fresh indicator rows %.1f s after "
                    + "its restart%n", recovery.toMillis() / 1000.0);
            assertThat(second.isAlive()).isTrue();
        } finally {
            first.destroyForcibly();
            if (second != null) {
                new ProcessBuilder("kill", "-TERM", String.valueOf(second.pid())).start().waitFor();
                if (!second.waitFor(90, TimeUnit.SECONDS)) {
                    second.destroyForcibly();
                }
            }
        }
    }

    /** Neighbourhood rows the sink wrote after {@code since} (none while the database is not there yet). */
    private static long rowsWrittenSince(String jdbc, Instant since) {
        try (var db = DriverManager.getConnection(jdbc, "postgres", "");
             PreparedStatement query = db.prepareStatement("SELECT count(*) FROM neighbourhood_hourly WHERE updated_at > ?")) {
            query.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException notYet) {
            return 0;
        }
    }

    private static Process drained(Process process) {
        for (InputStream stream : new InputStream[] {process.getInputStream(), process.getErrorStream()}) {
            Thread drain = new Thread(() -> {
                try {
                    stream.transferTo(OutputStream.nullOutputStream());
                } catch (java.io.IOException ignored) {
                    // the process ended
                }
            });
            drain.setDaemon(true);
            drain.start();
        }
        return process;
    }
}
