package org.cohesionbarometer.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** One neighbourhood without controls: a level change and a slope change at the start. */
class InterruptedTimeSeriesTest {

    @Test
    void aNoiselessSeriesGivesBackItsJumpAndBend() {
        double[] y = new double[12];
        for (int t = 0; t < 12; t++) {
            y[t] = 40 + 0.5 * t + (t >= 6 ? 8 + 1.0 * (t - 6) : 0);
        }
        InterruptedTimeSeries.Result result = InterruptedTimeSeries.estimate(y, 6);
        assertThat(result.levelChange().effect()).isCloseTo(8, within(1e-9));
        assertThat(result.slopeChange().effect()).isCloseTo(1, within(1e-9));
        assertThat(result.preSlope()).isCloseTo(0.5, within(1e-9));
        assertThat(result.warning()).contains("without control neighbourhoods");
    }

    @Test
    void theIntervalCoversTheTrueLevelChangeAtAboutTheNominalRateWithAutocorrelatedNoise() {
        SplittableRandom random = new SplittableRandom(2002);
        int simulations = 400;
        int covered = 0;
        double mean = 0;
        for (int s = 0; s < simulations; s++) {
            double[] y = new double[52];
            double noise = 0;
            for (int t = 0; t < 52; t++) {
                noise = 0.3 * noise + random.nextGaussian() * 2;
                y[t] = 50 + 0.1 * t + (t >= 26 ? 4 : 0) + noise;
            }
            InterruptedTimeSeries.Result result = InterruptedTimeSeries.estimate(y, 26);
            covered += result.levelChange().covers(4) ? 1 : 0;
            mean += result.levelChange().effect() / simulations;
        }
        assertThat(mean).as("unbiased").isCloseTo(4, within(0.3));
        // 95% nominal; with 400 simulations the binomial 99% band is about ±2.8 points
        assertThat((double) covered / simulations).isBetween(0.91, 0.985);
    }

    @Test
    void tooFewPeriodsBeforeTheStartIsRefusedWithTheCounts() {
        assertThatThrownBy(() -> InterruptedTimeSeries.estimate(new double[] {1, 2, 3, 4, 5}, 2))
                .hasMessageContaining("at least 3 periods before").hasMessageContaining("2 before and 3 after");
    }
}
