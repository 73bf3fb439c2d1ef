package org.cohesionbarometer.evaluate;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.apache.commons.csv.CSVFormat;
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

    /** A CSV panel with a column naming each unit's first treated period (empty, NA or 0-less: never treated). */
    static StaggeredSource fromCsv(Path file, String unit, String period, String outcome, String firstTreated)
            throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (CSVRecord row : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
                for (String column : List.of(unit, period, outcome, firstTreated)) {
                    if (!row.isMapped(column)) {
                        throw new IllegalArgumentException(file + ": no column '" + column + "' (columns: "
                                + row.getParser().getHeaderNames() + ")");
                    }
                }
                rows.add(new String[] {row.get(unit), row.get(period), row.get(outcome).trim(), row.get(firstTreated).trim(),
                        Long.toString(row.getRecordNumber())});
            }
        }
        List<String> periods = Panel.inTimeOrder(rows.stream().map(r -> r[1]).toList());
        List<StaggeredAdoption.Observation> observations = new ArrayList<>();
        Map<String, Integer> first = new LinkedHashMap<>();
        for (String[] r : rows) {
            if (!r[3].isEmpty() && !r[3].equalsIgnoreCase("NA") && !r[3].equals("0")) {
                int index = periods.indexOf(r[3]);
                first.put(r[0], index >= 0 ? index : Integer.MAX_VALUE);
            }
            if (r[2].isEmpty() || r[2].equalsIgnoreCase("NA")) {
                continue;
            }
            try {
                observations.add(new StaggeredAdoption.Observation(r[0], periods.indexOf(r[1]), Double.parseDouble(r[2])));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + " row " + r[4] + ", column '" + outcome + "': '" + r[2] + "' is not a number");
            }
        }
        List<String> comparison = observations.stream().map(StaggeredAdoption.Observation::unit).distinct()
                .filter(u -> !first.containsKey(u)).toList();
        return new StaggeredSource(new StaggeredAdoption.Input(observations, first, periods), List.of(),
                new ArrayList<>(first.keySet()), comparison, null);
    }

    private static LocalDate bucket(LocalDate date, PublishedPanel.Period period) {
        return period == PublishedPanel.Period.WEEKLY ? date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)) : date;
    }
}
