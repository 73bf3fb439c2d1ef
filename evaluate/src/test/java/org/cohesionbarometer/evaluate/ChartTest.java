package org.cohesionbarometer.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's axes: rounded ticks, whole counts, labelled zero lines and a legend in every chart (issue #19). */
class ChartTest {

    @Test
    void ticksAreRoundNumbersThatCoverTheData() {
        // the series axis read 151 / 121 / 91.4
        assertThat(Chart.niceTicks(91.4, 151, 6)).containsExactly(80, 100, 120, 140, 160);
        assertThat(Chart.niceTicks(0.2393, 0.3487, 6)).containsExactly(0.2, 0.25, 0.3, 0.35);
        assertThat(Chart.niceTicks(-0.03, 0.125, 6)).containsExactly(-0.05, 0, 0.05, 0.1, 0.15);
        assertThat(Chart.tickLabel(0.15, 0.05)).isEqualTo("0.15");
        assertThat(Chart.tickLabel(120, 20)).isEqualTo("120");
    }

    @Test
    void aHistogramCountsInWholeNumbers() {
        double[] values = new double[135];
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.sin(i) * 2;
        }
        String svg = Chart.histogram("placebo", "effect", values, 2.5, "real estimate 2.5");

        // the count axis read 0.00 / 33.8 / 67.5
        List<String> labels = tickLabels(svg);
        assertThat(labels).isNotEmpty().allMatch(l -> l.matches("−?\\d+"), "whole numbers");
        assertThat(svg).contains("class=\"legend\"", "real estimate 2.5", "number of placebo estimates");
    }

    @Test
    void anEffectChartLabelsItsZeroLineAndNamesItsColours() {
        String svg = Chart.intervals("event study", "periods since the start", "effect on y", List.of(
                new Chart.Interval("-2", 0.5, -1, 2, Double.NaN, Double.NaN, Chart.GREY),
                new Chart.Interval("-1", 0, 0, 0, Double.NaN, Double.NaN, Chart.GREY),
                new Chart.Interval("+0", 7.4, 6, 8.8, Double.NaN, Double.NaN, Chart.BLUE)),
                List.of(new String[] {"before the start", Chart.GREY}, new String[] {"after", Chart.BLUE}), false,
                "0 = no difference");

        assertThat(svg).contains("0 = no difference", "class=\"zero-label\"", "before the start", "95% interval",
                "periods since the start", "effect on y");
        assertThat(tickLabels(svg)).contains("0").doesNotContain("7.50");
    }

    private static List<String> tickLabels(String svg) {
        return Arrays.stream(svg.split("class=\"tick\">")).skip(1).map(s -> s.substring(0, s.indexOf('<'))).toList();
    }
}
