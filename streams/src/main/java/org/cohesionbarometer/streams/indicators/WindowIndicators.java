package org.cohesionbarometer.streams.indicators;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cohesionbarometer.schemas.Figure;
import org.cohesionbarometer.schemas.SmallCells;
import org.cohesionbarometer.schemas.indicator.NeighbourhoodIndicators;
import org.cohesionbarometer.schemas.indicator.PublishedIndicators;
import org.cohesionbarometer.schemas.indicator.SentimentIndicator;
import org.cohesionbarometer.streams.window.HourTally;

/**
 * Derives a window's indicators from its counts and withholds whatever rests on fewer than k
 * people, contacts or taps (see docs/methods.md). Withheld values are null and named in
 * {@code withheld}, so that a dashboard can say "fewer than k" rather than show a zero.
 */
public record WindowIndicators(SmallCells smallCells, CohesionIndex cohesion) {

    public PublishedIndicators derive(NeighbourhoodIndicators counts) {
        List<String> withheld = new ArrayList<>();

        SmallCells.Published groups = smallCells.suppress(counts.getGroupHeadcounts());
        groups.withheld().forEach(g -> withheld.add("groupHeadcounts." + g));

        Diversity diversity = Diversity.of(counts.getGroupHeadcounts(), HourTally.UNDECLARED);
        boolean diversityShown = !smallCells.isSmall(diversity.people());
        if (!diversityShown) {
            withheld.add("diversity");
        }

        MixingMatrix mixing = MixingMatrix.ofUndirected(counts.getMixing().stream()
                .map(c -> new MixingMatrix.Pair(c.getGroupA(), c.getGroupB(), c.getContacts())).toList(),
                HourTally.UNDECLARED);
        boolean mixingShown = !smallCells.isSmall(mixing.contacts());
        if (!mixingShown) {
            withheld.add("mixing");
        }
        Double crossShare = mixing.contacts() == 0 ? null : Figure.CROSS_GROUP_SHARE.clamp(1 - mixing.withinShare());

        boolean participationShown = !smallCells.isSmall(counts.getUniqueParticipants());
        if (!participationShown) {
            withheld.add("participation");
        }
        Double firstTimeShare = counts.getUniqueParticipants() == 0 ? null
                : Figure.FIRST_TIME_SHARE.clamp((double) counts.getFirstTimeParticipants() / counts.getUniqueParticipants());
        Double sustainedShare = counts.getUniqueParticipants() == 0 ? null
                : Figure.SUSTAINED_SHARE.clamp((double) counts.getSustainedParticipants() / counts.getUniqueParticipants());

        List<SentimentIndicator> sentiment = new ArrayList<>();
        Map<String, Map<Integer, Long>> levelsByQuestion = new TreeMap<>();
        counts.getSentiment().forEach(c -> levelsByQuestion
                .computeIfAbsent(c.getQuestionCode() + "\u0000" + c.getScale(), q -> new HashMap<>())
                .merge(c.getLevel(), c.getTaps(), Long::sum));
        Double sentimentComponent = null;
        long sentimentTaps = 0;
        double sentimentSum = 0;
        for (var e : levelsByQuestion.entrySet()) {
            String[] questionAndScale = e.getKey().split("\u0000");
            int scale = Integer.parseInt(questionAndScale[1]);
            SentimentIndex index = SentimentIndex.of(scale, e.getValue());
            boolean shown = !smallCells.isSmall(index.taps());
            if (!shown) {
                withheld.add("sentiment." + questionAndScale[0]);
            } else {
                sentimentTaps += index.taps();
                sentimentSum += index.index() * index.taps();
            }
            sentiment.add(new SentimentIndicator(questionAndScale[0], scale, index.taps(),
                    shown ? index.index() : null, shown ? index.lower95() : null,
                    shown ? index.upper95() : null, shown ? index.mean1to5() : null));
        }
        if (sentimentTaps > 0) {
            sentimentComponent = sentimentSum / sentimentTaps / 100;
        }

        Double cohesionIndex = cohesion.of(
                participationShown ? sustainedShare : null,
                diversityShown ? diversity.evenness() : null,
                mixingShown ? CohesionIndex.mixingComponent(crossShare, mixing.expectedCrossShare()) : null,
                sentimentComponent);

        return PublishedIndicators.newBuilder()
                .setK(smallCells.k())
                .setWithheld(withheld)
                .setPublishedGroupHeadcounts(new HashMap<>(groups.cells()))
                .setGiniSimpson(diversityShown ? diversity.giniSimpson() : null)
                .setGiniSimpsonUnbiased(diversityShown ? diversity.giniSimpsonUnbiased() : null)
                .setShannon(diversityShown ? diversity.shannon() : null)
                .setEvenness(diversityShown ? diversity.evenness() : null)
                .setCrossGroupShare(mixingShown ? crossShare : null)
                .setAssortativity(mixingShown ? mixing.assortativity() : null)
                .setAssortativityLowerBound(mixingShown ? mixing.assortativityLowerBound() : null)
                .setFirstTimeShare(participationShown ? firstTimeShare : null)
                .setSustainedShare(participationShown ? sustainedShare : null)
                .setSentiment(sentiment)
                .setCohesionIndex(cohesionIndex)
                .build();
    }
}
