package org.cohesionbarometer.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.cohesionbarometer.schemas.SmallCells;
import org.cohesionbarometer.schemas.indicator.ActivityGroupCell;
import org.cohesionbarometer.schemas.indicator.CityIndicators;
import org.cohesionbarometer.schemas.indicator.MixingCell;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;
import org.cohesionbarometer.schemas.indicator.SentimentCell;
import org.cohesionbarometer.streams.indicators.CityDay;
import org.cohesionbarometer.streams.indicators.CohesionIndex;
import org.cohesionbarometer.streams.indicators.WindowIndicators;
import org.junit.jupiter.api.Test;

/** Every name under which the streams stage withholds a figure is listed on the methods page. */
class WithheldNamesAreDocumentedTest {
    private static final Instant HOUR = Instant.parse("2026-03-14T18:00:00Z");
    private static final SmallCells K10 = new SmallCells(10);

    @Test
    void everyWithheldNameIsListedOnTheMethodsPage() throws IOException {
        TreeSet<String> names = new TreeSet<>();
        // Small everywhere: groups, people, contacts, taps and the city's day.
        NeighbourhoodIndicators hour = NeighbourhoodIndicators.newBuilder()
                .setNeighbourhoodId("north").setWindowStart(HOUR).setWindowEnd(HOUR.plus(Duration.ofHours(1)))
                .setCheckIns(15).setHeadcount(15).setGroupHeadcounts(new HashMap<>(Map.of("A", 3L, "B", 12L)))
                .setUniqueParticipants(3).setContacts(1).setCrossGroupContacts(1)
                .setMixing(new ArrayList<>(List.of(new MixingCell("A", "B", 1L))))
                .setSentiment(new ArrayList<>(List.of(new SentimentCell("welcome", 5, 4, 2L))))
                .setLastEventTime(HOUR)
                .build();
        names.addAll(new WindowIndicators(K10, CohesionIndex.EQUAL_WEIGHTS).derive(hour).getWithheld());
        hour.setGroupHeadcounts(new HashMap<>(Map.of("A", 3L)));
        names.addAll(new WindowIndicators(K10, CohesionIndex.EQUAL_WEIGHTS).derive(hour).getWithheld());
        names.addAll(cityDay(new ActivityGroupCell("cafe", "A", 3L), new ActivityGroupCell("cafe", "B", 20L)).getWithheld());
        names.addAll(cityDay(new ActivityGroupCell("cafe", "A", 3L)).getWithheld());

        TreeSet<String> patterns = new TreeSet<>();
        for (String name : names) {
            patterns.add(name.replaceFirst("^groupHeadcounts\\..*", "groupHeadcounts.<group>")
                    .replaceFirst("^sentiment\\..*", "sentiment.<question>")
                    .replaceFirst("^attendance\\..*", "attendance.<activity>.<group>")
                    .replaceFirst("^dissimilarity\\..*", "dissimilarity.<a>.<b>"));
        }
        assertThat(patterns).as("the names this test makes the code withhold").containsExactly("attendance.<activity>.<group>",
                "dissimilarity.<a>.<b>", "diversity", "groupHeadcounts.<group>", "mixing", "participation", "segregation",
                "sentiment.<question>");

        String methods = Files.readString(Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("methods.md"));
        String privacy = methods.substring(methods.indexOf("## Privacy"));
        assertThat(patterns).allSatisfy(pattern -> assertThat(privacy).contains("`" + pattern + "`"));
    }

    private static CityIndicators cityDay(ActivityGroupCell... cells) {
        List<ActivityGroupCell> attendance = new ArrayList<>(List.of(cells));
        return CityDay.publish(CityIndicators.newBuilder()
                .setWindowStart(HOUR).setWindowEnd(HOUR.plus(Duration.ofDays(1)))
                .setHeadcount(attendance.stream().mapToLong(ActivityGroupCell::getHeadcount).sum())
                .setAttendance(attendance).build(), K10);
    }
}
