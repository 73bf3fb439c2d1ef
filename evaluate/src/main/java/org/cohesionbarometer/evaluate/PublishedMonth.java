package org.cohesionbarometer.evaluate;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the monthly bulletin shows of a city (or one of its neighbourhoods), read from the published
 * views only, so that the read-only role (barometer_dashboard) can make it: figures withheld there
 * stay withheld here, and nothing is recomputed from rows the views do not publish.
 */
record PublishedMonth(String city, YearMonth month, Optional<String> neighbourhood, int k,
                      Figures headline, Figures previous, List<Area> areas, List<Week> weeks, HoursWithheld hours,
                      double[] sentimentByHour, long[] tapsByHour, double[] sentimentByWeekday, long[] tapsByWeekday,
                      List<ActivityRow> activities, List<EvaluationRow> evaluations, List<NetworkRow> network) {

    /** A period's published figures (null: withheld, or no data). */
    record Figures(Long people, Double index, Double lower, Double upper, Double participation, Double diversity,
                   Double mixing, Double sentiment, List<String> withheld) {
        static final Figures NONE = new Figures(null, null, null, null, null, null, null, null, List.of());

        boolean published() {
            return people != null;
        }

        /** The standard error behind the 95% interval, where there is one. */
        Double standardError() {
            return lower == null || upper == null ? null : (upper - lower) / (2 * 1.96);
        }
    }

    /** A neighbourhood: this month's and last month's figures. */
    record Area(String id, String name, Figures month, Figures before) {
        Double change() {
            return month.index() == null || before.index() == null ? null : month.index() - before.index();
        }
    }

    /** A week overlapping the month, per neighbourhood (id) or the whole city (''). */
    record Week(String neighbourhoodId, LocalDate start, Double index, boolean withheld) {
    }

    /** How many neighbourhood-hours with activity were published and how many withheld in the month. */
    record HoursWithheld(long published, long withheld) {
    }

    record ActivityRow(String title, String type, String neighbourhood, LocalDate startsAt, LocalDate endsAt,
                       boolean startedThisMonth) {
    }

    /** A stored evaluation: the activity's title (its id when no longer registered), the indicator, the method, the result. */
    record EvaluationRow(String activity, String indicator, String method, LocalDate start, Double estimate,
                         Double lower, Double upper, Double pValue, String summary, Instant createdAt) {
    }

    record NetworkRow(String indicator, String basis, Double value, Long rank, Long cities, Double median,
                      Double lowerQuartile, Double upperQuartile, String source) {
    }

    static Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The cities the published views know, for an error that names them. */
    static List<String> cities(Connection db) throws SQLException {
        List<String> cities = new ArrayList<>();
        try (ResultSet rs = db.createStatement().executeQuery("SELECT DISTINCT city FROM neighbourhoods ORDER BY 1")) {
            while (rs.next()) {
                cities.add(rs.getString(1));
            }
        }
        return cities;
    }

    /** The neighbourhoods of a city: id and name, by name. */
    static List<String[]> neighbourhoods(Connection db, String city) throws SQLException {
        List<String[]> hoods = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement("SELECT id, name FROM neighbourhoods WHERE city = ? ORDER BY name, id")) {
            q.setString(1, city);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    hoods.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        return hoods;
    }

    static PublishedMonth read(Connection db, String city, YearMonth month, Optional<String> only) throws SQLException {
        List<String[]> hoods = neighbourhoods(db, city);
        if (only.isPresent()) {
            hoods = hoods.stream().filter(h -> h[0].equals(only.get())).toList();
        }
        String scope = only.orElse("");
        int k = k(db);
        Figures headline = figures(db, city, scope, "month", start(month));
        Figures previous = figures(db, city, scope, "month", start(month.minusMonths(1)));
        List<Area> areas = new ArrayList<>();
        for (String[] h : hoods) {
            areas.add(new Area(h[0], h[1], figures(db, city, h[0], "month", start(month)),
                    figures(db, city, h[0], "month", start(month.minusMonths(1)))));
        }
        List<Week> weeks = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement("""
                SELECT neighbourhood_id, period_start, cohesion_index, cardinality(withheld) > 0
                  FROM published_period_figures
                 WHERE city = ? AND period = 'week' AND period_start < ? AND period_end > ?
                 ORDER BY period_start, neighbourhood_id""")) {
            q.setString(1, city);
            q.setTimestamp(2, Timestamp.from(start(month.plusMonths(1))));
            q.setTimestamp(3, Timestamp.from(start(month)));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    weeks.add(new Week(rs.getString(1), rs.getTimestamp(2).toInstant().atOffset(ZoneOffset.UTC).toLocalDate(),
                            nullable(rs, 3), rs.getBoolean(4)));
                }
            }
        }
        String hoodFilter = "neighbourhood_id IN (SELECT id FROM neighbourhoods WHERE city = ?)"
                + (only.isPresent() ? " AND neighbourhood_id = ?" : "");
        HoursWithheld hours;
        try (PreparedStatement q = db.prepareStatement("SELECT count(*) FILTER (WHERE headcount IS NOT NULL), "
                + "count(*) FILTER (WHERE headcount IS NULL) FROM published_neighbourhood_hourly "
                + "WHERE activity_id = '' AND window_start >= ? AND window_start < ? AND " + hoodFilter)) {
            bindPeriod(q, month, city, only);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                hours = new HoursWithheld(rs.getLong(1), rs.getLong(2));
            }
        }
        double[] byHour = new double[24];
        long[] tapsByHour = new long[24];
        double[] byWeekday = new double[7];
        long[] tapsByWeekday = new long[7];
        Arrays.fill(byHour, Double.NaN);
        Arrays.fill(byWeekday, Double.NaN);
        for (String[] grouping : new String[][] {{"extract(hour FROM window_start AT TIME ZONE 'UTC')", "h"},
                {"extract(isodow FROM window_start AT TIME ZONE 'UTC') - 1", "d"}}) {
            try (PreparedStatement q = db.prepareStatement("SELECT " + grouping[0] + " AS slot, sum(taps), "
                    + "sum(taps * sentiment_index) / sum(taps) FROM published_sentiment_hourly "
                    + "WHERE taps IS NOT NULL AND window_start >= ? AND window_start < ? AND " + hoodFilter + " GROUP BY 1")) {
                bindPeriod(q, month, city, only);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        int slot = rs.getInt(1);
                        if (grouping[1].equals("h")) {
                            tapsByHour[slot] = rs.getLong(2);
                            byHour[slot] = rs.getDouble(3);
                        } else {
                            tapsByWeekday[slot] = rs.getLong(2);
                            byWeekday[slot] = rs.getDouble(3);
                        }
                    }
                }
            }
        }
        List<ActivityRow> activities = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement("""
                SELECT a.title, a.type, n.name, a.starts_at, a.ends_at
                  FROM activities a JOIN neighbourhoods n ON n.id = a.neighbourhood_id
                 WHERE n.city = ? AND (? = '' OR n.id = ?) AND (a.starts_at IS NULL OR a.starts_at < ?)
                   AND (a.ends_at IS NULL OR a.ends_at >= ?)
                 ORDER BY a.starts_at DESC NULLS LAST, a.title""")) {
            q.setString(1, city);
            q.setString(2, scope);
            q.setString(3, scope);
            q.setTimestamp(4, Timestamp.from(start(month.plusMonths(1))));
            q.setTimestamp(5, Timestamp.from(start(month)));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    LocalDate starts = date(rs.getTimestamp(4));
                    activities.add(new ActivityRow(rs.getString(1), rs.getString(2), rs.getString(3), starts,
                            date(rs.getTimestamp(5)), starts != null && YearMonth.from(starts).equals(month)));
                }
            }
        }
        List<EvaluationRow> evaluations = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement("""
                SELECT coalesce(a.title, e.activity_id), e.indicator, e.method, e.start_date, e.estimate, e.ci_lower, e.ci_upper, e.p_value,
                       e.summary, e.created_at
                  FROM evaluation_results e
                  LEFT JOIN activities a ON a.id = e.activity_id
                 WHERE e.neighbourhood_ids && ARRAY(SELECT id FROM neighbourhoods WHERE city = ? AND (? = '' OR id = ?))
                   AND e.start_date < ?
                 ORDER BY e.created_at DESC, e.evaluation_id, e.method""")) {
            q.setString(1, city);
            q.setString(2, scope);
            q.setString(3, scope);
            q.setTimestamp(4, Timestamp.from(start(month.plusMonths(1))));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    evaluations.add(new EvaluationRow(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getDate(4).toLocalDate(), nullable(rs, 5), nullable(rs, 6), nullable(rs, 7), nullable(rs, 8),
                            rs.getString(9), rs.getTimestamp(10).toInstant()));
                }
            }
        }
        List<NetworkRow> network = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement("""
                SELECT indicator, basis, value, rank, network_cities, median, lower_quartile, upper_quartile, source
                  FROM published_network_comparison
                 WHERE city = ? AND period = 'month' AND period_start = ?
                 ORDER BY array_position(ARRAY['cohesion_index', 'participation', 'diversity', 'mixing', 'sentiment'], indicator),
                          basis""")) {
            q.setString(1, city);
            q.setTimestamp(2, Timestamp.from(start(month)));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    network.add(new NetworkRow(rs.getString(1), rs.getString(2), nullable(rs, 3),
                            (Long) rs.getObject(4, Long.class), (Long) rs.getObject(5, Long.class), nullable(rs, 6),
                            nullable(rs, 7), nullable(rs, 8), rs.getString(9)));
                }
            }
        }
        return new PublishedMonth(city, month, only, k, headline, previous, areas, weeks, hours, byHour, tapsByHour,
                byWeekday, tapsByWeekday, activities, evaluations, network);
    }

    private static void bindPeriod(PreparedStatement q, YearMonth month, String city, Optional<String> only) throws SQLException {
        q.setTimestamp(1, Timestamp.from(start(month)));
        q.setTimestamp(2, Timestamp.from(start(month.plusMonths(1))));
        q.setString(3, city);
        if (only.isPresent()) {
            q.setString(4, only.get());
        }
    }

    private static int k(Connection db) throws SQLException {
        try (ResultSet rs = db.createStatement().executeQuery(
                "SELECT coalesce(max(k), 10) FROM published_period_figures")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static Figures figures(Connection db, String city, String scope, String period, Instant start) throws SQLException {
        try (PreparedStatement q = db.prepareStatement("""
                SELECT people, cohesion_index, cohesion_index_lower95, cohesion_index_upper95, participation, diversity,
                       mixing, sentiment, withheld
                  FROM published_period_figures
                 WHERE city = ? AND neighbourhood_id = ? AND period = ? AND period_start = ?""")) {
            q.setString(1, city);
            q.setString(2, scope);
            q.setString(3, period);
            q.setTimestamp(4, Timestamp.from(start));
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Figures.NONE;
                }
                Array withheld = rs.getArray(9);
                return new Figures((Long) rs.getObject(1, Long.class), nullable(rs, 2), nullable(rs, 3), nullable(rs, 4),
                        nullable(rs, 5), nullable(rs, 6), nullable(rs, 7), nullable(rs, 8),
                        List.of((String[]) withheld.getArray()));
            }
        }
    }

    private static Double nullable(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    private static LocalDate date(Timestamp t) {
        return t == null ? null : t.toInstant().atOffset(ZoneOffset.UTC).toLocalDate();
    }
}
