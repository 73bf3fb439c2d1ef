package org.cohesionbarometer.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    private static final List<String> PERIODS = List.of("p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7");

    private static String report(double effect, double preTrend) {
        return report(effect, preTrend, true);
    }

    private static String report(double effect, double preTrend, boolean barometer) {
        Panel panel = SyntheticPanelsTest.simulate(new SplittableRandom(21), effect, preTrend);
        HtmlReport.Context context = new HtmlReport.Context("Did cross-group share change in old-town from p4 on?",
                "old-town", "cross-group share", "share of contacts", "p4", barometer, barometer ? "old-town, weekly" : "panel.csv",
                "");
        return HtmlReport.differenceInDifferences(context, EvaluateCommand.series(panel, PERIODS),
                DifferenceInDifferences.estimate(panel), EventStudy.estimate(panel, PERIODS, "p4"),
                Placebo.permuteUnits(panel, 99, 3), Placebo.shiftStart(panel, PERIODS, "p4"));
    }

    @Test
    void theReportStandsAloneWithItsThreeChartsAndThePlainLanguageEstimate() {
        String html = report(4.0, 0);

        assertThat(html.split("<svg ", -1)).hasSize(4);
        assertThat(html.split("class=\"legend\"", -1)).as("a legend in each chart").hasSize(4);
        assertThat(html).doesNotContain("<script", "src=\"http", "href=\"http", "@import");
        assertThat(html).contains("cross-group share rose by", "95% interval", "clustered by unit", "not a survey");
        assertThat(html).contains("<title>Did cross-group share change in old-town from p4 on?</title>");
        assertThat(html).doesNotContain("Caution");
    }

    @Test
    void theReportWarnsWhenTrendsWereNotParallelBeforeTheStart() {
        assertThat(report(0, 3.0)).contains("Caution", "not moving in parallel");
    }

    @Test
    void aVisiblePreTrendIsDiscussedWithTheTestsResultAndThePlaceboInTime() {
        String html = report(0, 3.0);
        String headline = html.substring(html.indexOf("id=\"headline\""), html.indexOf("</p>", html.indexOf("id=\"headline\"")));

        assertThat(headline).as("the headline itself says the estimate may be the drift").contains("drifting apart");
        assertThat(html).containsPattern("Pre-trend test: <b>F\\(\\d+, \\d+\\) = [0-9.]+, p [<=] [0-9.]+</b>");
        assertThat(html).contains("id=\"placebo-time\"", "pretended start", "real start p4");
    }

    @Test
    void outsideDataGetContextOfTheirOwnNotTheBarometersPrivacyBoilerplate() {
        String html = report(4.0, 0, false);

        assertThat(html).doesNotContain("not a survey", "withheld").contains("panel.csv, outside the barometer");
    }
}
