package org.cohesionbarometer.streams.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class IndicatorFormulasTest {

    @Nested
    class DiversityOfAttendance {
        @Test
        void twoEqualGroupsOfTwo() {
            Diversity d = Diversity.of(Map.of("A", 2L, "B", 2L), "?");
            assertThat(d.giniSimpson()).isEqualTo(0.5);
            assertThat(d.giniSimpsonUnbiased()).isCloseTo(1 - 4.0 / 12, within(1e-12)); // 1 − (2·1 + 2·1)/(4·3)
            assertThat(d.shannon()).isCloseTo(Math.log(2), within(1e-12));
            assertThat(d.evenness()).isCloseTo(1.0, within(1e-12));
        }

        @Test
        void threeUnequalGroupsByHand() {
            Diversity d = Diversity.of(Map.of("A", 5L, "B", 3L, "C", 2L), "?");
            assertThat(d.giniSimpson()).isCloseTo(1 - (0.25 + 0.09 + 0.04), within(1e-12));
            assertThat(d.giniSimpsonUnbiased()).isCloseTo(1 - (20.0 + 6 + 2) / 90, within(1e-12));
            double h = -(0.5 * Math.log(0.5) + 0.3 * Math.log(0.3) + 0.2 * Math.log(0.2));
            assertThat(d.shannon()).isCloseTo(h, within(1e-12));
            assertThat(d.evenness()).isCloseTo(h / Math.log(3), within(1e-12));
        }

        @Test
        void oneGroupOnlyHasNoDiversityAndNoDefinedEvenness() {
            Diversity d = Diversity.of(Map.of("A", 7L), "?");
            assertThat(d.giniSimpson()).isZero();
            assertThat(d.giniSimpsonUnbiased()).isZero();
            assertThat(d.shannon()).isZero();
            assertThat(d.evenness()).isNull();
        }

        @Test
        void undeclaredPeopleAreLeftOutAndAnEmptyWindowHasNothingDefined() {
            assertThat(Diversity.of(Map.of("A", 2L, "B", 2L, "?", 40L), "?").giniSimpson()).isEqualTo(0.5);
            Diversity empty = Diversity.of(Map.of("?", 3L), "?");
            assertThat(empty.people()).isZero();
            assertThat(empty.giniSimpson()).isNull();
            assertThat(Diversity.of(Map.of("A", 1L), "?").giniSimpsonUnbiased()).as("one person: no pair to draw").isNull();
        }
    }

    @Nested
    class Mixing {
        @Test
        void reproducesNewmansTableOneCoefficient() {
            // Newman (2003), Phys. Rev. E 67, 026126, Table I: mixing by race of partners; r = 0.621.
            double[][] e = {
                    {0.258, 0.016, 0.035, 0.013},
                    {0.012, 0.157, 0.058, 0.019},
                    {0.013, 0.023, 0.306, 0.035},
                    {0.005, 0.007, 0.024, 0.016}};
            MixingMatrix m = MixingMatrix.ofFractions(List.of("black", "hispanic", "white", "other"), e);
            assertThat(m.assortativity()).isCloseTo(0.621, within(0.002));
        }

        @Test
        void contactsWithinGroupsOnlyArePerfectlyAssortative() {
            MixingMatrix m = MixingMatrix.ofUndirected(List.of(
                    new MixingMatrix.Pair("A", "A", 5), new MixingMatrix.Pair("B", "B", 5)), "?");
            assertThat(m.assortativity()).isCloseTo(1.0, within(1e-12));
            assertThat(m.withinShare()).isCloseTo(1.0, within(1e-12));
        }

        @Test
        void contactsThatAlwaysCrossReachTheLowerBound() {
            MixingMatrix m = MixingMatrix.ofUndirected(List.of(new MixingMatrix.Pair("A", "B", 10)), "?");
            assertThat(m.e("A", "B")).isEqualTo(0.5);
            assertThat(m.e("B", "A")).as("symmetrised").isEqualTo(0.5);
            assertThat(m.assortativity()).isCloseTo(-1.0, within(1e-12));
            assertThat(m.assortativityLowerBound()).isCloseTo(-1.0, within(1e-12));
        }

        @Test
        void allContactsWithinASingleGroupLeaveRUndefined() {
            MixingMatrix m = MixingMatrix.ofUndirected(List.of(new MixingMatrix.Pair("A", "A", 9)), "?");
            assertThat(m.assortativity()).isNull();
            assertThat(m.assortativityLowerBound()).isNull();
        }

        @Test
        void mixedContactsByHand() {
            // 6 A–A, 2 B–B, 2 A–B: e_AA = .6, e_BB = .2, e_AB = e_BA = .1; a = (.7, .3); Σab = .58
            MixingMatrix m = MixingMatrix.ofUndirected(List.of(new MixingMatrix.Pair("A", "A", 6),
                    new MixingMatrix.Pair("B", "B", 2), new MixingMatrix.Pair("A", "B", 2),
                    new MixingMatrix.Pair("?", "A", 50)), "?");
            assertThat(m.contacts()).isEqualTo(10);
            assertThat(m.assortativity()).isCloseTo((0.8 - 0.58) / (1 - 0.58), within(1e-12));
            assertThat(m.assortativityLowerBound()).isCloseTo(-0.58 / 0.42, within(1e-12));
            assertThat(m.expectedCrossShare()).isCloseTo(0.42, within(1e-12));
        }
    }

    @Nested
    class Sentiment {
        @Test
        void fiveButtonsAreSpacedZeroToHundred() {
            assertThat(SentimentIndex.of(5, Map.of(5, 1L)).index()).isEqualTo(100.0);
            assertThat(SentimentIndex.of(5, Map.of(4, 1L)).index()).isEqualTo(75.0);
            assertThat(SentimentIndex.of(5, Map.of(1, 1L)).index()).isEqualTo(0.0);
            assertThat(SentimentIndex.of(3, Map.of(2, 1L)).index()).isEqualTo(50.0);
            assertThat(SentimentIndex.of(4, Map.of(2, 1L)).index()).isCloseTo(100.0 / 3, within(1e-12));
        }

        @Test
        void aSingleTapHasAnIndexButNoInterval() {
            SentimentIndex s = SentimentIndex.of(5, Map.of(4, 1L));
            assertThat(s.taps()).isEqualTo(1);
            assertThat(s.lower95()).isNull();
            assertThat(s.upper95()).isNull();
            assertThat(s.mean1to5()).isEqualTo(4.0);
        }

        @Test
        void theIntervalIsStudentsTAroundTheMeanClippedToTheScale() {
            // 75, 75, 100, 100: mean 87.5, s = 14.4338, t(0.975, 3) = 3.182446
            SentimentIndex s = SentimentIndex.of(5, Map.of(4, 2L, 5, 2L));
            double half = 3.182446305284263 * Math.sqrt(Math.pow(12.5, 2) * 4 / 3) / 2;
            assertThat(s.index()).isEqualTo(87.5);
            assertThat(s.lower95()).isCloseTo(87.5 - half, within(1e-6));
            assertThat(s.upper95()).isEqualTo(100.0);
            assertThat(s.mean1to5()).isCloseTo(4.5, within(1e-12));
        }

        @Test
        void aLevelOffTheScaleIsRefused() {
            assertThatThrownBy(() -> SentimentIndex.of(3, Map.of(4, 1L))).hasMessageContaining("3-button");
        }
    }

    @Nested
    class ActivitySegregation {
        @Test
        void groupsThatNeverMeetAreFullySegregated() {
            Map<String, Map<String, Long>> units = Map.of("dinner", Map.of("A", 10L), "football", Map.of("B", 10L));
            assertThat(Segregation.dissimilarity(units, "A", "B")).isEqualTo(1.0);
            assertThat(Segregation.theil(units, "?")).isCloseTo(1.0, within(1e-12));
        }

        @Test
        void activitiesThatMirrorTheCityAreNotSegregated() {
            Map<String, Map<String, Long>> units = Map.of("dinner", Map.of("A", 4L, "B", 2L),
                    "football", Map.of("A", 8L, "B", 4L));
            assertThat(Segregation.dissimilarity(units, "A", "B")).isCloseTo(0.0, within(1e-12));
            assertThat(Segregation.theil(units, "?")).isCloseTo(0.0, within(1e-12));
        }

        @Test
        void dissimilarityByHand() {
            // A: 6 and 4 of 10; B: 2 and 8 of 10 -> ½(|.6 − .2| + |.4 − .8|) = 0.4
            Map<String, Map<String, Long>> units = Map.of("cafe", Map.of("A", 6L, "B", 2L), "garden", Map.of("A", 4L, "B", 8L));
            assertThat(Segregation.dissimilarity(units, "A", "B")).isCloseTo(0.4, within(1e-12));
            double e = -(0.5 * Math.log(0.5) * 2);
            double eCafe = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
            double eGarden = -(4.0 / 12 * Math.log(4.0 / 12) + 8.0 / 12 * Math.log(8.0 / 12));
            assertThat(Segregation.theil(units, "?")).isCloseTo((e - 0.4 * eCafe - 0.6 * eGarden) / e, within(1e-12));
        }

        @Test
        void aCityWithOneGroupHasNoDefinedSegregation() {
            assertThat(Segregation.theil(Map.of("cafe", Map.of("A", 3L)), "?")).isNull();
            assertThat(Segregation.dissimilarity(Map.of("cafe", Map.of("A", 3L)), "A", "B")).isNull();
            assertThat(Segregation.multigroupDissimilarity(Map.of("cafe", Map.of("A", 3L, "?", 5L)), "?")).isNull();
        }

        @Test
        void multigroupDissimilarityByHand() {
            // Reardon & Firebaugh (2002): D = Σ_i Σ_m t_i |π_im − π_m| / (2TI). Three groups of 10 (π_m = 1/3,
            // I = 3 · 1/3 · 2/3 = 2/3); cafe 6/2/2 of 10: 10 · (4/15 + 2 · 2/15) = 16/3; garden 4/8/8 of 20:
            // 20 · (2/15 + 2 · 1/15) = 16/3; D = (32/3) / (2 · 30 · 2/3) = 4/15.
            Map<String, Map<String, Long>> units = Map.of("cafe", Map.of("A", 6L, "B", 2L, "C", 2L),
                    "garden", Map.of("A", 4L, "B", 8L, "C", 8L, "?", 7L));
            assertThat(Segregation.multigroupDissimilarity(units, "?")).isCloseTo(4.0 / 15, within(1e-15));
        }

        @Test
        void withTwoGroupsTheMultigroupDissimilarityIsDuncansD() {
            Map<String, Map<String, Long>> units = Map.of("cafe", Map.of("A", 6L, "B", 2L), "garden", Map.of("A", 4L, "B", 8L));
            assertThat(Segregation.multigroupDissimilarity(units, "?")).isCloseTo(0.4, within(1e-15));
            Map<String, Map<String, Long>> apart = Map.of("dinner", Map.of("A", 10L), "football", Map.of("B", 10L));
            assertThat(Segregation.multigroupDissimilarity(apart, "?")).isEqualTo(1.0);
        }

        @Test
        void activitiesInIdenticalProportionsAreExactlyZeroEvenWhereSharesRoundDifferently() {
            // [10, 20, 60] and [40, 80, 240]: the entropies differ in the last bit; H came out as −1.3e-16 (#22).
            Map<String, Map<String, Long>> units = Map.of("cafe", Map.of("A", 10L, "B", 20L, "C", 60L),
                    "dinner", Map.of("A", 40L, "B", 80L, "C", 240L));
            assertThat(Segregation.theil(units, "?")).isEqualTo(0.0);
            assertThat(Segregation.multigroupDissimilarity(units, "?")).isEqualTo(0.0);
            assertThat(Segregation.dissimilarity(units, "A", "C")).isEqualTo(0.0);
        }

        @Test
        void oneVisitorAmongMillionsIsMeasuredFromExactCountsNotRoundedShares() {
            // Found by GroupMixesAreStoredIT: from rounded shares, multigroup D came out as 1.0000000077.
            // By hand: Σ_m T_m (T − T_m) = 2 · 155763424, Σ |t_im T − t_i T_m| = 4 · 155763423.
            Map<String, Map<String, Long>> units = Map.of("cafe", Map.of("A", 1L, "B", 1L),
                    "dinner", Map.of("A", 155_763_423L));
            assertThat(Segregation.multigroupDissimilarity(units, "?"))
                    .isCloseTo(155_763_423.0 / 155_763_424, within(1e-15));
            assertThat(Segregation.dissimilarity(units, "A", "B"))
                    .isCloseTo(155_763_423.0 / 155_763_424, within(1e-15));
            assertThat(Segregation.theil(units, "?")).isBetween(0.0, 1.0);
        }
    }

    @Nested
    class Composite {
        @Test
        void fullMarksEverywhereIsOneHundredAndWeightsCount() {
            assertThat(CohesionIndex.EQUAL_WEIGHTS.of(1.0, 1.0, 1.0, 1.0)).isEqualTo(100.0);
            assertThat(new CohesionIndex(3, 1, 0, 0).of(1.0, 0.0, 0.5, 0.5)).isEqualTo(75.0);
        }

        @Test
        void aMissingComponentDropsOutAndTheOthersAreRescaled() {
            assertThat(CohesionIndex.EQUAL_WEIGHTS.of(null, 0.5, 1.0, null)).isCloseTo(75.0, within(1e-12));
            assertThat(CohesionIndex.EQUAL_WEIGHTS.of(null, null, null, null)).isNull();
        }

        @Test
        void mixingIsObservedCrossingOverWhatRandomMixingWouldGiveCappedAtOne() {
            assertThat(CohesionIndex.mixingComponent(0.21, 0.42)).isCloseTo(0.5, within(1e-12));
            assertThat(CohesionIndex.mixingComponent(0.6, 0.42)).isEqualTo(1.0);
            assertThat(CohesionIndex.mixingComponent(0.3, 0.0)).isNull();
        }
    }
}
