package org.cohesionbarometer.evaluate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVRecord;

/** Units with different start periods, from the database (several activities) or a CSV panel. */
record StaggeredSource(StaggeredAdoption.Input input, List<String> activityIds, List<String> treatedUnits,
                       List<String> comparisonUnits, LocalDate firstStart) {

    /**
     * Every neighbourhood's published indicator over a window from the earliest start minus
     * {@code pre} periods to the latest start plus {@code post}; the activities' neighbourhoods are
     * treated from their activity's start, the others (with every figure published) compare.
     */
    static StaggeredSource fromDatabase(Connection db, List<String> activityIds, String indicator,
                                        PublishedPanel.Period period, int pre, int post) throws SQLException {
        if (!PublishedPanel.INDICATORS.contains(indicator)) {
            throw new IllegalArgumentException("indicator '" + indicator + "' is not one of " + PublishedPanel.INDICATORS);
        }
        Map<String, LocalDate> startOf = new LinkedHashMap<>();
        for (String id : activityIds) {
            try (PreparedStatement st = db.prepareStatement("SELECT neighbourhood_id, starts_at FROM activities WHERE id = ?")) {
                st.setString(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("--activity: no activity '" + id + "' in the database");
                    }
                    LocalDate start = rs.getObject(2, OffsetDateTime.class).toLocalDate();
                    startOf.merge(rs.getString(1), start, (a, b) -> a.isBefore(b) ? a : b); // first activity counts
                }
            }
        }
        LocalDate first = startOf.values().stream().min(Comparator.naturalOrder()).orElseThrow();
        LocalDate last = startOf.values().stream().max(Comparator.naturalOrder()).orElseThrow();
        LocalDate from = bucket(first, period).minusDays((long) pre * period.days);
        LocalDate to = bucket(last, period).plusDays((long) post * period.days);
        List<String> periods = new ArrayList<>();
        for (LocalDate d = from; d.isBefore(to); d = d.plusDays(period.days)) {
            periods.add(d.toString());
        }
        Map<String, Map<String, Double>> values = new TreeMap<>();
        try (PreparedStatement st = db.prepareStatement("SELECT neighbourhood_id, bucket_start, " + indicator + " FROM "
                + period.view + " WHERE bucket_start >= ? AND bucket_start < ?")) {
            st.setObject(1, from.atStartOfDay().atOffset(ZoneOffset.UTC));
            st.setObject(2, to.atStartOfDay().atOffset(ZoneOffset.UTC));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    double v = rs.getDouble(3);
                    values.computeIfAbsent(rs.getString(1), h -> new LinkedHashMap<>()).put(
                            rs.getObject(2, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC).toLocalDate().toString(),
                            rs.wasNull() ? null : v);
                }
            }
        }
        List<String> incomplete = new ArrayList<>();
        for (String hood : startOf.keySet()) {
            long missing = periods.stream().filter(p -> values.getOrDefault(hood, Map.of()).get(p) == null).count();
            if (missing > 0) {
                incomplete.add(hood + " (" + missing + " of " + periods.size() + " periods withheld or missing)");
            }
        }
        if (!incomplete.isEmpty()) {
            throw new PublishedPanel.NotEnoughData("treated neighbourhoods whose " + indicator + " was withheld for privacy "
                    + "or is missing in the window: " + String.join(", ", incomplete) + "; suppressed cells are never filled in."
                    + " Try weekly periods, a shorter window or another indicator.");
        }
        List<StaggeredAdoption.Observation> observations = new ArrayList<>();
        Map<String, Integer> firstTreated = new LinkedHashMap<>();
        List<String> comparison = new ArrayList<>();
        for (var entry : values.entrySet()) {
            String hood = entry.getKey();
            boolean complete = periods.stream().allMatch(p -> entry.getValue().get(p) != null);
            if (!complete) {
                continue;
            }
            if (startOf.containsKey(hood)) {
                firstTreated.put(hood, periods.indexOf(bucket(startOf.get(hood), period).toString()));
            } else {
                comparison.add(hood);
            }
            for (int t = 0; t < periods.size(); t++) {
                observations.add(new StaggeredAdoption.Observation(hood, t, entry.getValue().get(periods.get(t))));
            }
        }
        if (comparison.size() < PublishedPanel.MIN_CONTROLS && startOf.size() < 2) {
            throw new PublishedPanel.NotEnoughData("only " + comparison.size() + " neighbourhood(s) without the activities "
                    + "have every figure published in the window; at least " + PublishedPanel.MIN_CONTROLS + " are needed");
        }
        return new StaggeredSource(new StaggeredAdoption.Input(observations, firstTreated, periods), activityIds,
                new ArrayList<>(startOf.keySet()), comparison, first);
    }

    /**
     * A CSV panel whose units start at different periods.
     *
     * @param firstTreated each treated unit's first treated period, as a label of the period column
     *                     (units absent: never treated)
     */
    static StaggeredSource fromCsv(CsvPanel table, String unit, String period, String outcome,
                                   Map<String, String> firstTreated) {
        List<String> periods = Panel.inTimeOrder(table.values(period));
        List<StaggeredAdoption.Observation> observations = new ArrayList<>();
        for (CSVRecord row : table.rows()) {
            if (!CsvPanel.missing(row.get(outcome))) {
                observations.add(new StaggeredAdoption.Observation(row.get(unit), periods.indexOf(row.get(period)),
                        table.number(row, outcome)));
            }
        }
        Map<String, Integer> first = new LinkedHashMap<>();
        firstTreated.forEach((u, label) -> first.put(u, periods.indexOf(label)));
        List<String> comparison = observations.stream().map(StaggeredAdoption.Observation::unit).distinct()
                .filter(u -> !first.containsKey(u)).toList();
        return new StaggeredSource(new StaggeredAdoption.Input(observations, first, periods), List.of(),
                new ArrayList<>(first.keySet()), comparison, null);
    }

    private static LocalDate bucket(LocalDate date, PublishedPanel.Period period) {
        return period == PublishedPanel.Period.WEEKLY ? date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)) : date;
    }
}
