package org.cohesionbarometer.evaluate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * A self-contained HTML report (inline SVG, no scripts, no network) that a council can read:
 * the estimate in plain language, the treated and control series with the start marked, the
 * event-study plot with confidence intervals, the placebo distribution, sample sizes and caveats.
 */
public final class HtmlReport {

    public record Series(List<String> periods, double[] treated, double[] control) {
    }

    public static String render(String title, String outcome, String start, Series series,
                                DifferenceInDifferences.Result did, EventStudy.Result study, Placebo.Result placebo) {
        return render(title, outcome, start, series, did, study, placebo, "");
    }

    /** @param dataHtml a section on where the data came from (controls chosen, periods), already escaped */
    public static String render(String title, String outcome, String start, Series series,
                                DifferenceInDifferences.Result did, EventStudy.Result study, Placebo.Result placebo,
                                String dataHtml) {
        DifferenceInDifferences.Estimate e = did.pooled();
        String direction = e.effect() >= 0 ? "rose" : "fell";
        String verdict = e.lower95() > 0 || e.upper95() < 0
                ? "The 95% interval does not include zero: a change this large is unlikely to be chance alone."
                : "The 95% interval includes zero: the data are also compatible with no effect at all.";
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title><style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;color:#222}"
                        + "h1{font-size:1.6em}.estimate{font-size:1.3em;background:#f3f6fa;padding:1em;border-radius:6px}"
                        + ".warning{background:#fff4e5;border-left:4px solid #e67e22;padding:.8em}"
                        + "figure{margin:1.5em 0}figcaption{color:#555;font-size:.9em}"
                        + "table{border-collapse:collapse}td,th{padding:.2em .8em;border-bottom:1px solid #ddd;text-align:right}"
                        + "</style></head><body>");
        html.append("<h1>").append(escape(title)).append("</h1>");
        html.append(String.format(Locale.ROOT, "<p class=\"estimate\">Compared with the control units, <b>%s %s by %.3g</b> "
                        + "more in the treated units after the start (95%% interval %.3g to %.3g, %s). %s</p>",
                escape(outcome), direction, Math.abs(e.effect()), e.lower95(), e.upper95(), p(e.pValue()), verdict));
        if (study != null && study.parallelTrendsDoubtful()) {
            html.append(String.format(Locale.ROOT, "<p class=\"warning\"><b>Caution:</b> before the start, treated and "
                    + "control units were not moving in parallel (pre-trend test p = %.3f). The estimate above may "
                    + "reflect that earlier difference rather than the activity.</p>", study.preTrendP()));
        }
        html.append("<figure>").append(seriesChart(series, start)).append("<figcaption>Mean ").append(escape(outcome))
                .append(" of treated (blue) and control (grey) units per period; the dashed line marks the start.</figcaption></figure>");
        if (study != null) {
            html.append("<figure>").append(eventStudyChart(study)).append("<figcaption>Event study: the difference between "
                    + "treated and control in each period relative to the start (period −1 is the reference), with 95% "
                    + "intervals. Before the start the points should hover around zero.</figcaption></figure>");
        } else {
            html.append("<p><i>Event study: not possible, it needs at least two periods before the start.</i></p>");
        }
        if (placebo != null) {
            html.append("<figure>").append(placeboChart(placebo)).append(String.format(Locale.ROOT, "<figcaption>Placebo "
                    + "test: the same estimate with the treatment given to %d random sets of units (bars) and the real "
                    + "estimate (red). Permutation p = %.3f.</figcaption></figure>", placebo.placebos().length, placebo.pValue()));
        }
        html.append(String.format(Locale.ROOT, "<h2>Sample</h2><table><tr><th></th><th>units</th></tr>"
                        + "<tr><td>treated</td><td>%d</td></tr><tr><td>control</td><td>%d</td></tr>"
                        + "<tr><td>observations</td><td>%d</td></tr></table>",
                did.treatedUnits(), did.controlUnits(), did.observations()));
        if (placebo != null) {
            double assignments = org.apache.commons.math3.util.CombinatoricsUtils.binomialCoefficientDouble(
                    did.treatedUnits() + did.controlUnits(), did.treatedUnits());
            if (1 / assignments > 0.05) {
                html.append(String.format(Locale.ROOT, "<p class=\"warning\">With %d units of which %d treated there are "
                        + "only %.0f different ways to assign the treatment, so the placebo test cannot give a p-value "
                        + "below %.2f however large the effect. More comparable neighbourhoods would sharpen it.</p>",
                        did.treatedUnits() + did.controlUnits(), did.treatedUnits(), assignments, 1 / assignments));
            }
        }
        html.append(dataHtml);
        html.append("<h2>How to read this</h2><ul><li>The method is difference-in-differences: how much more the "
                + "outcome changed in treated units than in controls. It assumes that without the activity both would "
                + "have changed alike (parallel trends).</li><li>" + (did.treatedUnits() == 1
                ? "With one treated neighbourhood, its uncertainty is judged from how much the control neighbourhoods "
                + "changed among themselves, so the interval is only as good as the controls are comparable."
                : "Standard errors are clustered by unit, because a unit's periods are related.") + "</li><li>The barometer's indicators are proxies for intercultural contact, not a "
                + "survey; small groups are withheld before any analysis.</li></ul></body></html>");
        return html.toString();
    }

    private static String p(double value) {
        return value < 0.001 ? "p < 0.001" : String.format(Locale.ROOT, "p = %.3f", value);
    }

    private static final int W = 860;
    private static final int H = 300;
    private static final int PAD = 50;

    private static String seriesChart(Series s, String start) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double v : s.treated()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        for (double v : s.control()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double pad = (max - min) * 0.1 + 1e-9;
        DoubleUnaryOperator y = scale(min - pad, max + pad, H - PAD, PAD / 2.0);
        int n = s.periods().size();
        DoubleUnaryOperator x = scale(0, Math.max(1, n - 1), PAD, W - PAD);
        StringBuilder svg = svgStart("treated and control series");
        axes(svg, min - pad, max + pad, y);
        int startIndex = s.periods().indexOf(start);
        if (startIndex > 0) {
            double sx = (x.applyAsDouble(startIndex - 1) + x.applyAsDouble(startIndex)) / 2;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e67e22\" stroke-dasharray=\"6 4\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" fill=\"#e67e22\" font-size=\"12\">start</text>", sx, PAD / 2, sx, H - PAD, sx + 4, PAD / 2 + 12));
        }
        polyline(svg, s.control(), x, y, "#888");
        polyline(svg, s.treated(), x, y, "#1f6fb2");
        int every = Math.max(1, (int) Math.ceil(n / 8.0)); // at most eight labels, so that dates do not overlap
        for (int i = 0; i < n; i += every) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>",
                    x.applyAsDouble(i), H - PAD + 16, escape(s.periods().get(i))));
        }
        return svg.append("</svg>").toString();
    }

    private static String eventStudyChart(EventStudy.Result study) {
        List<EventStudy.Coefficient> cs = new ArrayList<>(study.coefficients());
        cs.add(new EventStudy.Coefficient(-1, 0, 0, 0, 0));
        cs.sort((a, b) -> Integer.compare(a.relativePeriod(), b.relativePeriod()));
        double min = Math.min(0, cs.stream().mapToDouble(EventStudy.Coefficient::lower95).min().orElse(0));
        double max = Math.max(0, cs.stream().mapToDouble(EventStudy.Coefficient::upper95).max().orElse(0));
        double pad = (max - min) * 0.1 + 1e-9;
        DoubleUnaryOperator y = scale(min - pad, max + pad, H - PAD, PAD / 2.0);
        DoubleUnaryOperator x = scale(cs.get(0).relativePeriod(), cs.get(cs.size() - 1).relativePeriod(), PAD, W - PAD / 2.0);
        StringBuilder svg = svgStart("event study");
        axes(svg, min - pad, max + pad, y);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#aaa\"/>",
                PAD, y.applyAsDouble(0), W - PAD / 2, y.applyAsDouble(0)));
        for (EventStudy.Coefficient c : cs) {
            double cx = x.applyAsDouble(c.relativePeriod());
            String colour = c.relativePeriod() < 0 ? "#888" : "#1f6fb2";
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>"
                            + "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%+d</text>",
                    cx, y.applyAsDouble(c.lower95()), cx, y.applyAsDouble(c.upper95()), colour, cx, y.applyAsDouble(c.effect()),
                    colour, cx, H - PAD + 16, c.relativePeriod()));
        }
        return svg.append("</svg>").toString();
    }

    private static String placeboChart(Placebo.Result placebo) {
        double[] values = placebo.placebos();
        double min = Math.min(values[0], placebo.estimate());
        double max = Math.max(values[values.length - 1], placebo.estimate());
        int bins = 30;
        int[] counts = new int[bins];
        double width = (max - min) / bins + 1e-12;
        for (double v : values) {
            counts[Math.min(bins - 1, (int) ((v - min) / width))]++;
        }
        int top = java.util.Arrays.stream(counts).max().orElse(1);
        DoubleUnaryOperator x = scale(min, max, PAD, W - PAD / 2.0);
        DoubleUnaryOperator y = scale(0, top, H - PAD, PAD / 2.0);
        StringBuilder svg = svgStart("placebo distribution");
        axes(svg, 0, top, y);
        for (int b = 0; b < bins; b++) {
            double x0 = x.applyAsDouble(min + b * width);
            double x1 = x.applyAsDouble(min + (b + 1) * width);
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#b8c7d9\"/>",
                    x0, y.applyAsDouble(counts[b]), Math.max(1, x1 - x0 - 1), y.applyAsDouble(0) - y.applyAsDouble(counts[b])));
        }
        double rx = x.applyAsDouble(placebo.estimate());
        boolean nearRightEdge = rx > W * 0.7;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#c0392b\" stroke-width=\"3\"/>"
                        + "<text x=\"%.1f\" y=\"%d\" fill=\"#c0392b\" font-size=\"12\" text-anchor=\"%s\">real estimate %.3g</text>",
                rx, PAD / 2, rx, H - PAD, nearRightEdge ? rx - 5 : rx + 5, PAD / 2 + 12, nearRightEdge ? "end" : "start",
                placebo.estimate()));
        for (double tick : new double[] {min, (min + max) / 2, max}) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%.3g</text>",
                    x.applyAsDouble(tick), H - PAD + 16, tick));
        }
        return svg.append("</svg>").toString();
    }

    private static StringBuilder svgStart(String label) {
        return new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">", W, H, label));
    }

    private static void axes(StringBuilder svg, double low, double high, DoubleUnaryOperator y) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", PAD, PAD / 2, PAD, H - PAD));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", PAD, H - PAD, W - PAD / 2, H - PAD));
        for (int i = 0; i <= 4; i++) {
            double v = low + (high - low) * i / 4;
            if (Math.abs(v) < Math.abs(high - low) * 1e-6) {
                v = 0; // a tick at zero, not at rounding noise
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%.3g</text>",
                    PAD - 6, y.applyAsDouble(v) + 4, v));
        }
    }

    private static void polyline(StringBuilder svg, double[] values, DoubleUnaryOperator x, DoubleUnaryOperator y, String colour) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.applyAsDouble(i), y.applyAsDouble(values[i])));
        }
        svg.append("<polyline fill=\"none\" stroke-width=\"3\" stroke=\"").append(colour).append("\" points=\"")
                .append(points).append("\"/>");
        for (int i = 0; i < values.length; i++) {
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>",
                    x.applyAsDouble(i), y.applyAsDouble(values[i]), colour));
        }
    }

    private static DoubleUnaryOperator scale(double from, double to, double pixelFrom, double pixelTo) {
        double span = to - from == 0 ? 1 : to - from;
        return v -> pixelFrom + (v - from) / span * (pixelTo - pixelFrom);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private HtmlReport() {
    }
}
