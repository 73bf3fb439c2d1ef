package org.cohesionbarometer.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    private static final List<String> PERIODS = List.of("p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7");

    private static String report(double effect, double preTrend) {
        Panel panel = SyntheticPanelsTest.simulate(new SplittableRandom(21), effect, preTrend);
        HtmlReport.Context context = new HtmlReport.Context("Language café, Old Town", "old-town", "cross-group share",
                "share of contacts", "p4", true, "synthetic", "");
        return HtmlReport.differenceInDifferences(context, EvaluateCommand.series(panel, PERIODS),
                DifferenceInDifferences.estimate(panel), EventStudy.estimate(panel, PERIODS, "p4"),
                Placebo.permuteUnits(panel, 99, 3), Placebo.shiftStart(panel, PERIODS, "p4"));
    }

    @Test
    void theReportStandsAloneWithItsThreeChartsAndThePlainLanguageEstimate() {
        String html = report(4.0, 0);

        assertThat(html.split("<svg ", -1)).hasSize(4);
        assertThat(html).doesNotContain("<script", "src=\"http", "href=\"http", "@import");
        assertThat(html).contains("cross-group share rose by", "95% interval", "clustered by unit", "not a survey");
        assertThat(html).doesNotContain("Caution");
    }

    @Test
    void theReportWarnsWhenTrendsWereNotParallelBeforeTheStart() {
        assertThat(report(0, 3.0)).contains("Caution", "not moving in parallel");
    }
}
