package org.cohesionbarometer.evaluate;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's charts as inline SVG (no script, no network, prints as it shows): axes with
 * "nice" ticks (1, 2 or 5 times a power of ten, Heckbert 1990, "Nice numbers for graph labels",
 * Graphics Gems), axis titles, a legend in every chart, a labelled zero line where effects are
 * shown, and colours from the Okabe–Ito palette, told apart by line style as well so that they
 * survive colour blindness and grey-scale printing. (No charting library on Maven Central draws
 * self-contained SVG with these axes without a browser-side script, which the report must not
 * need.)
 */
final class Chart {
    static final String BLUE = "#1f6fb2";
    static final String ORANGE = "#e69f00";
    static final String VERMILLION = "#d55e00";
    static final String GREEN = "#009e73";
    static final String PURPLE = "#cc79a7";
    static final String SKY = "#56b4e9";
    static final String GREY = "#666666";
    static final List<String> PALETTE = List.of(BLUE, ORANGE, GREEN, PURPLE, VERMILLION, SKY);
    static final List<String> DASHES = List.of("", "8 4", "2 3", "10 3 2 3", "4 4", "1 2");

    private static final int W = 860;
    private static final int H = 330;
    private static final int LEFT = 92;
    private static final int RIGHT = 20;
    private static final int TOP = 44;
    private static final int BOTTOM = 58;

    /** A line through categories (NaN: a gap). */
    record Line(String name, double[] values, String colour, String dash, boolean points) {
    }

    /** An estimate with its interval (and optional wider uniform band) at a category. */
    record Interval(String category, double estimate, double lower, double upper, double bandLower, double bandUpper,
                    String colour) {
    }

    /** Ticks from {@code low} to {@code high}: about {@code count} multiples of 1, 2 or 5 × 10^k. */
    static double[] niceTicks(double low, double high, int count) {
        if (!(high > low)) {
            double pad = Math.abs(low) > 0 ? Math.abs(low) * 0.1 : 1;
            low -= pad;
            high += pad;
        }
        double step = niceNumber(niceNumber(high - low, false) / Math.max(1, count - 1), true);
        double first = Math.floor(low / step) * step;
        double last = Math.ceil(high / step) * step;
        List<Double> ticks = new ArrayList<>();
        for (double v = first; v <= last + step * 0.5; v += step) {
            ticks.add(Math.abs(v) < step * 1e-9 ? 0 : round(v, step));
        }
        return ticks.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double niceNumber(double range, boolean round) {
        double exponent = Math.floor(Math.log10(range));
        double fraction = range / Math.pow(10, exponent);
        double nice = round ? (fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10)
                : (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10);
        return nice * Math.pow(10, exponent);
    }

    private static double round(double v, double step) {
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step)) + 1);
        return BigDecimal.valueOf(v).setScale(decimals, java.math.RoundingMode.HALF_UP).doubleValue();
    }

    /** A tick label: as many decimals as the step needs, no more. */
    static String tickLabel(double v, double step) {
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", v).replace("-", "−");
    }

    /** A number for prose: three significant digits, no exponent. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (v == 0) {
            return "0";
        }
        String plain = new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
        return plain.replace("-", "−");
    }

    private final StringBuilder svg = new StringBuilder();
    private final StringBuilder overlay = new StringBuilder();
    private final String title;
    private final String xTitle;
    private final String yTitle;
    private double yLow;
    private double yHigh;
    private double[] yTicks;
    private final List<String[]> legend = new ArrayList<>(); // name, colour, kind (line|dash pattern|point|band|bar|rule)

    Chart(String title, String xTitle, String yTitle) {
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
    }

    private void yRange(double low, double high, boolean includeZero) {
        if (includeZero) {
            low = Math.min(low, 0);
            high = Math.max(high, 0);
        }
        yTicks = niceTicks(low, high, 6);
        yLow = yTicks[0];
        yHigh = yTicks[yTicks.length - 1];
    }

    private double y(double v) {
        return H - BOTTOM - (v - yLow) / (yHigh - yLow) * (H - BOTTOM - TOP);
    }

    private static double xCategory(int i, int n) {
        double band = (double) (W - LEFT - RIGHT) / Math.max(1, n);
        return LEFT + band * (i + 0.5);
    }

    private void frame(List<String> categories, int labelEvery) {
        double step = yTicks.length > 1 ? yTicks[1] - yTicks[0] : 1;
        for (double t : yTicks) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\" class=\"tick\">%s</text>",
                    LEFT, y(t), W - RIGHT, y(t), LEFT - 6, y(t) + 4, tickLabel(t, step)));
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", LEFT, TOP, LEFT, H - BOTTOM, LEFT,
                H - BOTTOM, W - RIGHT, H - BOTTOM));
        for (int i = 0; i < categories.size(); i++) {
            if (i % labelEvery == 0) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" "
                        + "class=\"tick\">%s</text>", xCategory(i, categories.size()), H - BOTTOM + 17,
                        HtmlReport.escape(categories.get(i))));
            }
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"13\" text-anchor=\"middle\" "
                + "class=\"axis-title\">%s</text>", (LEFT + W - RIGHT) / 2, H - 12, HtmlReport.escape(xTitle)));
        // the y axis title, rotated; a long one on two lines, broken before its unit in brackets
        int middle = (TOP + H - BOTTOM) / 2;
        List<String> parts = new ArrayList<>();
        int bracket = yTitle.indexOf(" (");
        if (yTitle.length() > 40 && bracket > 0) {
            parts.add(yTitle.substring(0, bracket));
            parts.add(yTitle.substring(bracket + 1));
        } else {
            parts.add(yTitle);
        }
        for (int i = 0; i < parts.size(); i++) {
            int x = 16 + 15 * i;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" text-anchor=\"middle\" "
                    + "transform=\"rotate(-90 %d %d)\" class=\"axis-title\">%s</text>", x, middle,
                    parts.size() > 1 ? 12 : 13, x, middle, HtmlReport.escape(parts.get(i))));
        }
    }

    /** A labelled horizontal line at zero: "no effect" in effect charts. */
    private void zeroLine(String label) {
        if (yLow > 0 || yHigh < 0) {
            return;
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#222\" "
                + "stroke-width=\"1.5\"/>", LEFT, y(0), W - RIGHT, y(0)));
        // drawn last, with a white halo, so that no interval hides it
        overlay.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\" "
                + "fill=\"#222\" stroke=\"#fff\" stroke-width=\"4\" paint-order=\"stroke\" class=\"zero-label\">%s</text>",
                W - RIGHT - 4, y(0) - 5, HtmlReport.escape(label)));
    }

    /** A vertical dashed marker between two categories, e.g. the start. */
    private void marker(double x, String label) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\" "
                + "stroke-dasharray=\"5 4\"/>", x, TOP, x, H - BOTTOM));
        overlay.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" fill=\"#333\" stroke=\"#fff\" "
                + "stroke-width=\"4\" paint-order=\"stroke\">%s</text>", x + 4, TOP + 12, HtmlReport.escape(label)));
    }

    /** Series over periods, with the start marked between the last period before and the first after. */
    static String lines(String title, String xTitle, String yTitle, List<String> periods, List<Line> lines,
                        int startIndex, String startLabel) {
        Chart c = new Chart(title, xTitle, yTitle);
        double low = Double.MAX_VALUE;
        double high = -Double.MAX_VALUE;
        for (Line l : lines) {
            for (double v : l.values()) {
                if (!Double.isNaN(v)) {
                    low = Math.min(low, v);
                    high = Math.max(high, v);
                }
            }
        }
        c.yRange(low, high, false);
        c.frame(periods, Math.max(1, (int) Math.ceil(periods.size() / 10.0)));
        if (startIndex > 0) {
            c.marker((xCategory(startIndex - 1, periods.size()) + xCategory(startIndex, periods.size())) / 2, startLabel);
            c.legend.add(new String[] {startLabel, "#333", "5 4"});
        }
        for (Line l : lines) {
            StringBuilder points = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            for (int i = 0; i < l.values().length; i++) {
                if (Double.isNaN(l.values()[i])) {
                    if (points.length() > 0) {
                        c.polyline(points, l);
                        points.setLength(0);
                    }
                    continue;
                }
                double px = xCategory(i, periods.size());
                double py = c.y(l.values()[i]);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                if (l.points()) {
                    dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>", px, py,
                            l.colour()));
                }
            }
            c.polyline(points, l);
            c.svg.append(dots);
            c.legend.add(new String[] {l.name(), l.colour(), l.dash().isEmpty() ? "line" : l.dash()});
        }
        return c.finish();
    }

    private void polyline(StringBuilder points, Line l) {
        if (points.length() == 0) {
            return;
        }
        svg.append("<polyline fill=\"none\" stroke-width=\"2.5\" stroke=\"").append(l.colour()).append('"')
                .append(l.dash().isEmpty() ? "" : " stroke-dasharray=\"" + l.dash() + "\"")
                .append(" points=\"").append(points).append("\"/>");
    }

    /**
     * Estimates with 95% intervals (and uniform bands where given) at categories, with a labelled
     * zero line; {@code legendNames} names the colours used, in order.
     */
    static String intervals(String title, String xTitle, String yTitle, List<Interval> items, List<String[]> legendNames,
                            boolean bands, String zeroLabel) {
        Chart c = new Chart(title, xTitle, yTitle);
        double low = 0;
        double high = 0;
        for (Interval i : items) {
            for (double v : new double[] {i.estimate(), i.lower(), i.upper(), bands ? i.bandLower() : Double.NaN,
                    bands ? i.bandUpper() : Double.NaN}) {
                if (!Double.isNaN(v)) {
                    low = Math.min(low, v);
                    high = Math.max(high, v);
                }
            }
        }
        c.yRange(low, high, true);
        List<String> categories = items.stream().map(Interval::category).toList();
        c.frame(categories, Math.max(1, (int) Math.ceil(categories.size() / 16.0)));
        c.zeroLine(zeroLabel);
        double band = (double) (W - LEFT - RIGHT) / Math.max(1, items.size());
        for (int k = 0; k < items.size(); k++) {
            Interval i = items.get(k);
            double x = xCategory(k, items.size());
            if (bands && !Double.isNaN(i.bandLower())) {
                double w = Math.min(18, band * 0.5);
                c.svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                        + "fill=\"%s\" fill-opacity=\"0.18\"/>", x - w / 2, c.y(i.bandUpper()), w,
                        Math.max(1, c.y(i.bandLower()) - c.y(i.bandUpper())), i.colour()));
            }
            if (!Double.isNaN(i.lower())) {
                c.svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                        + "stroke-width=\"2\"/>", x, c.y(i.lower()), x, c.y(i.upper()), i.colour()));
            }
            c.svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>", x,
                    c.y(i.estimate()), i.colour()));
        }
        for (String[] l : legendNames) {
            c.legend.add(new String[] {l[0], l[1], "point"});
        }
        c.legend.add(new String[] {"95% interval", "#333", "whisker"});
        if (bands) {
            c.legend.add(new String[] {"uniform 95% band (all at once)", "#333", "band"});
        }
        return c.finish();
    }

    /** A histogram of placebo estimates with the real estimate marked. */
    static String histogram(String title, String xTitle, double[] values, double real, String realLabel) {
        Chart c = new Chart(title, xTitle, "number of placebo estimates");
        double low = Math.min(real, java.util.Arrays.stream(values).min().orElse(real));
        double high = Math.max(real, java.util.Arrays.stream(values).max().orElse(real));
        double[] xTicks = niceTicks(low, high, 7);
        double xLow = xTicks[0];
        double xHigh = xTicks[xTicks.length - 1];
        double xStep = xTicks.length > 1 ? xTicks[1] - xTicks[0] : 1;
        int bins = Math.max(10, Math.min(40, (xTicks.length - 1) * 5));
        double width = (xHigh - xLow) / bins;
        int[] counts = new int[bins];
        for (double v : values) {
            counts[Math.max(0, Math.min(bins - 1, (int) ((v - xLow) / width)))]++;
        }
        int top = java.util.Arrays.stream(counts).max().orElse(1);
        c.yTicks = niceTicks(0, top, 5);
        // counts are whole numbers: a step below 1 would give 0.5 placebos
        if (c.yTicks.length > 1 && c.yTicks[1] - c.yTicks[0] < 1) {
            c.yTicks = java.util.stream.IntStream.rangeClosed(0, Math.max(1, top)).asDoubleStream().toArray();
        }
        c.yLow = 0;
        c.yHigh = c.yTicks[c.yTicks.length - 1];
        java.util.function.DoubleUnaryOperator x = v -> LEFT + (v - xLow) / (xHigh - xLow) * (W - LEFT - RIGHT);
        c.frame(List.of(), 1);
        for (double t : xTicks) {
            c.svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" "
                    + "class=\"tick\">%s</text>", x.applyAsDouble(t), H - BOTTOM + 17, tickLabel(t, xStep)));
        }
        for (int b = 0; b < bins; b++) {
            double x0 = x.applyAsDouble(xLow + b * width);
            double x1 = x.applyAsDouble(xLow + (b + 1) * width);
            c.svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                    + "fill=\"#9bb7d4\"/>", x0, c.y(counts[b]), Math.max(1, x1 - x0 - 1), c.y(0) - c.y(counts[b])));
        }
        double rx = x.applyAsDouble(real);
        c.svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                + "stroke-width=\"3\"/>", rx, TOP, rx, H - BOTTOM, VERMILLION));
        c.legend.add(new String[] {"placebo estimates (treatment given to random units)", "#9bb7d4", "bar"});
        c.legend.add(new String[] {realLabel, VERMILLION, "rule"});
        return c.finish();
    }

    private String finish() {
        // the legend, along the top, wrapping onto more rows when it does not fit; the plot moves down by the extra rows
        StringBuilder items = new StringBuilder("<g class=\"legend\">");
        double lx = LEFT;
        int row = 0;
        for (String[] l : legend) {
            double width = 30 + 6.6 * l[0].length() + 18;
            if (lx > LEFT && lx + width > W - RIGHT) {
                row++;
                lx = LEFT;
            }
            int cy = 16 + 22 * row;
            String swatch = switch (l[2]) {
                case "point" -> String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%d\" r=\"5\" fill=\"%s\"/>", lx + 10, cy, l[1]);
                case "whisker" -> String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                        + "stroke-width=\"2\"/>", lx + 10, cy - 8, lx + 10, cy + 8, l[1]);
                case "band" -> String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"12\" height=\"18\" fill=\"%s\" "
                        + "fill-opacity=\"0.18\"/>", lx + 4, cy - 9, l[1]);
                case "bar" -> String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"16\" height=\"14\" fill=\"%s\"/>",
                        lx + 2, cy - 7, l[1]);
                case "rule" -> String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                        + "stroke-width=\"3\"/>", lx + 10, cy - 10, lx + 10, cy + 10, l[1]);
                default -> String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                        + "stroke-width=\"2.5\"%s/>", lx, cy, lx + 24, cy, l[1],
                        l[2].equals("line") ? "" : " stroke-dasharray=\"" + l[2] + "\"");
            };
            items.append(swatch).append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\">%s</text>",
                    lx + 30, cy + 4, HtmlReport.escape(l[0])));
            lx += width;
        }
        items.append("</g>");
        int extra = 22 * row;
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                + "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\" class=\"chart\">"
                + "<title>%s</title>", W, H + extra, W, H + extra, HtmlReport.escape(title), HtmlReport.escape(title)));
        out.append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>").append(items);
        out.append("<g transform=\"translate(0 ").append(extra).append(")\">").append(svg).append(overlay).append("</g>");
        return out.append("</svg>").toString();
    }
}
