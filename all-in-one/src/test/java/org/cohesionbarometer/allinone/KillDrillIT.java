package org.cohesionbarometer.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.cohesionbarometer.allinone.drill.KillDrill;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill drill, short: ingest, streams and sink as processes under steady load, two of them killed
 * with kill -9 and restarted; every check-in the API accepted is counted once in the database. The
 * full drill (100 cycles, about 20 minutes) is `barometer drill`; its figures are in docs/operations.md.
 */
class KillDrillIT {

    @Test
    void servicesKilledWithKillNineLoseAndDoubleNothing(@TempDir Path work) throws Exception {
        KillDrill.Result result = KillDrill.run(work, 2, Duration.ofMinutes(5), 20, new Random(18), System.out::println);

        System.out.println(result);
        assertThat(result.recoveries()).hasSize(2);
        assertThat(result.accepted()).isPositive();
        assertThat(result.losses()).as(result.toString()).isZero();
        assertThat(result.duplicates()).as(result.toString()).isZero();
    }
}
