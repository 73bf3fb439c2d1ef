package org.cohesionbarometer.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Panels with a known effect: 30 neighbourhoods (12 treated), 8 periods (the activity starts in
 * period 4), unit and period effects and serially correlated noise (AR(1), ρ = 0.5). Over repeated
 * simulations the 95% interval must cover the true effect at about the nominal rate.
 */
class SyntheticPanelsTest {
    private static final int SIMULATIONS = 400;

    static Panel simulate(SplittableRandom random, double effect, double preTrend) {
        List<Panel.Observation> observations = new ArrayList<>();
        double[] periodEffect = new double[8];
        for (int t = 0; t < 8; t++) {
            periodEffect[t] = random.nextGaussian() * 2;
        }
        for (int u = 0; u < 30; u++) {
            boolean treated = u < 12;
            double level = 50 + random.nextGaussian() * 5;
            double noise = 0;
            for (int t = 0; t < 8; t++) {
                noise = 0.5 * noise + random.nextGaussian() * 2;
                boolean post = t >= 4;
                double y = level + periodEffect[t] + noise + (treated && post ? effect : 0) + (treated ? preTrend * t : 0);
                observations.add(new Panel.Observation("n" + u, "p" + t, treated, post, y));
            }
        }
        return new Panel(observations);
    }

    @ParameterizedTest(name = "true effect {0}")
    @ValueSource(doubles = {0.0, 3.0})
    void theClusteredIntervalCoversTheTrueEffectAtAboutTheNominalRate(double effect) {
        SplittableRandom random = new SplittableRandom(20260314L + (long) effect);
        int covered = 0;
        double sum = 0;
        for (int s = 0; s < SIMULATIONS; s++) {
            DifferenceInDifferences.Estimate estimate = DifferenceInDifferences.estimate(simulate(random, effect, 0)).pooled();
            covered += estimate.covers(effect) ? 1 : 0;
            sum += estimate.effect();
        }
        double coverage = (double) covered / SIMULATIONS;
        // 95% nominal; with 400 simulations the binomial 99% band is about ±2.8 points.
        assertThat(coverage).as("coverage").isBetween(0.91, 0.985);
        assertThat(sum / SIMULATIONS).as("unbiased").isBetween(effect - 0.3, effect + 0.3);
    }

    @Test
    void withoutAnEffectTheTestRejectsAboutOneTimeInTwenty() {
        SplittableRandom random = new SplittableRandom(7);
        int rejections = 0;
        for (int s = 0; s < SIMULATIONS; s++) {
            rejections += DifferenceInDifferences.estimate(simulate(random, 0, 0)).pooled().pValue() < 0.05 ? 1 : 0;
        }
        assertThat((double) rejections / SIMULATIONS).isBetween(0.015, 0.09);
    }

    @Test
    void aPreTrendBiasesTheEstimateWhichIsWhyParallelTrendsMustBeChecked() {
        SplittableRandom random = new SplittableRandom(11);
        double sum = 0;
        for (int s = 0; s < 100; s++) {
            sum += DifferenceInDifferences.estimate(simulate(random, 0, 1.0)).pooled().effect();
        }
        // Treated units drift by 1 per period: the post mean is 4 periods further along than the pre mean.
        assertThat(sum / 100).isBetween(3.5, 4.5);
    }

    @Test
    void tooFewUnitsAreRefusedWithAnExplanation() {
        List<Panel.Observation> tiny = List.of(
                new Panel.Observation("a", "1", true, false, 1), new Panel.Observation("a", "2", true, true, 2),
                new Panel.Observation("b", "1", false, false, 1), new Panel.Observation("b", "2", false, true, 1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DifferenceInDifferences.estimate(new Panel(tiny)))
                .hasMessageContaining("at least one treated and two control units");
    }

    /** The barometer's usual case: one neighbourhood with the activity, eight without. */
    @Test
    void withOneTreatedUnitTheIntervalFromTheControlsSpreadCoversAtAboutTheNominalRate() {
        SplittableRandom random = new SplittableRandom(2011);
        int covered = 0;
        for (int s = 0; s < SIMULATIONS; s++) {
            List<Panel.Observation> observations = new ArrayList<>();
            for (int u = 0; u < 9; u++) {
                double level = 50 + random.nextGaussian() * 5;
                double noise = 0;
                for (int t = 0; t < 8; t++) {
                    noise = 0.5 * noise + random.nextGaussian() * 2;
                    observations.add(new Panel.Observation("n" + u, "p" + t, u == 0, t >= 4,
                            level + noise + (u == 0 && t >= 4 ? 3.0 : 0)));
                }
            }
            DifferenceInDifferences.Estimate estimate = DifferenceInDifferences.estimate(new Panel(observations)).pooled();
            assertThat(estimate.standardErrorKind()).startsWith("one treated unit");
            covered += estimate.covers(3.0) ? 1 : 0;
        }
        assertThat((double) covered / SIMULATIONS).isBetween(0.91, 0.985);
    }
}
