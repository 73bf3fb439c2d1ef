package org.cohesionbarometer.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventStudyAndPlaceboTest {
    private static final List<String> PERIODS = List.of("p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7");

    @Test
    void eventStudyFindsTheEffectAfterTheStartAndNoneBefore() {
        Panel panel = SyntheticPanelsTest.simulate(new SplittableRandom(3), 4.0, 0);
        EventStudy.Result result = EventStudy.estimate(panel, PERIODS, "p4");

        assertThat(result.coefficients()).hasSize(7);
        assertThat(result.coefficients().stream().filter(c -> c.relativePeriod() >= 0))
                .allSatisfy(c -> assertThat(c.lower95()).isLessThan(4.0 + 3).isGreaterThan(0.0 - 3));
        double meanAfter = result.coefficients().stream().filter(c -> c.relativePeriod() >= 0)
                .mapToDouble(EventStudy.Coefficient::effect).average().orElseThrow();
        assertThat(meanAfter).isBetween(2.5, 5.5);
    }

    @Test
    void thePreTrendWarningFiresWhenTreatedUnitsWereAlreadyDriftingAndRarelyOtherwise() {
        SplittableRandom random = new SplittableRandom(5);
        int warnedWithTrend = 0;
        int warnedWithout = 0;
        for (int s = 0; s < 100; s++) {
            warnedWithTrend += EventStudy.estimate(SyntheticPanelsTest.simulate(random, 2.0, 2.0), PERIODS, "p4")
                    .parallelTrendsDoubtful() ? 1 : 0;
            warnedWithout += EventStudy.estimate(SyntheticPanelsTest.simulate(random, 2.0, 0.0), PERIODS, "p4")
                    .parallelTrendsDoubtful() ? 1 : 0;
        }
        assertThat(warnedWithTrend).as("treated units drifting 2 per period before the start").isGreaterThanOrEqualTo(90);
        assertThat(warnedWithout).as("false alarms at a 5% test").isBetween(0, 12);
    }

    @Test
    void aRealEffectRanksAtTheTailOfThePlaceboDistributionAndNoEffectDoesNot() {
        Placebo.Result real = Placebo.permuteUnits(SyntheticPanelsTest.simulate(new SplittableRandom(9), 6.0, 0), 199, 1);
        Placebo.Result none = Placebo.permuteUnits(SyntheticPanelsTest.simulate(new SplittableRandom(10), 0.0, 0), 199, 1);

        assertThat(real.pValue()).isLessThan(0.05);
        assertThat(none.pValue()).isGreaterThan(0.05);
        assertThat(real.placebos()).hasSize(199);
    }
}
