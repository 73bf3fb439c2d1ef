package org.cohesionbarometer.evaluate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A panel read from the barometer's database: one indicator of every neighbourhood per day or
 * week, from the published (suppressed) rollups, around an activity's start. It refuses, with the
 * reason, when the treated neighbourhoods' figures were withheld for privacy, when there are too
 * few periods before the start, or too few neighbourhoods to compare with.
 *
 * <p>Controls are the user's, or proposed: the neighbourhoods whose pre-period series run most
 * nearly parallel to the treated ones (smallest root-mean-square difference after removing the
 * average gap), among those with every figure of the window published and no activity of their
 * own starting in the window. The ranking is returned
 * so that the choice can be shown.
 */
public final class PublishedPanel {
    /** Indicators the published rollups carry, as column names. */
    public static final Set<String> INDICATORS = Set.of("check_ins", "headcount", "gini_simpson", "gini_simpson_unbiased",
            "shannon", "evenness", "cross_group_share");
    public static final int MIN_PRE_PERIODS = 3;
    public static final int MIN_CONTROLS = 2;

    public enum Period {
        DAILY("published_neighbourhood_daily", 1), WEEKLY("published_neighbourhood_weekly", 7);

        final String view;
        final int days;

        Period(String view, int days) {
            this.view = view;
            this.days = days;
        }
    }

    /** What to read: treated neighbourhoods, the start, the window, the controls (empty: propose). */
    public record Request(String indicator, Period period, List<String> treated, LocalDate start, int prePeriods,
                          int postPeriods, List<String> controls, int controlCount) {
    }

    /** A candidate control and how far its pre-period series is from parallel to the treated ones. */
    public record Candidate(String neighbourhood, double preTrendDistance, boolean chosen, String excludedBecause) {
    }

    public record Loaded(Panel panel, List<String> periods, String startPeriod, List<String> controls,
                         List<Candidate> candidates, Map<String, double[]> seriesByNeighbourhood) {
    }

    /** Refused: the data cannot support the comparison; the message says why in plain words. */
    /** What an indicator counts, for the report's axes (the sink's definitions, docs/methods.md). */
    public static String unitOf(String indicator) {
        return switch (indicator) {
            case "check_ins" -> "check-ins per period";
            case "headcount" -> "distinct participants per period";
            case "gini_simpson", "gini_simpson_unbiased" -> "probability that two participants differ in group, 0 to 1";
            case "shannon" -> "Shannon diversity of groups, nats";
            case "evenness" -> "evenness of groups, 0 to 1";
            case "cross_group_share" -> "share of contacts that cross groups, 0 to 1";
            default -> null;
        };
    }

    public static final class NotEnoughData extends RuntimeException {
        public NotEnoughData(String message) {
            super(message);
        }
    }

    public static Loaded load(Connection db, Request request) throws SQLException {
        if (!INDICATORS.contains(request.indicator())) {
            throw new IllegalArgumentException("indicator '" + request.indicator() + "' is not one of " + new java.util.TreeSet<>(INDICATORS));
        }
        if (request.prePeriods() < MIN_PRE_PERIODS) {
            throw new NotEnoughData("at least " + MIN_PRE_PERIODS + " periods before the start are needed to check that "
                    + "treated and control neighbourhoods moved in parallel; " + request.prePeriods() + " were asked for");
        }
        LocalDate startBucket = request.period() == Period.WEEKLY
                ? request.start().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)) : request.start();
        List<LocalDate> buckets = new ArrayList<>();
        for (int i = -request.prePeriods(); i < request.postPeriods(); i++) {
            buckets.add(startBucket.plusDays((long) i * request.period().days));
        }
        List<String> periods = buckets.stream().map(LocalDate::toString).toList();

        // every neighbourhood's value per bucket; null where withheld, absent where no data
        Map<String, Map<String, Double>> values = new TreeMap<>();
        Map<String, Map<String, String>> withheld = new TreeMap<>();
        String sql = "SELECT neighbourhood_id, bucket_start, " + request.indicator() + " AS value, array_to_string(withheld, ', ') AS withheld"
                + " FROM " + request.period().view + " WHERE bucket_start >= ? AND bucket_start < ?";
        try (PreparedStatement st = db.prepareStatement(sql)) {
            st.setObject(1, buckets.get(0).atStartOfDay().atOffset(ZoneOffset.UTC));
            st.setObject(2, buckets.get(buckets.size() - 1).plusDays(request.period().days).atStartOfDay().atOffset(ZoneOffset.UTC));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String hood = rs.getString(1);
                    String bucket = rs.getObject(2, java.time.OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC).toLocalDate().toString();
                    double value = rs.getDouble(3);
                    values.computeIfAbsent(hood, h -> new LinkedHashMap<>()).put(bucket, rs.wasNull() ? null : value);
                    withheld.computeIfAbsent(hood, h -> new LinkedHashMap<>()).put(bucket, rs.getString(4));
                }
            }
        }

        List<String> problems = new ArrayList<>();
        for (String hood : request.treated()) {
            for (String bucket : periods) {
                Double v = values.getOrDefault(hood, Map.of()).get(bucket);
                if (v == null) {
                    boolean present = values.getOrDefault(hood, Map.of()).containsKey(bucket);
                    problems.add(hood + " " + bucket + (present ? ": withheld for privacy (" + withheld.get(hood).get(bucket)
                            + " rest on fewer than k people or contacts)" : ": no data"));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new NotEnoughData("the treated neighbourhoods' " + request.indicator() + " is missing in "
                    + problems.size() + " of " + periods.size() * request.treated().size() + " periods, so no honest "
                    + "estimate is possible (suppressed cells are never filled in): " + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
                    + (problems.size() > 5 ? "; …" : "") + ". Try weekly periods, a longer window or another indicator.");
        }

        double[] treatedMean = new double[request.prePeriods()];
        for (String hood : request.treated()) {
            for (int t = 0; t < request.prePeriods(); t++) {
                treatedMean[t] += values.get(hood).get(periods.get(t)) / request.treated().size();
            }
        }
        Map<String, String> startedInWindow = activitiesStartingIn(db, buckets.get(0),
                buckets.get(buckets.size() - 1).plusDays(request.period().days));
        List<Candidate> candidates = new ArrayList<>();
        for (String hood : values.keySet()) {
            if (request.treated().contains(hood)) {
                continue;
            }
            if (startedInWindow.containsKey(hood)) {
                candidates.add(new Candidate(hood, Double.NaN, false, "its own activity " + startedInWindow.get(hood)
                        + " started in the window"));
                continue;
            }
            long missing = periods.stream().filter(b -> values.get(hood).get(b) == null).count();
            if (missing > 0) {
                candidates.add(new Candidate(hood, Double.NaN, false, missing + " of " + periods.size()
                        + " periods withheld or missing"));
                continue;
            }
            candidates.add(new Candidate(hood, distanceFromParallel(treatedMean, hood, values, periods), false, null));
        }
        candidates.sort(Comparator.comparing((Candidate c) -> c.excludedBecause() != null)
                .thenComparingDouble(c -> Double.isNaN(c.preTrendDistance()) ? Double.MAX_VALUE : c.preTrendDistance()));

        List<String> controls = new ArrayList<>();
        if (request.controls().isEmpty()) {
            candidates.stream().filter(c -> c.excludedBecause() == null).limit(request.controlCount())
                    .forEach(c -> controls.add(c.neighbourhood()));
        } else {
            for (String hood : request.controls()) {
                Candidate c = candidates.stream().filter(x -> x.neighbourhood().equals(hood)).findFirst().orElse(null);
                if (c == null || c.excludedBecause() != null) {
                    throw new NotEnoughData("control " + hood + " cannot be used: "
                            + (c == null ? "no published " + request.indicator() + " in the window" : c.excludedBecause()));
                }
                controls.add(hood);
            }
        }
        candidates.replaceAll(c -> new Candidate(c.neighbourhood(), c.preTrendDistance(), controls.contains(c.neighbourhood()),
                c.excludedBecause()));

        List<Panel.Observation> observations = new ArrayList<>();
        Map<String, double[]> series = new LinkedHashMap<>();
        List<String> units = new ArrayList<>(request.treated());
        units.addAll(controls);
        for (String hood : units) {
            double[] ys = new double[periods.size()];
            for (int t = 0; t < periods.size(); t++) {
                ys[t] = values.get(hood).get(periods.get(t));
                observations.add(new Panel.Observation(hood, periods.get(t), request.treated().contains(hood),
                        t >= request.prePeriods(), ys[t]));
            }
            series.put(hood, ys);
        }
        return new Loaded(new Panel(observations), periods, periods.get(request.prePeriods()), controls, candidates, series);
    }

    /** Neighbourhoods where an activity started in [from, to): they are not untreated controls. */
    private static Map<String, String> activitiesStartingIn(Connection db, LocalDate from, LocalDate to) throws SQLException {
        Map<String, String> started = new TreeMap<>();
        try (PreparedStatement st = db.prepareStatement(
                "SELECT neighbourhood_id, id, starts_at FROM activities WHERE starts_at >= ? AND starts_at < ? ORDER BY starts_at")) {
            st.setObject(1, from.atStartOfDay().atOffset(ZoneOffset.UTC));
            st.setObject(2, to.atStartOfDay().atOffset(ZoneOffset.UTC));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    started.putIfAbsent(rs.getString(1), rs.getString(2) + " (" + rs.getObject(3, java.time.OffsetDateTime.class)
                            .toLocalDate() + ")");
                }
            }
        }
        return started;
    }

    /** RMS of (candidate − treated) over the pre-periods after removing its mean: 0 = perfectly parallel. */
    private static double distanceFromParallel(double[] treatedMean, String hood, Map<String, Map<String, Double>> values,
                                               List<String> periods) {
        int pre = treatedMean.length;
        double[] gap = new double[pre];
        double meanGap = 0;
        for (int t = 0; t < pre; t++) {
            gap[t] = values.get(hood).get(periods.get(t)) - treatedMean[t];
            meanGap += gap[t] / pre;
        }
        double ss = 0;
        for (double g : gap) {
            ss += (g - meanGap) * (g - meanGap);
        }
        return Math.sqrt(ss / pre);
    }

    private PublishedPanel() {
    }
}
