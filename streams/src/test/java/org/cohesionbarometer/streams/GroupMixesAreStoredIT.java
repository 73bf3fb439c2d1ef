package org.cohesionbarometer.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.cohesionbarometer.infra.InJvmPostgres;
import org.cohesionbarometer.schemas.SmallCells;
import org.cohesionbarometer.schemas.indicator.ActivityGroupCell;
import org.cohesionbarometer.schemas.indicator.CityIndicators;
import org.cohesionbarometer.schemas.indicator.MixingCell;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;
import org.cohesionbarometer.schemas.indicator.SentimentCell;
import org.cohesionbarometer.sink.CityTable;
import org.cohesionbarometer.sink.IndicatorTable;
import org.cohesionbarometer.sink.Migrations;
import org.cohesionbarometer.streams.indicators.CityDay;
import org.cohesionbarometer.streams.indicators.CohesionIndex;
import org.cohesionbarometer.streams.indicators.WindowIndicators;
import org.cohesionbarometer.streams.window.HourTally;

/**
 * Whatever the mix of groups — equal groups, activities in identical proportions, a single group,
 * counts from one to a trillion — the figures the real formulas compute are rows the database
 * accepts through the sink's real upsert. k is the smallest allowed, so that most figures are
 * published rather than withheld.
 */
class GroupMixesAreStoredIT {
    private static final Instant FIRST_HOUR = Instant.parse("2026-01-01T00:00:00Z");
    private static final SmallCells K5 = new SmallCells(SmallCells.MINIMUM_K);
    private static final WindowIndicators INDICATORS = new WindowIndicators(K5, CohesionIndex.EQUAL_WEIGHTS);
    /** Every try writes a window of its own: a window written again with fewer counts would be skipped, not checked. */
    private static final AtomicLong WINDOWS = new AtomicLong();
    private static InJvmPostgres postgres;

    @BeforeContainer
    static void startPostgres() {
        postgres = InJvmPostgres.startTemporary();
        Migrations.apply(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }

    @AfterContainer
    static void stopPostgres() {
        postgres.close();
    }

    @Property(tries = 400)
    void everyNeighbourhoodHourIsAccepted(@ForAll("groupMixes") Map<String, Long> groups,
                                          @ForAll("groupMixes") Map<String, Long> contactsByPair,
                                          @ForAll("sentiment") Map<Integer, Long> tapsByLevel,
                                          @ForAll("shares") double[] participantShares) throws SQLException {
        Instant start = FIRST_HOUR.plus(Duration.ofHours(WINDOWS.incrementAndGet()));
        long people = groups.values().stream().mapToLong(Long::longValue).sum();
        long unique = Math.round(people * participantShares[0]);
        NeighbourhoodIndicators counts = NeighbourhoodIndicators.newBuilder()
                .setNeighbourhoodId("north").setWindowStart(start).setWindowEnd(start.plus(Duration.ofHours(1)))
                .setCheckIns(people).setHeadcount(people).setGroupHeadcounts(new HashMap<>(groups))
                .setUniqueParticipants(unique)
                .setFirstTimeParticipants(Math.round(unique * participantShares[1]))
                .setSustainedParticipants(Math.round(unique * participantShares[2]))
                .setMixing(mixing(groups, contactsByPair))
                .setSentiment(new ArrayList<>(tapsByLevel.entrySet().stream()
                        .map(e -> new SentimentCell("welcome", 5, e.getKey(), e.getValue())).toList()))
                .setLastEventTime(start)
                .build();
        counts.setContacts(counts.getMixing().stream().mapToLong(MixingCell::getContacts).sum());
        counts.setCrossGroupContacts(counts.getMixing().stream()
                .filter(c -> !c.getGroupA().equals(c.getGroupB())).mapToLong(MixingCell::getContacts).sum());
        counts.setIndicators(INDICATORS.derive(counts));

        try (Connection db = postgres.connect()) {
            db.setAutoCommit(false);
            IndicatorTable.upsert(db, List.of(counts));
            db.commit();
        }

        assertThat(stored("SELECT headcount FROM neighbourhood_hourly WHERE activity_id = '' AND window_start = ?", start))
                .isEqualTo(people);
    }

    @Property(tries = 400)
    void everyCityDayIsAccepted(@ForAll("cityDays") Map<String, Map<String, Long>> activities) throws SQLException {
        Instant start = FIRST_HOUR.plus(Duration.ofDays(WINDOWS.incrementAndGet()));
        List<ActivityGroupCell> attendance = new ArrayList<>();
        activities.forEach((activity, groups) -> groups.forEach((g, n) -> attendance.add(new ActivityGroupCell(activity, g, n))));
        long visits = attendance.stream().mapToLong(ActivityGroupCell::getHeadcount).sum();
        CityIndicators day = CityDay.publish(CityIndicators.newBuilder()
                .setWindowStart(start).setWindowEnd(start.plus(Duration.ofDays(1)))
                .setHeadcount(visits).setAttendance(attendance).setIsFinal(true)
                .build(), K5);

        try (Connection db = postgres.connect()) {
            db.setAutoCommit(false);
            CityTable.upsert(db, List.of(day));
            db.commit();
        }

        assertThat(stored("SELECT headcount FROM city_daily WHERE window_start = ?", start)).isEqualTo(visits);
    }

    private static long stored(String sql, Instant windowStart) throws SQLException {
        try (Connection db = postgres.connect(); PreparedStatement st = db.prepareStatement(sql)) {
            st.setTimestamp(1, Timestamp.from(windowStart));
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).as("the row was stored").isTrue();
                return rs.getLong(1);
            }
        }
    }

    /** Contacts between the hour's groups: the i-th count for the i-th pair (within-group pairs included). */
    private static List<MixingCell> mixing(Map<String, Long> groups, Map<String, Long> contactCounts) {
        List<String> names = groups.keySet().stream().sorted().toList();
        List<Long> counts = List.copyOf(contactCounts.values());
        List<MixingCell> cells = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < names.size() && next < counts.size(); i++) {
            for (int j = i; j < names.size() && next < counts.size(); j++) {
                cells.add(new MixingCell(names.get(i), names.get(j), counts.get(next++)));
            }
        }
        return cells;
    }

    private static Arbitrary<Long> counts() {
        return Arbitraries.oneOf(Arbitraries.longs().between(1, 30), Arbitraries.longs().between(1, 1_000_000_000_000L),
                Arbitraries.of(1L, 10L, 1_000_000_000_000L));
    }

    private static Map<String, Long> named(List<Long> counts) {
        Map<String, Long> groups = new LinkedHashMap<>();
        for (int i = 0; i < counts.size(); i++) {
            groups.put("G" + i, counts.get(i));
        }
        return groups;
    }

    /** Equal groups, a single group, any mix; sometimes with undeclared people ('?'). */
    @Provide
    Arbitrary<Map<String, Long>> groupMixes() {
        Arbitrary<Map<String, Long>> equal = Combinators.combine(Arbitraries.integers().between(2, 12), counts())
                .as((k, n) -> named(java.util.Collections.nCopies(k, n)));
        Arbitrary<Map<String, Long>> single = counts().map(n -> named(List.of(n)));
        Arbitrary<Map<String, Long>> any = counts().list().ofMinSize(1).ofMaxSize(10).map(GroupMixesAreStoredIT::named);
        Arbitrary<Map<String, Long>> mix = Arbitraries.oneOf(equal, single, any);
        return Combinators.combine(mix, Arbitraries.longs().between(0, 20)).as((groups, undeclared) -> {
            Map<String, Long> withUndeclared = new LinkedHashMap<>(groups);
            if (undeclared > 10) {
                withUndeclared.put(HourTally.UNDECLARED, undeclared);
            }
            return withUndeclared;
        });
    }

    /** Taps on a five-button scale: all on one level, spread alike, or anyhow. */
    @Provide
    Arbitrary<Map<Integer, Long>> sentiment() {
        Arbitrary<Map<Integer, Long>> oneLevel = Combinators.combine(Arbitraries.integers().between(1, 5), counts())
                .as((level, n) -> Map.of(level, n));
        Arbitrary<Map<Integer, Long>> alike = counts().map(n -> Map.of(1, n, 2, n, 3, n, 4, n, 5, n));
        Arbitrary<Map<Integer, Long>> any = counts().list().ofSize(5).map(taps -> {
            Map<Integer, Long> levels = new HashMap<>();
            for (int level = 1; level <= 5; level++) {
                levels.put(level, taps.get(level - 1));
            }
            return levels;
        });
        return Arbitraries.oneOf(oneLevel, alike, any, Arbitraries.just(Map.of()));
    }

    /** Unique participants as a share of the headcount, first-time and sustained as shares of them; 0 and 1 often. */
    @Provide
    Arbitrary<double[]> shares() {
        Arbitrary<Double> share = Arbitraries.oneOf(Arbitraries.of(0.0, 1.0), Arbitraries.doubles().between(0, 1));
        return share.array(double[].class).ofSize(3);
    }

    /** The city's activities: groups in identical proportions at every activity, or any mixes. */
    @Provide
    Arbitrary<Map<String, Map<String, Long>>> cityDays() {
        Arbitrary<Map<String, Map<String, Long>>> sameProportions = Combinators.combine(groupMixes(),
                        Arbitraries.longs().between(1, 1_000_000).list().ofMinSize(1).ofMaxSize(6))
                .as((base, multipliers) -> {
                    Map<String, Map<String, Long>> activities = new LinkedHashMap<>();
                    for (int i = 0; i < multipliers.size(); i++) {
                        long m = multipliers.get(i);
                        Map<String, Long> scaled = new LinkedHashMap<>();
                        base.forEach((g, n) -> scaled.put(g, Math.min(n, 1_000_000L) * m));
                        activities.put("activity-" + i, scaled);
                    }
                    return activities;
                });
        Arbitrary<Map<String, Map<String, Long>>> any = groupMixes().list().ofMinSize(1).ofMaxSize(6).map(mixes -> {
            Map<String, Map<String, Long>> activities = new LinkedHashMap<>();
            for (int i = 0; i < mixes.size(); i++) {
                activities.put("activity-" + i, mixes.get(i));
            }
            return activities;
        });
        return Arbitraries.oneOf(sameProportions, any);
    }
}
