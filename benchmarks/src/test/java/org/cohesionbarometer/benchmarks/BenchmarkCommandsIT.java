package org.cohesionbarometer.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.cohesionbarometer.infra.PgliteTimescale;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Each end-to-end benchmark runs from its one command and reports what docs/benchmarks.md records,
 * here at a small scale (the figures themselves are measured by hand, never asserted on).
 */
class BenchmarkCommandsIT {

    private static String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = new CommandLine(new Benchmarks()).execute(args);
        } finally {
            System.setOut(original);
        }
        String report = captured.toString(StandardCharsets.UTF_8);
        System.out.print(report);
        assertThat(exit).as(report).isZero();
        return report;
    }

    @Test
    void e2eReportsEachStepsRateFreshnessAndFootprintAndLosesNothing() {
        String report = run("e2e", "--steps", "0,200", "--step-seconds", "4", "--clients", "2", "--neighbourhoods", "3",
                "--participants", "500", "--keep-going", "--warm-up-seconds", "2", "--warm-up-rate", "200");

        assertThat(report).contains("warm-up: 2 s at 200 signals/s").contains("| 0 | 0 |").containsPattern("\\| 200 \\| \\d+ \\| \\d+\\.\\d\\d s \\| \\d+\\.\\d\\d s")
                .contains("(none lost, none twice)").contains("RESULT e2e:").containsPattern("\\d+ MiB \\| \\d+ MiB");
    }

    @Test
    void recoveryReportsTheSecondsUntilTheApiAnswersAndNothingAcceptedIsLost() {
        String report = run("recovery", "--rate", "300", "--before-seconds", "6", "--after-seconds", "30", "--clients", "2");

        assertThat(report).containsPattern("kill -9 to the API answering again: \\d+\\.\\d s")
                .contains("(none lost, none twice)").contains("RESULT recovery:");
    }

    @Test
    void scaleReportsStateHeapRestoreAndDatabaseSize() {
        String report = run("scale", "--participants", "3000", "--days", "2");

        assertThat(report).containsPattern("streams state: on disk [\\d,]+ MiB").containsPattern("restore from the changelogs .* restoring [1-9][\\d,]* records")
                .containsPattern("PostgreSQL .* [1-9][\\d,]* rows of neighbourhood_hourly").contains("RESULT scale:");
        if (PgliteTimescale.unavailableBecause().isEmpty()) {
            assertThat(report).as("the month on TimescaleDB, raw and every chunk compressed")
                    .containsPattern("neighbourhood_hourly +[1-9]\\d* chunks: +[\\d,]+ kB raw \\( *[\\d,]+ kB live rows only\\) -> +[\\d,]+ kB compressed")
                    .containsPattern("the sink's hypertables +[\\d,]+ kB raw \\( *[\\d,]+ kB live rows only\\) -> +[\\d,]+ kB compressed")
                    .contains("compressed with the continuous aggregates refreshed: IDENTICAL");
        } else {
            assertThat(report).contains("TimescaleDB: skipped, ");
        }
    }
}
