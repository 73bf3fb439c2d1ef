package org.cohesionbarometer.streams.indicators;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cohesionbarometer.schemas.SmallCells;
import org.cohesionbarometer.schemas.indicator.ActivityGroupCell;
import org.cohesionbarometer.schemas.indicator.CityIndicators;
import org.cohesionbarometer.schemas.indicator.GroupPairDissimilarity;
import org.cohesionbarometer.schemas.internal.HourAttendance;
import org.cohesionbarometer.streams.window.HourTally;

/** The city's day: attendance per activity and group, and how segregated the activities are. */
public final class CityDay {

    public static CityIndicators empty() {
        return CityIndicators.newBuilder().setWindowStart(Instant.EPOCH).setWindowEnd(Instant.EPOCH)
                .setAttendance(new ArrayList<>()).build();
    }

    /** Adds what a neighbourhood-hour window grew by (see {@code CityHourDelta}). */
    public static CityIndicators add(HourAttendance hour, CityIndicators day) {
        for (ActivityGroupCell added : hour.getCells()) {
            day.setHeadcount(day.getHeadcount() + added.getHeadcount());
            ActivityGroupCell cell = day.getAttendance().stream()
                    .filter(c -> c.getActivityId().equals(added.getActivityId()) && c.getGroupCode().equals(added.getGroupCode()))
                    .findFirst()
                    .orElseGet(() -> {
                        ActivityGroupCell fresh = new ActivityGroupCell(added.getActivityId(), added.getGroupCode(), 0L);
                        day.getAttendance().add(fresh);
                        return fresh;
                    });
            cell.setHeadcount(cell.getHeadcount() + added.getHeadcount());
        }
        return day;
    }

    /** Derives the published indicators: small cells withheld within each activity, indices from the counts. */
    public static CityIndicators publish(CityIndicators day, SmallCells smallCells) {
        Map<String, Map<String, Long>> byActivity = new TreeMap<>();
        day.getAttendance().forEach(c -> byActivity.computeIfAbsent(c.getActivityId(), a -> new HashMap<>())
                .merge(c.getGroupCode(), c.getHeadcount(), Long::sum));
        Map<String, Long> cityGroups = new HashMap<>();
        byActivity.values().forEach(groups -> groups.forEach((g, n) -> cityGroups.merge(g, n, Long::sum)));

        List<String> withheld = new ArrayList<>();
        List<ActivityGroupCell> published = new ArrayList<>();
        byActivity.forEach((activity, groups) -> {
            SmallCells.Published p = smallCells.suppress(groups);
            p.cells().forEach((g, n) -> published.add(new ActivityGroupCell(activity, g, n)));
            p.withheld().forEach(g -> withheld.add("attendance." + activity + "." + g));
        });

        List<GroupPairDissimilarity> dissimilarity = new ArrayList<>();
        List<String> groups = new ArrayList<>(new TreeSet<>(Segregation.groups(byActivity, HourTally.UNDECLARED)));
        for (int i = 0; i < groups.size(); i++) {
            for (int j = i + 1; j < groups.size(); j++) {
                String a = groups.get(i);
                String b = groups.get(j);
                if (smallCells.isSmall(cityGroups.getOrDefault(a, 0L)) || smallCells.isSmall(cityGroups.getOrDefault(b, 0L))) {
                    withheld.add("dissimilarity." + a + "." + b);
                    continue;
                }
                Double d = Segregation.dissimilarity(byActivity, a, b);
                if (d != null) {
                    dissimilarity.add(new GroupPairDissimilarity(a, b, d));
                }
            }
        }
        Diversity diversity = Diversity.of(cityGroups, HourTally.UNDECLARED);
        boolean shown = !smallCells.isSmall(diversity.people());
        if (!shown) {
            withheld.add("segregation");
            withheld.add("diversity");
        }
        return CityIndicators.newBuilder(day)
                .setK(smallCells.k())
                .setWithheld(withheld)
                .setPublishedAttendance(published)
                .setDissimilarity(dissimilarity)
                .setTheil(shown ? Segregation.theil(byActivity, HourTally.UNDECLARED) : null)
                .setMultigroupDissimilarity(shown
                        ? Segregation.multigroupDissimilarity(byActivity, HourTally.UNDECLARED) : null)
                .setGiniSimpson(shown ? diversity.giniSimpson() : null)
                .setEvenness(shown ? diversity.evenness() : null)
                .build();
    }

    private CityDay() {
    }
}
