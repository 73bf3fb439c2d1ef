package org.cohesionbarometer.allinone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.cohesionbarometer.evaluate.EvaluateCommand;
import org.cohesionbarometer.infra.InJvmPostgres;
import org.cohesionbarometer.clients.simulator.DemoCity;
import org.cohesionbarometer.schemas.indicator.MixingCell;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;
import org.cohesionbarometer.schemas.indicator.SentimentCell;
import org.cohesionbarometer.sink.IndicatorTable;
import org.cohesionbarometer.sink.Migrations;
import picocli.CommandLine;

/**
 * The evaluation report of the embedded demo city, Riverton: twelve weeks of evening gatherings
 * in its five neighbourhoods, drawn from the demo city's own model (each neighbourhood's group
 * shares; contacts that cross groups at an activity's baseline rate before it starts and at its
 * running rate after), written through the sink into an embedded PostgreSQL, then evaluated with
 * the evaluate command: did Old Town's language café, which opens in week 7, raise the share of
 * contacts that cross groups, compared with neighbourhoods that opened nothing new?
 *
 * <p>The history goes straight to the sink's write path rather than through ingest and streams:
 * twelve-week-old events are, rightly, refused by the ingest API (BAROMETER_INGEST_MAX_AGE), left
 * out as late by the streams stage (BAROMETER_GRACE) and expired by Kafka's retention.
 *
 * <pre>./mvnw -q -Pdemo-report                      (writes target/demo-city-report.html)</pre>
 */
public final class DemoCityReport {
    static final Instant FIRST_DAY = Instant.parse("2026-01-05T00:00:00Z");
    static final int WEEKS = 12;
    static final Instant CAFE_OPENS = Instant.parse("2026-02-16T18:00:00Z");
    static final Instant DINNER_STARTS = Instant.parse("2026-03-09T18:00:00Z");
    static final String CAFE = "old-town-language-cafe";

    /** Riverton with its café opening in week 7 and the harbour dinner in week 10; everything else already running. */
    static DemoCity riverton() {
        DemoCity city = DemoCity.riverton(FIRST_DAY);
        Instant longAgo = FIRST_DAY.minus(Duration.ofDays(365));
        List<DemoCity.Quarter> quarters = new ArrayList<>();
        for (DemoCity.Quarter q : city.quarters()) {
            List<DemoCity.Venture> ventures = q.activities().stream().map(v -> new DemoCity.Venture(v.id(), v.title(), v.type(),
                    v.id().equals(CAFE) ? CAFE_OPENS : v.id().equals("harbour-dinner") ? DINNER_STARTS : longAgo,
                    v.baselineMixing(), v.mixingWhenRunning())).toList();
            quarters.add(new DemoCity.Quarter(q.id(), q.name(), q.lat(), q.lon(), q.groupShares(), ventures, q.kiosks()));
        }
        return new DemoCity(city.name(), quarters);
    }

    /** Writes the history into a migrated database. */
    static void writeHistory(Connection db, DemoCity city, long seed) throws SQLException {
        db.setAutoCommit(false);
        SplittableRandom random = new SplittableRandom(seed);
        List<NeighbourhoodIndicators> windows = new ArrayList<>();
        for (int day = 0; day < WEEKS * 7; day++) {
            for (int hour : new int[] {18, 19}) {
                Instant start = FIRST_DAY.plus(Duration.ofDays(day)).plus(Duration.ofHours(hour));
                for (DemoCity.Quarter quarter : city.quarters()) {
                    windows.add(evening(quarter, start, random));
                }
            }
        }
        IndicatorTable.upsert(db, windows);
        try (PreparedStatement hood = db.prepareStatement("INSERT INTO neighbourhoods (id, name, city, centroid_lat, centroid_lon) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING");
             PreparedStatement activity = db.prepareStatement("INSERT INTO activities (id, title, type, neighbourhood_id, "
                     + "organiser_id, starts_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
            for (DemoCity.Quarter q : city.quarters()) {
                hood.setString(1, q.id());
                hood.setString(2, q.name());
                hood.setString(3, city.name());
                hood.setDouble(4, q.lat());
                hood.setDouble(5, q.lon());
                hood.addBatch();
                for (DemoCity.Venture v : q.activities()) {
                    activity.setString(1, v.id());
                    activity.setString(2, v.title());
                    activity.setString(3, v.type());
                    activity.setString(4, q.id());
                    activity.setString(5, q.id() + "-organiser");
                    activity.setTimestamp(6, Timestamp.from(v.startsAt()));
                    activity.addBatch();
                }
            }
            hood.executeBatch();
            activity.executeBatch();
        }
        db.commit();
    }

    /** One evening hour of a neighbourhood: who came, who met whom, how the kiosk was tapped. */
    private static NeighbourhoodIndicators evening(DemoCity.Quarter quarter, Instant start, SplittableRandom random) {
        Map<String, Long> groups = new TreeMap<>();
        int people = 20 + random.nextInt(15);
        for (int i = 0; i < people; i++) {
            groups.merge(draw(quarter.groupShares(), random), 1L, Long::sum);
        }
        Map<String, Long> cells = new TreeMap<>();
        int contacts = 15 + random.nextInt(10);
        long cross = 0;
        for (int i = 0; i < contacts; i++) {
            DemoCity.Venture venture = quarter.activities().get(random.nextInt(quarter.activities().size()));
            double crossing = venture.startsAt().isAfter(start) ? venture.baselineMixing() : venture.mixingWhenRunning();
            String a = draw(quarter.groupShares(), random);
            List<String> others = quarter.groupShares().keySet().stream().filter(g -> !g.equals(a)).sorted().toList();
            String b = random.nextDouble() < crossing && !others.isEmpty() ? others.get(random.nextInt(others.size())) : a;
            cross += a.equals(b) ? 0 : 1;
            cells.merge(a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a, 1L, Long::sum);
        }
        List<MixingCell> mixing = new ArrayList<>();
        cells.forEach((pair, n) -> mixing.add(new MixingCell(pair.split("\\|")[0], pair.split("\\|")[1], n)));
        Map<Integer, Long> levels = new TreeMap<>();
        for (int i = 0; i < 6; i++) {
            levels.merge(1 + Math.min(4, (int) Math.floor(Math.abs(3.6 + random.nextGaussian() * 0.9))), 1L, Long::sum);
        }
        List<SentimentCell> sentiment = new ArrayList<>();
        levels.forEach((level, taps) -> sentiment.add(new SentimentCell("feel-welcome", 5, level, taps)));
        return NeighbourhoodIndicators.newBuilder()
                .setNeighbourhoodId(quarter.id()).setWindowStart(start).setWindowEnd(start.plus(Duration.ofHours(1)))
                .setCheckIns(people).setHeadcount(people).setGroupHeadcounts(new HashMap<>(groups))
                .setUniqueParticipants(people).setContacts(contacts).setCrossGroupContacts(cross).setMixing(mixing)
                .setSentiment(sentiment).setLastEventTime(start.plusSeconds(3300)).setIsFinal(true)
                .build();
    }

    /** One key drawn at random, each as likely as its share (the shares add up to 1). */
    static String draw(Map<String, Double> shares, SplittableRandom random) {
        double u = random.nextDouble();
        double cumulative = 0;
        String last = null;
        for (var share : new TreeMap<>(shares).entrySet()) {
            cumulative += share.getValue();
            last = share.getKey();
            if (u < cumulative) {
                return last;
            }
        }
        return last;
    }

    /** Builds the history in a fresh embedded PostgreSQL and writes the report; returns the evaluate command's exit code. */
    public static int write(Path html) throws Exception {
        try (InJvmPostgres postgres = InJvmPostgres.startTemporary()) {
            Migrations.apply(postgres.jdbcUrl(), postgres.user(), postgres.password());
            try (Connection db = postgres.connect()) {
                writeHistory(db, riverton(), 2026);
            }
            Path json = html.resolveSibling(html.getFileName().toString().replaceFirst("\\.html?$", "") + ".json");
            return new CommandLine(new EvaluateCommand()).execute("--activity", CAFE, "--indicator", "cross_group_share",
                    "--periods", "weekly", "--periods-before", "6", "--periods-after", "6",
                    "--jdbc-url", postgres.jdbcUrl(), "--db-user", postgres.user(), "--db-password", postgres.password(),
                    "--html", html.toString(), "--json", json.toString());
        }
    }

    public static void main(String[] args) throws Exception {
        Path html = Path.of(args.length > 0 ? args[0] : "target/demo-city-report.html").toAbsolutePath();
        Files.createDirectories(html.getParent());
        System.exit(write(html));
    }

    private DemoCityReport() {
    }
}
