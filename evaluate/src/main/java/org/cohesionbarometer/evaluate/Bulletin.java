package org.cohesionbarometer.evaluate;

import static org.cohesionbarometer.evaluate.HtmlReport.escape;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The monthly bulletin for a council: one self-contained HTML file (no script, no fonts or images
 * from elsewhere; charts as inline SVG) that prints on A4. It says in words what the figures say
 * and what they cannot: where a figure was withheld, why; where a change is within what varies from
 * hour to hour, that it is not clearly a change.
 */
final class Bulletin {
    private static final Map<String, String> INDICATORS = Map.of(
            "cohesion_index", "Cohesion index (0–100)",
            "participation", "Participation: people who came back",
            "diversity", "Diversity of who came (evenness)",
            "mixing", "Mixing: contacts across groups",
            "sentiment", "Sentiment at the kiosks (0–100)");
    private static final String[] WEEKDAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

    static String render(PublishedMonth m, String neighbourhoodName, LocalDate made) {
        String place = m.neighbourhood().isPresent() ? neighbourhoodName + ", " + m.city() : m.city();
        String monthName = monthName(m.month());
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Cohesion bulletin: " + escape(place) + ", " + monthName + "</title><style>" + CSS + "</style></head><body>");
        html.append("<header><p class=\"kicker\">Community cohesion barometer · monthly bulletin</p><h1>")
                .append(escape(place)).append(", ").append(monthName).append("</h1><p class=\"subtitle\">From the barometer's "
                + "published figures only (values resting on fewer than k = ").append(m.k()).append(" people, contacts or taps "
                + "are withheld) · all times UTC · made ").append(made).append("</p></header>");
        headline(html, m);
        components(html, m);
        if (m.neighbourhood().isEmpty()) {
            neighbourhoods(html, m);
            movers(html, m);
        } else {
            weeks(html, m);
        }
        sentiment(html, m);
        activities(html, m);
        network(html, m);
        methods(html, m);
        return html.append("</body></html>").toString();
    }

    // ------------------------------------------------------------------ sections

    private static void headline(StringBuilder html, PublishedMonth m) {
        PublishedMonth.Figures now = m.headline();
        PublishedMonth.Figures before = m.previous();
        String previousName = monthName(m.month().minusMonths(1));
        html.append("<section class=\"headline\"><h2>The headline</h2>");
        if (now.index() == null) {
            html.append("<p class=\"big\">No cohesion index is published for ").append(monthName(m.month())).append(": ")
                    .append(withheldInWords(now, m.k())).append("</p></section>");
            return;
        }
        html.append("<p class=\"big\">Cohesion index <strong data-figure=\"index\">").append(one(now.index()))
                .append("</strong> <span class=\"interval\">(95% interval <span data-figure=\"index-lower\">")
                .append(one(now.lower())).append("</span>–<span data-figure=\"index-upper\">").append(one(now.upper()))
                .append("</span>)</span></p><p>Built from <span data-figure=\"people\">").append(now.people())
                .append("</span> attendances at activities in ").append(monthName(m.month()))
                .append(" (people counted in each hour they came, in the hours that could be published). ");
        if (before.index() == null) {
            html.append("There is no published index for ").append(previousName).append(" to compare with.</p>");
        } else {
            double change = now.index() - before.index();
            Double se = now.standardError() == null || before.standardError() == null ? null
                    : Math.sqrt(now.standardError() * now.standardError() + before.standardError() * before.standardError());
            html.append("In ").append(previousName).append(" it was ").append(one(before.index())).append(": a change of <strong ")
                    .append("data-figure=\"change\">").append(signed(change)).append("</strong> points");
            if (se != null) {
                double lo = change - 1.96 * se;
                double hi = change + 1.96 * se;
                html.append(" (95% interval ").append(signed(lo)).append(" to ").append(signed(hi)).append("). ")
                        .append(lo > 0 ? "That is a clear rise." : hi < 0 ? "That is a clear fall."
                                : "That is within what the index varies from hour to hour: not clearly a change.");
            } else {
                html.append(". One of the two months has too few published hours for an interval, so whether this is a real "
                        + "change cannot be told.");
            }
            html.append("</p>");
        }
        html.append("</section>");
    }

    private static void components(StringBuilder html, PublishedMonth m) {
        html.append("<section><h2>What the index is made of</h2><table class=\"numbers\"><tr><th>component</th><th>")
                .append(monthName(m.month())).append("</th><th>").append(monthName(m.month().minusMonths(1)))
                .append("</th></tr>");
        row(html, "participation", m.headline().participation(), m.previous().participation(), true);
        row(html, "diversity", m.headline().diversity(), m.previous().diversity(), false);
        row(html, "mixing", m.headline().mixing(), m.previous().mixing(), true);
        row(html, "sentiment", m.headline().sentiment(), m.previous().sentiment(), false);
        html.append("</table><p class=\"note\">Participation: the share of people seen at two or more sessions in 30 days. "
                + "Diversity: how evenly attendance spreads over the city's background groups (0: one group, 1: all equally). "
                + "Mixing: the share of observed contacts between people of different groups. Sentiment: kiosk smiley taps on "
                + "a 0–100 scale. A dash: withheld or not measured.</p></section>");
    }

    private static void row(StringBuilder html, String indicator, Double now, Double before, boolean percent) {
        html.append("<tr><td>").append(escape(INDICATORS.get(indicator))).append("</td><td>")
                .append(percent ? percent(now) : indicator.equals("diversity") ? two(now) : one(now)).append("</td><td>")
                .append(percent ? percent(before) : indicator.equals("diversity") ? two(before) : one(before))
                .append("</td></tr>");
    }

    private static void neighbourhoods(StringBuilder html, PublishedMonth m) {
        html.append("<section><h2>Neighbourhood by neighbourhood</h2><table class=\"numbers hoods\"><tr><th>neighbourhood</th>"
                + "<th>index</th><th>95% interval</th><th>").append(monthName(m.month().minusMonths(1)))
                .append("</th><th>change</th><th>attendances</th><th>week by week</th></tr>");
        List<String> notes = new ArrayList<>();
        double[] range = weeklyRange(m);
        for (PublishedMonth.Area a : m.areas()) {
            html.append("<tr data-neighbourhood=\"").append(escape(a.id())).append("\"><td>").append(escape(a.name()))
                    .append("</td><td>").append(one(a.month().index())).append("</td><td>")
                    .append(a.month().lower() == null ? "–" : one(a.month().lower()) + "–" + one(a.month().upper()))
                    .append("</td><td>").append(one(a.before().index())).append("</td><td>")
                    .append(a.change() == null ? "–" : signed(a.change())).append("</td><td>")
                    .append(a.month().people() == null ? "fewer than " + m.k() : a.month().people()).append("</td><td>")
                    .append(sparkline(m.weeks().stream().filter(w -> w.neighbourhoodId().equals(a.id())).toList(), range))
                    .append("</td></tr>");
            if (!a.month().published()) {
                notes.add(escape(a.name()) + ": " + withheldInWords(a.month(), m.k()));
            }
        }
        html.append("</table><p class=\"note\">Week by week: each week's index that overlaps the month, every neighbourhood "
                + "on one scale (").append(one(range[0])).append(" to ").append(one(range[1])).append("); a gap is a week withheld."
                + "</p>");
        for (String note : notes) {
            html.append("<p class=\"withheld\">").append(note).append("</p>");
        }
        hoursNote(html, m);
        html.append("</section>");
    }

    private static void weeks(StringBuilder html, PublishedMonth m) {
        html.append("<section><h2>Week by week</h2><table class=\"numbers\"><tr><th>week from</th><th>index</th></tr>");
        m.weeks().stream().filter(w -> w.neighbourhoodId().equals(m.neighbourhood().orElse("")))
                .forEach(w -> html.append("<tr><td>").append(w.start()).append("</td><td>")
                        .append(w.withheld() ? "withheld (fewer than " + m.k() + " people)" : one(w.index())).append("</td></tr>"));
        html.append("</table>");
        hoursNote(html, m);
        html.append("</section>");
    }

    private static void hoursNote(StringBuilder html, PublishedMonth m) {
        PublishedMonth.HoursWithheld h = m.hours();
        if (h.withheld() > 0) {
            html.append("<p class=\"withheld\">").append(h.withheld()).append(" of ").append(h.published() + h.withheld())
                    .append(" neighbourhood-hours with activity this month had fewer than ").append(m.k())
                    .append(" people. Their figures are withheld so that nobody in a small group can be picked out, and they "
                            + "do not enter the index above: it rests on the other ").append(h.published()).append(".</p>");
        }
    }

    private static void movers(StringBuilder html, PublishedMonth m) {
        List<PublishedMonth.Area> moved = m.areas().stream().filter(a -> a.change() != null)
                .sorted(Comparator.comparingDouble(PublishedMonth.Area::change).reversed()).toList();
        html.append("<section><h2>Strongest and weakest movers</h2>");
        if (moved.size() < 2) {
            html.append("<p>Fewer than two neighbourhoods have a published index in both months, so none can be "
                    + "compared.</p></section>");
            return;
        }
        int n = Math.min(2, moved.size() / 2);
        html.append("<div class=\"movers\"><div><h3>Rose most</h3><ol>");
        moved.subList(0, n).forEach(a -> html.append("<li data-mover=\"up\"><strong>").append(escape(a.name()))
                .append("</strong> ").append(signed(a.change())).append(" points (").append(one(a.before().index()))
                .append(" → ").append(one(a.month().index())).append(")</li>"));
        html.append("</ol></div><div><h3>Fell most, or rose least</h3><ol>");
        List<PublishedMonth.Area> fell = new ArrayList<>(moved.subList(moved.size() - n, moved.size()));
        java.util.Collections.reverse(fell);
        fell.forEach(a -> html.append("<li data-mover=\"down\"><strong>")
                .append(escape(a.name())).append("</strong> ").append(signed(a.change())).append(" points (")
                .append(one(a.before().index())).append(" → ").append(one(a.month().index())).append(")</li>"));
        html.append("</ol></div></div><p class=\"note\">A neighbourhood's change moves with how many people came; the "
                + "intervals in the table above say how far each month's index can be trusted.</p></section>");
    }

    private static void sentiment(StringBuilder html, PublishedMonth m) {
        html.append("<section><h2>How people felt, by hour and weekday</h2>");
        long taps = java.util.Arrays.stream(m.tapsByHour()).sum();
        if (taps == 0) {
            html.append("<p>No kiosk hour of the month had ").append(m.k()).append(" or more taps, so no sentiment is "
                    + "published.</p></section>");
            return;
        }
        List<String> hours = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            hours.add(String.format(Locale.ROOT, "%02d", h));
        }
        html.append("<div class=\"charts\">")
                .append(bars("Sentiment by hour of day (UTC)", hours, m.sentimentByHour(), m.tapsByHour()))
                .append(bars("Sentiment by weekday", List.of(WEEKDAYS), m.sentimentByWeekday(), m.tapsByWeekday()))
                .append("</div><p class=\"note\">The mean of the kiosks' smiley taps (0 = the lowest face, 100 = the highest) "
                        + "over the month's published hours, ").append(taps).append(" taps in all. A missing bar: no hour "
                        + "there had ").append(m.k()).append(" or more taps, so nothing is published for it.</p></section>");
    }

    private static void activities(StringBuilder html, PublishedMonth m) {
        html.append("<section><h2>Activities and what evaluations found</h2>");
        if (m.activities().isEmpty()) {
            html.append("<p>No activity was registered as running this month.</p>");
        } else {
            html.append("<table class=\"list\"><tr><th>activity</th><th>kind</th><th>neighbourhood</th><th>since</th></tr>");
            m.activities().forEach(a -> html.append("<tr><td>").append(escape(a.title()))
                    .append(a.startedThisMonth() ? " <span class=\"tag\">new this month</span>" : "").append("</td><td>")
                    .append(escape(a.type().toLowerCase(Locale.ROOT).replace('_', ' '))).append("</td><td>")
                    .append(escape(a.neighbourhood())).append("</td><td>")
                    .append(a.startsAt() == null ? "–" : a.startsAt()).append("</td></tr>"));
            html.append("</table>");
        }
        if (m.evaluations().isEmpty()) {
            html.append("<p>No evaluation of an activity here has been stored yet (<code>barometer evaluate</code> stores "
                    + "one).</p>");
        } else {
            html.append("<h3>Stored evaluations</h3><table class=\"list\"><tr><th>activity</th><th>indicator</th><th>method</th>"
                    + "<th>estimate (95% interval)</th><th>what it says</th></tr>");
            m.evaluations().forEach(e -> html.append("<tr><td>").append(escape(Objects.requireNonNullElse(e.activity(), "–")))
                    .append("</td><td>").append(escape(e.indicator())).append("</td><td>").append(escape(e.method()))
                    .append("</td><td class=\"num\">").append(e.estimate() == null ? "–" : three(e.estimate())
                            + (e.lower() == null ? "" : " (" + three(e.lower()) + " to " + three(e.upper()) + ")"))
                    .append("</td><td>").append(escape(e.summary())).append("</td></tr>"));
            html.append("</table>");
        }
        html.append("</section>");
    }

    private static void network(StringBuilder html, PublishedMonth m) {
        html.append("<section><h2>").append(escape(m.city())).append(" in the network</h2>");
        List<PublishedMonth.NetworkRow> computed = m.network().stream().filter(r -> r.basis().equals("computed")).toList();
        List<PublishedMonth.NetworkRow> entered = m.network().stream().filter(r -> r.basis().equals("hand-entered")).toList();
        if (computed.isEmpty()) {
            html.append("<p>").append(escape(m.city())).append(" is not compared with other cities this month: it does not "
                    + "take part in the network comparison, or its figures for the month were withheld.</p>");
        } else {
            html.append("<p>Among the ").append(computed.get(0).cities()).append(" cities of this barometer that take part, "
                    + "each from its own published figures, with the same withholding:</p><table class=\"numbers\"><tr>"
                    + "<th>indicator</th><th>").append(escape(m.city())).append("</th><th>rank</th><th>network median</th>"
                    + "<th>middle half of cities</th></tr>");
            computed.forEach(r -> html.append("<tr data-network=\"").append(r.indicator()).append("\"><td>")
                    .append(escape(INDICATORS.get(r.indicator()))).append("</td><td>").append(value(r.indicator(), r.value()))
                    .append("</td><td>").append(r.rank()).append(" of ").append(r.cities()).append("</td><td>")
                    .append(value(r.indicator(), r.median())).append("</td><td>").append(value(r.indicator(), r.lowerQuartile()))
                    .append("–").append(value(r.indicator(), r.upperQuartile())).append("</td></tr>"));
            html.append("</table><p class=\"note\">Rank 1 is the highest. The middle half: from the lower to the upper quartile "
                    + "of the cities' values.</p>");
        }
        if (!entered.isEmpty()) {
            html.append("<h3>Reference values entered by hand</h3><table class=\"list\"><tr><th>indicator</th><th>")
                    .append(escape(m.city())).append("</th><th>reference</th><th>source</th></tr>");
            entered.forEach(r -> html.append("<tr><td>").append(escape(INDICATORS.get(r.indicator()))).append("</td><td>")
                    .append(value(r.indicator(), r.value())).append("</td><td>").append(value(r.indicator(), r.median()))
                    .append("</td><td>hand-entered: ").append(escape(r.source())).append("</td></tr>"));
            html.append("</table>");
        }
        html.append("</section>");
    }

    private static void methods(StringBuilder html, PublishedMonth m) {
        html.append("<section class=\"methods\"><h2>How these figures are made</h2><ul>"
                + "<li>The barometer counts what intercultural activities already produce: people checking in (by a "
                + "pseudonymous token or a paper sheet, never by name), contacts between people of different self-declared "
                + "background groups, and taps on kiosk smiley buttons. It is a proxy for cohesion, not a survey of how "
                + "people feel.</li>"
                + "<li>The cohesion index (0–100) combines four parts with equal weights: people coming back, how evenly "
                + "groups take part, contacts across groups compared with chance, and sentiment. A part that is missing drops "
                + "out and the others count for more.</li>"
                + "<li>A month's index is the mean of its published hours, each weighted by the people counted in it. Its "
                + "95% interval says how steady the index was from hour to hour; it is not a survey's margin of error.</li>"
                + "<li>Privacy: any figure resting on fewer than ").append(m.k()).append(" people, contacts or taps is withheld, "
                + "everywhere, and never filled in or estimated. That is why some cells say \"withheld\".</li>"
                + "<li>The network comparison uses only the cities of this barometer that chose to take part, each from its own "
                + "published figures. Values entered by hand (from a survey or another source) are labelled as such.</li>"
                + "<li>Evaluations compare a neighbourhood where an activity started with similar neighbourhoods where none did "
                + "(difference-in-differences); their intervals and warnings are in each stored result.</li>"
                + "<li>Full formulas and sources: the barometer's docs/methods.md.</li></ul></section>");
    }

    // ------------------------------------------------------------------ words and numbers

    static String withheldInWords(PublishedMonth.Figures f, int k) {
        if (f.withheld().contains("headcount")) {
            return "fewer than " + k + " people were counted in published hours this month, so its figures are withheld to "
                    + "keep people in small groups from being identified.";
        }
        return "no activity was recorded here this month.";
    }

    static String monthName(YearMonth month) {
        return month.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + month.getYear();
    }

    private static String value(String indicator, Double v) {
        return switch (indicator) {
            case "participation", "mixing" -> percent(v);
            case "diversity" -> two(v);
            default -> one(v);
        };
    }

    static String one(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String two(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String three(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String percent(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.0f%%", 100 * v);
    }

    static String signed(double v) {
        String s = String.format(Locale.ROOT, "%+.1f", v);
        return s.equals("-0.0") ? "+0.0" : s.replace('-', '−');
    }

    // ------------------------------------------------------------------ small charts

    /** The lowest and highest weekly index of any neighbourhood, widened a little: one scale for every sparkline. */
    private static double[] weeklyRange(PublishedMonth m) {
        double low = m.weeks().stream().filter(w -> w.index() != null).mapToDouble(PublishedMonth.Week::index).min().orElse(0);
        double high = m.weeks().stream().filter(w -> w.index() != null).mapToDouble(PublishedMonth.Week::index).max().orElse(100);
        return new double[] {Math.max(0, low - 2), Math.min(100, Math.max(high + 2, low + 4))};
    }

    /** The weeks of the month as a small line on the scale all neighbourhoods share, withheld weeks as gaps. */
    private static String sparkline(List<PublishedMonth.Week> weeks, double[] range) {
        if (weeks.stream().allMatch(w -> w.index() == null)) {
            return "–";
        }
        int w = 110;
        int h = 28;
        StringBuilder svg = new StringBuilder("<svg class=\"spark\" viewBox=\"0 0 " + w + " " + h + "\" width=\"" + w
                + "\" height=\"" + h + "\" role=\"img\" aria-label=\"weekly index\">");
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < weeks.size(); i++) {
            Double v = weeks.get(i).index();
            double x = weeks.size() == 1 ? w / 2.0 : 6 + i * (w - 12.0) / (weeks.size() - 1);
            if (v == null) {
                if (points.length() > 0) {
                    svg.append("<polyline fill=\"none\" stroke=\"#1f6fb2\" stroke-width=\"2\" points=\"").append(points).append("\"/>");
                    points.setLength(0);
                }
                continue;
            }
            double y = h - 4 - (v - range[0]) / (range[1] - range[0]) * (h - 8);
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.2\" fill=\"#1f6fb2\"/>", x, y));
        }
        if (points.length() > 0) {
            svg.append("<polyline fill=\"none\" stroke=\"#1f6fb2\" stroke-width=\"2\" points=\"").append(points).append("\"/>");
        }
        return svg.append("</svg>").toString();
    }

    /** Bars on a 0–100 axis, with the value on each bar; NaN: no bar, marked 'withheld'. */
    private static String bars(String title, List<String> labels, double[] values, long[] taps) {
        int width = 430;
        int height = 190;
        int left = 30;
        int bottom = 24;
        int top = 26;
        double slot = (width - left - 6.0) / labels.size();
        StringBuilder svg = new StringBuilder("<figure><svg class=\"bars\" viewBox=\"0 0 " + width + " " + height
                + "\" role=\"img\" aria-label=\"" + escape(title) + "\"><text x=\"0\" y=\"14\" font-size=\"13\" font-weight=\"bold\">"
                + escape(title) + "</text>");
        for (int tick = 0; tick <= 100; tick += 50) {
            double y = height - bottom - tick / 100.0 * (height - bottom - top);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\" fill=\"#555\">%d</text>",
                    left, width - 6, y, y, left - 4, y + 3, tick));
        }
        for (int i = 0; i < labels.size(); i++) {
            double x = left + i * slot;
            if (!Double.isNaN(values[i])) {
                double barHeight = values[i] / 100.0 * (height - bottom - top);
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#1f6fb2\">"
                        + "<title>%s: %.1f (%d taps)</title></rect>", x + slot * 0.15, height - bottom - barHeight, slot * 0.7,
                        barHeight, escape(labels.get(i)), values[i], taps[i]));
                if (labels.size() <= 7) {
                    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">%.0f</text>",
                            x + slot / 2, height - bottom - barHeight - 3, values[i]));
                }
            }
            if (labels.size() <= 7 || i % 3 == 0) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\" fill=\"#333\">%s</text>",
                        x + slot / 2, height - 8, escape(labels.get(i))));
            }
        }
        return svg.append("</svg></figure>").toString();
    }

    private static final String CSS = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:900px;"
            + "margin:2em auto;padding:0 1em;color:#222;line-height:1.45}"
            + "header{border-bottom:3px solid #1f6fb2;margin-bottom:1em}.kicker{color:#1f6fb2;font-weight:600;margin:0;"
            + "text-transform:uppercase;letter-spacing:.05em;font-size:.85em}h1{font-size:1.8em;margin:.1em 0}"
            + ".subtitle{color:#555;margin-top:0;font-size:.9em}h2{font-size:1.2em;border-bottom:1px solid #ccc;padding-bottom:.15em;"
            + "margin-top:1.4em}h3{font-size:1em;margin:.8em 0 .3em}"
            + ".headline{background:#eef3f9;padding:.2em 1em .8em;border-radius:6px}.headline h2{border:none}"
            + ".big{font-size:1.5em;margin:.2em 0}.interval{font-size:.7em;color:#444}"
            + "table{border-collapse:collapse;margin:.5em 0;width:100%}td,th{padding:.25em .6em;border-bottom:1px solid #ddd;"
            + "text-align:right;vertical-align:middle}th{font-weight:600;background:#f5f5f5}"
            + "td:first-child,th:first-child,table.list td,table.list th,td.text{text-align:left}table.list td.num{text-align:right}"
            + "table.numbers td{white-space:nowrap}table.numbers td.text{white-space:normal}"
            + ".withheld{background:#fff4e5;border-left:4px solid #d55e00;padding:.4em .8em;margin:.4em 0}"
            + ".note{color:#555;font-size:.9em}.tag{background:#009e73;color:#fff;border-radius:3px;padding:0 .3em;font-size:.8em}"
            + ".movers{display:flex;gap:2em}.movers>div{flex:1}.charts{display:flex;gap:1em;flex-wrap:wrap}"
            + ".charts figure{flex:1;min-width:300px;margin:0}svg.bars{width:100%;height:auto}"
            + ".methods{background:#f5f5f5;padding:.2em 1em;border-radius:6px;margin-top:1.5em}.methods h2{border:none}"
            + "@page{size:A4;margin:14mm}"
            + "@media print{body{max-width:none;margin:0;font-size:10pt}"
            + ".headline,.movers,.charts,table,figure,.withheld,.methods{break-inside:avoid}"
            + "h2,h3{break-after:avoid}.headline,.methods,th{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

    private Bulletin() {
    }
}
