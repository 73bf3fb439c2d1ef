package org.cohesionbarometer.allinone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.cohesionbarometer.clients.simulator.DemoCity;
import org.cohesionbarometer.evaluate.BulletinCommand;
import org.cohesionbarometer.evaluate.EvaluateCommand;
import org.cohesionbarometer.infra.InJvmPostgres;
import org.cohesionbarometer.schemas.SmallCells;
import org.cohesionbarometer.schemas.indicator.MixingCell;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;
import org.cohesionbarometer.schemas.indicator.SentimentCell;
import org.cohesionbarometer.sink.IndicatorTable;
import org.cohesionbarometer.sink.Migrations;
import org.cohesionbarometer.streams.indicators.CohesionIndex;
import org.cohesionbarometer.streams.indicators.WindowIndicators;
import picocli.CommandLine;

/**
 * The demo bulletin: two months (October and November 2026) of the demo city, Riverton, and its
 * neighbour, Lakeside, both taking part in the network comparison, drawn from the demo cities'
 * model hour by hour (who came, who met whom, how the kiosks were tapped; some hours too small to
 * publish), their indicators derived by the streams stage's own formulas and written through the
 * sink into an embedded PostgreSQL. Old Town's language café opens on 2 November and is evaluated
 * with the evaluate command, which stores its result; then {@code report} writes Riverton's
 * November bulletin as the read-only role.
 *
 * <p>As for the demo report, the history goes straight to the sink's write path: the ingest API and
 * the streams stage rightly refuse events this old.
 */
public final class DemoBulletin {
    static final YearMonth MONTH = YearMonth.of(2026, 11);
    static final Instant FIRST_DAY = Instant.parse("2026-10-01T00:00:00Z");
    static final Instant LAST_DAY = Instant.parse("2026-12-01T00:00:00Z");
    static final Instant CAFE_OPENS = Instant.parse("2026-11-02T17:00:00Z");
    static final String CAFE = "old-town-language-cafe";
    static final int[] HOURS = {11, 14, 17, 18, 19, 20};
    /** The read-only role's password in the temporary database. */
    static final String DASHBOARD_PASSWORD = "demo-bulletin";

    /** Riverton with its café opening on 2 November, everything else running since long before; and Lakeside. */
    static List<DemoCity> cities() {
        Instant longAgo = FIRST_DAY.minus(Duration.ofDays(365));
        List<DemoCity> cities = new ArrayList<>();
        for (DemoCity city : List.of(DemoCity.riverton(FIRST_DAY), DemoCity.lakeside(FIRST_DAY))) {
            List<DemoCity.Quarter> quarters = new ArrayList<>();
            for (DemoCity.Quarter q : city.quarters()) {
                quarters.add(new DemoCity.Quarter(q.id(), q.name(), q.lat(), q.lon(), q.groupShares(), q.activities().stream()
                        .map(v -> new DemoCity.Venture(v.id(), v.title(), v.type(), v.id().equals(CAFE) ? CAFE_OPENS : longAgo,
                                v.baselineMixing(), v.mixingWhenRunning())).toList(), q.kiosks()));
            }
            cities.add(new DemoCity(city.name(), quarters));
        }
        return cities;
    }

    /** Writes both cities' history, reference data and network membership into a migrated database. */
    static void writeHistory(Connection db, List<DemoCity> cities, long seed) throws SQLException {
        db.setAutoCommit(false);
        SplittableRandom random = new SplittableRandom(seed);
        WindowIndicators indicators = new WindowIndicators(SmallCells.DEFAULT, CohesionIndex.EQUAL_WEIGHTS);
        List<NeighbourhoodIndicators> windows = new ArrayList<>();
        for (Instant day = FIRST_DAY; day.isBefore(LAST_DAY); day = day.plus(Duration.ofDays(1))) {
            for (int hour : HOURS) {
                Instant start = day.plus(Duration.ofHours(hour));
                for (DemoCity city : cities) {
                    for (DemoCity.Quarter quarter : city.quarters()) {
                        NeighbourhoodIndicators window = hour(quarter, start, random);
                        window.setIndicators(indicators.derive(window));
                        windows.add(window);
                    }
                }
            }
        }
        IndicatorTable.upsert(db, windows);
        try (PreparedStatement city = db.prepareStatement("INSERT INTO cities (id, name, in_network) VALUES (?, ?, true) "
                + "ON CONFLICT (id) DO NOTHING");
             PreparedStatement hood = db.prepareStatement("INSERT INTO neighbourhoods (id, name, city, centroid_lat, centroid_lon) "
                     + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING");
             PreparedStatement activity = db.prepareStatement("INSERT INTO activities (id, title, type, neighbourhood_id, "
                     + "organiser_id, starts_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
            for (DemoCity c : cities) {
                city.setString(1, c.name());
                city.setString(2, c.name());
                city.addBatch();
                for (DemoCity.Quarter q : c.quarters()) {
                    hood.setString(1, q.id());
                    hood.setString(2, q.name());
                    hood.setString(3, c.name());
                    hood.setDouble(4, q.lat());
                    hood.setDouble(5, q.lon());
                    hood.addBatch();
                    for (DemoCity.Venture v : q.activities()) {
                        activity.setString(1, v.id());
                        activity.setString(2, v.title());
                        activity.setString(3, v.type());
                        activity.setString(4, q.id());
                        activity.setString(5, "org-" + q.id());
                        activity.setTimestamp(6, Timestamp.from(v.startsAt()));
                        activity.addBatch();
                    }
                }
            }
            city.executeBatch();
            hood.executeBatch();
            activity.executeBatch();
        }
        try (Statement st = db.createStatement()) {
            st.execute("INSERT INTO reference_values (indicator, scope, value, source, as_of) VALUES ('cohesion_index', "
                    + "'network', 52, 'an example typed in by hand for the demo, not a real benchmark', '2026-06-30') "
                    + "ON CONFLICT DO NOTHING");
        }
        db.commit();
    }

    /**
     * One hour of a neighbourhood: who came (fewer on weekday mornings, some hours too small to
     * publish), how many came back, who met whom, how the kiosk was tapped (happier in the evening
     * and at weekends).
     */
    private static NeighbourhoodIndicators hour(DemoCity.Quarter quarter, Instant start, SplittableRandom random) {
        int hourOfDay = start.atOffset(ZoneOffset.UTC).getHour();
        DayOfWeek weekday = start.atOffset(ZoneOffset.UTC).getDayOfWeek();
        boolean weekend = weekday == DayOfWeek.SATURDAY || weekday == DayOfWeek.SUNDAY;
        int people = (hourOfDay >= 17 ? 14 : 4) + random.nextInt(hourOfDay >= 17 ? 22 : 12) + (weekend ? 6 : 0);
        Map<String, Long> groups = new TreeMap<>();
        for (int i = 0; i < people; i++) {
            groups.merge(DemoCityReport.draw(quarter.groupShares(), random), 1L, Long::sum);
        }
        long sustained = 0;
        for (int i = 0; i < people; i++) {
            sustained += random.nextDouble() < 0.35 + 0.1 * Math.min(1, quarter.groupShares().size() / 5.0) ? 1 : 0;
        }
        Map<String, Long> cells = new TreeMap<>();
        int contacts = people / 2 + random.nextInt(6);
        long cross = 0;
        for (int i = 0; i < contacts; i++) {
            DemoCity.Venture venture = quarter.activities().get(random.nextInt(quarter.activities().size()));
            double crossing = venture.startsAt().isAfter(start) ? venture.baselineMixing() : venture.mixingWhenRunning();
            String a = DemoCityReport.draw(quarter.groupShares(), random);
            List<String> others = quarter.groupShares().keySet().stream().filter(g -> !g.equals(a)).sorted().toList();
            String b = random.nextDouble() < crossing && !others.isEmpty() ? others.get(random.nextInt(others.size())) : a;
            cross += a.equals(b) ? 0 : 1;
            cells.merge(a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a, 1L, Long::sum);
        }
        List<MixingCell> mixing = new ArrayList<>();
        cells.forEach((pair, n) -> mixing.add(new MixingCell(pair.split("\\|")[0], pair.split("\\|")[1], n)));
        Map<Integer, Long> levels = new TreeMap<>();
        int taps = (hourOfDay >= 17 ? 6 : 5) + random.nextInt(hourOfDay >= 17 ? 14 : 10);
        double mood = 3.2 + (hourOfDay >= 18 ? 0.5 : 0) + (weekend ? 0.4 : 0) + 0.6 * quarter.groupShares().size() / 5.0;
        for (int i = 0; i < taps; i++) {
            levels.merge((int) Math.max(1, Math.min(5, Math.round(mood + random.nextGaussian() * 0.9))), 1L, Long::sum);
        }
        List<SentimentCell> sentiment = new ArrayList<>();
        levels.forEach((level, n) -> sentiment.add(new SentimentCell("feel-welcome", 5, level, n)));
        return NeighbourhoodIndicators.newBuilder()
                .setNeighbourhoodId(quarter.id()).setWindowStart(start).setWindowEnd(start.plus(Duration.ofHours(1)))
                .setCheckIns(people).setHeadcount(people).setGroupHeadcounts(new HashMap<>(groups))
                .setUniqueParticipants(people).setSustainedParticipants(sustained).setContacts(contacts)
                .setCrossGroupContacts(cross).setMixing(mixing).setSentiment(sentiment)
                .setLastEventTime(start.plusSeconds(3300)).setIsFinal(true)
                .build();
    }

    /** The history, the café's evaluation (stored) and the read-only role's login, in a migrated database. */
    static void prepare(InJvmPostgres postgres) throws Exception {
        Migrations.apply(postgres.jdbcUrl(), postgres.user(), postgres.password());
        try (Connection db = postgres.connect()) {
            writeHistory(db, cities(), 2026);
            db.setAutoCommit(true);
            db.createStatement().execute("ALTER ROLE barometer_dashboard LOGIN PASSWORD '" + DASHBOARD_PASSWORD + "'");
        }
        int evaluated = new CommandLine(new EvaluateCommand()).execute("--activity", CAFE, "--indicator", "cross_group_share",
                "--periods", "weekly", "--periods-before", "4", "--periods-after", "4", "--controls", "market,riverside,hillside",
                "--jdbc-url", postgres.jdbcUrl(), "--db-user", postgres.user(), "--db-password", postgres.password());
        if (evaluated != 0) {
            throw new IllegalStateException("the café's evaluation ended with exit code " + evaluated);
        }
    }

    /** Riverton's November bulletin, as the read-only role; returns the report command's exit code. */
    static int bulletin(InJvmPostgres postgres, Path html) {
        return new CommandLine(new BulletinCommand()).execute("--city", "Riverton", "--month", MONTH.toString(),
                "--out", html.toString(), "--jdbc-url", postgres.jdbcUrl(), "--user", "barometer_dashboard",
                "--password", DASHBOARD_PASSWORD);
    }

    /** Builds the history in a fresh embedded PostgreSQL and writes the bulletin; returns the exit code. */
    public static int write(Path html) throws Exception {
        try (InJvmPostgres postgres = InJvmPostgres.startTemporary()) {
            prepare(postgres);
            return bulletin(postgres, html);
        }
    }

    public static void main(String[] args) throws Exception {
        Path html = Path.of(args.length > 0 ? args[0] : "target/demo-city-bulletin.html").toAbsolutePath();
        Files.createDirectories(html.getParent());
        System.exit(write(html));
    }

    private DemoBulletin() {
    }
}
