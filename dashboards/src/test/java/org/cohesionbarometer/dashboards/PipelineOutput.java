package org.cohesionbarometer.dashboards;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.avro.specific.SpecificRecord;
import org.cohesionbarometer.schemas.Topics;
import org.cohesionbarometer.schemas.indicator.ActivityGroupCell;
import org.cohesionbarometer.schemas.indicator.CityIndicators;
import org.cohesionbarometer.schemas.indicator.MixingCell;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;
import org.cohesionbarometer.schemas.indicator.PublishedIndicators;
import org.cohesionbarometer.schemas.indicator.SentimentCell;
import org.cohesionbarometer.schemas.indicator.SentimentIndicator;
import org.cohesionbarometer.sink.CityTable;
import org.cohesionbarometer.sink.IndicatorTable;
import org.cohesionbarometer.sink.RefusedUpdates;

/**
 * A small city's worth of what the pipeline writes, through the sink's own write path: ten weeks
 * of evening sessions in three neighbourhoods (a language café opening in Old Town half-way),
 * one hour too small to publish, the last five weeks again relative to now (for the alert rules:
 * Hillside's index falls by 20 points in the last week; Ashford's Old Town, a namesake in another
 * city, holds steady), the city's days (one with too few
 * declared visits to publish its segregation), two updates the database refuses (an Old Town hour
 * and a city day, left marked as behind), reference data, arrivals with one kiosk silent for 30
 * hours, dead letters, consumer lag, a reference value and an evaluation result.
 */
final class PipelineOutput {
    static final Instant FIRST_DAY = Instant.parse("2026-01-05T00:00:00Z");
    static final Instant CAFE_STARTS = Instant.parse("2026-02-16T18:00:00Z");
    static final List<String> NEIGHBOURHOODS = List.of("old-town", "riverside", "hillside");
    /** Another city's Old Town: neighbourhood names are unique only within a city. */
    static final String NAMESAKE = "ashford-old-town";
    static final Instant SMALL_CITY_DAY = FIRST_DAY.plus(Duration.ofDays(5));
    static final Instant TODAY = Instant.now().truncatedTo(ChronoUnit.DAYS);
    /** Yesterday's: an update of a week-old window would meet a compressed chunk on TimescaleDB, and MERGE refuses that. */
    static final Instant REFUSED_CITY_DAY = TODAY.minus(Duration.ofDays(1));
    static final Instant REFUSED_HOUR = REFUSED_CITY_DAY.plus(Duration.ofHours(18));

    static void writeInto(Connection db) throws SQLException {
        db.setAutoCommit(false);
        SplittableRandom random = new SplittableRandom(42);
        List<NeighbourhoodIndicators> windows = new ArrayList<>();
        for (int day = 0; day < 70; day++) {
            for (String hood : NEIGHBOURHOODS) {
                Instant evening = FIRST_DAY.plus(Duration.ofDays(day)).plus(Duration.ofHours(18));
                boolean cafeOpen = hood.equals("old-town") && !evening.isBefore(CAFE_STARTS);
                windows.add(window(hood, null, evening, 45 + (cafeOpen ? 10 : 0), random));
                windows.add(window(hood, null, evening.plus(Duration.ofHours(1)), 45, random));
                if (cafeOpen) {
                    windows.add(window(hood, "a-cafe", evening, 55, random));
                }
            }
        }
        windows.add(tooSmallToPublish(FIRST_DAY.plus(Duration.ofDays(3)).plus(Duration.ofHours(21))));
        Instant today = TODAY;
        for (int daysAgo = 35; daysAgo >= 1; daysAgo--) {
            for (String hood : NEIGHBOURHOODS) {
                double index = hood.equals("hillside") && daysAgo <= 6 ? 40 : 60;
                windows.add(window(hood, null, today.minus(Duration.ofDays(daysAgo)).plus(Duration.ofHours(18)), index, random));
            }
            windows.add(window(NAMESAKE, null, today.minus(Duration.ofDays(daysAgo)).plus(Duration.ofHours(18)), 60, random));
        }
        IndicatorTable.upsert(db, windows);

        List<CityIndicators> days = new ArrayList<>();
        List<Instant> starts = new ArrayList<>();
        for (int day = 0; day < 70; day++) {
            starts.add(FIRST_DAY.plus(Duration.ofDays(day)));
        }
        for (int daysAgo = 35; daysAgo >= 1; daysAgo--) {
            starts.add(today.minus(Duration.ofDays(daysAgo)));
        }
        for (Instant start : starts) {
            days.add(start.equals(SMALL_CITY_DAY) ? cityDay(start, 2, 3, 1, null, null) : cityDay(start, 30 + random.nextInt(20),
                    20 + random.nextInt(20), 10 + random.nextInt(10), 0.2 + random.nextDouble() * 0.1, 0.1 + random.nextDouble() * 0.05));
        }
        CityTable.upsert(db, days);
        // Mistakes, not rounding: figures outside their ranges, with more data than the updates stored before.
        NeighbourhoodIndicators refusedHour = window("old-town", null, REFUSED_HOUR, 150, random);
        refusedHour.setCheckIns(1000L);
        refusedHour.setHeadcount(1000L);
        refuse(db, refusedHour, Topics.NEIGHBOURHOOD_INDICATORS);
        refuse(db, cityDay(REFUSED_CITY_DAY, 400, 300, 200, 1.5, 0.3), Topics.CITY_INDICATORS);

        try (Statement s = db.createStatement()) {
            s.execute("""
                    INSERT INTO neighbourhoods (id, name, city, centroid_lat, centroid_lon, population) VALUES
                      ('old-town', 'Old Town', 'Riverton', 51.51, -0.12, 12000),
                      ('riverside', 'Riverside', 'Riverton', 51.50, -0.10, 9000),
                      ('hillside', 'Hillside', 'Riverton', 51.53, -0.14, 15000),
                      ('ashford-old-town', 'Old Town', 'Ashford', 51.15, 0.87, 7000);
                    INSERT INTO cities (id, name, in_network) VALUES ('Riverton', 'Riverton', true), ('Ashford', 'Ashford', true);
                    INSERT INTO activities (id, title, type, neighbourhood_id, organiser_id, starts_at) VALUES
                      ('a-cafe', 'Language café', 'LANGUAGE_CAFE', 'old-town', 'old-town-ngo', '2026-02-16T18:00:00Z');
                    INSERT INTO kiosks (id, neighbourhood_id, organiser_id, activity_id) VALUES
                      ('kiosk-1', 'old-town', 'old-town-ngo', 'a-cafe'), ('kiosk-2', 'hillside', 'hill-club', NULL);
                    INSERT INTO reference_values (indicator, scope, value, source, as_of) VALUES
                      ('cohesion_index', 'network', 55, 'test fixture, not a real benchmark', '2026-01-01');
                    INSERT INTO evaluation_results (evaluation_id, activity_id, neighbourhood_ids, control_ids, indicator,
                        method, start_date, estimate, std_error, ci_lower, ci_upper, p_value, pre_periods, post_periods,
                        warnings, summary) VALUES
                      ('eval-1', 'a-cafe', '{old-town}', '{riverside,hillside}', 'cohesion_index', 'did', '2026-02-16',
                       9.8, 2.1, 5.7, 13.9, 0.0001, 6, 4, '{}', 'The index rose by about 10 points more than in the controls.');
                    """);
            Instant now = Instant.now();
            s.execute("""
                    INSERT INTO signal_arrivals_hourly (hour, signal, source, activity_id, kiosk_id, kafka_partition, events,
                        last_event_time, last_arrival, last_offset) VALUES
                      ('%1$s', 'check-ins', 'APP', 'a-cafe', '', 0, 40, '%1$s', '%1$s', 39),
                      ('%1$s', 'check-ins', 'CSV', 'a-cafe', '', 1, 12, '%1$s', '%1$s', 11),
                      ('%2$s', 'sentiment-taps', 'KIOSK', '', 'kiosk-1', 0, 25, '%2$s', '%2$s', 64),
                      ('%3$s', 'sentiment-taps', 'KIOSK', '', 'kiosk-2', 1, 18, '%3$s', '%3$s', 30),
                      ('2026-03-14T18:00:00Z', 'check-ins', 'APP', 'a-cafe', '', 0, 30, '2026-03-14T18:10:00Z', '2026-03-14T18:20:00Z', 9);
                    INSERT INTO dead_letters_hourly (hour, source_topic, reason, kafka_partition, letters, last_offset) VALUES
                      ('2026-03-14T18:00:00Z', 'barometer.signals.check-ins', 'field groupCode: unknown group ''Z''', 0, 3, 2),
                      ('%1$s', 'barometer.indicators.neighbourhood-hourly', 'refused by the database: check constraint', 0, 1, 3);
                    INSERT INTO consumer_lag (measured_at, group_id, topic, kafka_partition, lag) VALUES
                      ('2026-03-14T18:00:00Z', 'cohesion-barometer-sink', 'barometer.indicators.neighbourhood-hourly', 0, 12),
                      ('%1$s', 'cohesion-barometer-sink', 'barometer.indicators.neighbourhood-hourly', 0, 0);
                    """.formatted(now.truncatedTo(ChronoUnit.HOURS), now.minus(Duration.ofHours(30)),
                    now.minus(Duration.ofHours(1))));
        }
        db.commit();
    }

    /** One hour of a neighbourhood (activityId null) or an activity, with indicators around {@code index}. */
    private static NeighbourhoodIndicators window(String hood, String activityId, Instant start, double index,
                                                  SplittableRandom random) {
        Map<String, Long> groups = new HashMap<>();
        long headcount = 0;
        for (String group : List.of("A", "B", "C")) {
            long n = 6 + random.nextInt(12);
            groups.put(group, n);
            headcount += n;
        }
        List<MixingCell> mixing = List.of(new MixingCell("A", "A", 10L + random.nextInt(5)),
                new MixingCell("A", "B", 10L + random.nextInt(8)), new MixingCell("B", "C", 3L + random.nextInt(10)));
        long contacts = mixing.stream().mapToLong(MixingCell::getContacts).sum();
        long cross = contacts - mixing.get(0).getContacts();
        List<SentimentCell> sentiment = List.of(new SentimentCell("welcome", 5, 4, 8L + random.nextInt(6)),
                new SentimentCell("welcome", 5, 5, 4L + random.nextInt(4)), new SentimentCell("welcome", 5, 2, 1L));
        long taps = sentiment.stream().mapToLong(SentimentCell::getTaps).sum();
        double sentimentIndex = sentiment.stream().mapToDouble(c -> c.getTaps() * 25.0 * (c.getLevel() - 1)).sum() / taps;
        PublishedIndicators published = PublishedIndicators.newBuilder().setK(10)
                .setGiniSimpson(0.6 + random.nextDouble() * 0.05).setGiniSimpsonUnbiased(0.62).setShannon(1.05)
                .setEvenness(0.9 + random.nextDouble() * 0.05).setCrossGroupShare((double) cross / contacts)
                .setAssortativity(0.1).setAssortativityLowerBound(-0.4).setFirstTimeShare(0.2).setSustainedShare(0.4)
                .setSentiment(List.of(new SentimentIndicator("welcome", 5, taps, sentimentIndex, sentimentIndex - 8,
                        sentimentIndex + 8, 1 + sentimentIndex / 25)))
                .setCohesionIndex(index + random.nextDouble() * 2 - 1)
                .build();
        return NeighbourhoodIndicators.newBuilder()
                .setNeighbourhoodId(hood).setActivityId(activityId)
                .setWindowStart(start).setWindowEnd(start.plus(Duration.ofHours(1)))
                .setCheckIns(headcount).setHeadcount(headcount).setGroupHeadcounts(groups)
                .setUniqueParticipants(headcount).setFirstTimeParticipants(headcount / 5).setSustainedParticipants(headcount * 2 / 5)
                .setContacts(contacts).setCrossGroupContacts(cross).setMixing(new ArrayList<>(mixing))
                .setSentiment(new ArrayList<>(sentiment)).setLastEventTime(start.plusSeconds(3000)).setIsFinal(true)
                .setIndicators(published)
                .build();
    }

    /** A city day of two activities; D and H as given (null: withheld, as for fewer than k declared visits). */
    private static CityIndicators cityDay(Instant start, long a, long b, long c, Double theil, Double dissimilarity) {
        List<ActivityGroupCell> attendance = new ArrayList<>(List.of(new ActivityGroupCell("a-cafe", "A", a),
                new ActivityGroupCell("a-cafe", "B", b), new ActivityGroupCell("a-dinner", "C", c),
                new ActivityGroupCell("a-dinner", "A", a / 2)));
        return CityIndicators.newBuilder()
                .setCity("Riverton").setWindowStart(start).setWindowEnd(start.plus(Duration.ofDays(1)))
                .setHeadcount(attendance.stream().mapToLong(ActivityGroupCell::getHeadcount).sum())
                .setAttendance(attendance).setIsFinal(true).setK(10)
                .setWithheld(theil == null ? List.of("segregation", "diversity") : List.of())
                .setTheil(theil).setMultigroupDissimilarity(dissimilarity)
                .build();
    }

    /** What the sink does with an update the database refuses: the refusal is the database's, the mark the sink's own. */
    private static void refuse(Connection db, SpecificRecord update, String topic) throws SQLException {
        Savepoint before = db.setSavepoint();
        try {
            if (update instanceof NeighbourhoodIndicators window) {
                IndicatorTable.upsert(db, List.of(window));
            } else {
                CityTable.upsert(db, List.of((CityIndicators) update));
            }
        } catch (SQLException refused) {
            db.rollback(before);
            RefusedUpdates.mark(db, update, topic, refused.getMessage());
            return;
        }
        throw new IllegalStateException("the database took an update it should refuse: " + update);
    }

    /** Four people: every figure withheld, as the streams stage publishes it. */
    private static NeighbourhoodIndicators tooSmallToPublish(Instant start) {
        return NeighbourhoodIndicators.newBuilder()
                .setNeighbourhoodId("riverside").setWindowStart(start).setWindowEnd(start.plus(Duration.ofHours(1)))
                .setCheckIns(4).setHeadcount(4).setGroupHeadcounts(new HashMap<>(Map.of("A", 3L, "B", 1L)))
                .setUniqueParticipants(4).setFirstTimeParticipants(0).setSustainedParticipants(0)
                .setContacts(1).setCrossGroupContacts(1).setMixing(new ArrayList<>(List.of(new MixingCell("A", "B", 1L))))
                .setSentiment(new ArrayList<>()).setLastEventTime(start.plusSeconds(60)).setIsFinal(true)
                .setIndicators(PublishedIndicators.newBuilder().setK(10)
                        .setWithheld(List.of("diversity", "mixing", "cohesionIndex")).build())
                .build();
    }

    private PipelineOutput() {
    }
}
