package org.cohesionbarometer.streams.indicators;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.cohesionbarometer.schemas.Figure;

/**
 * How differently groups spread over the city's activities (activities play the part that
 * census tracts play in residential segregation studies).
 *
 * <ul>
 *   <li>Dissimilarity index of two groups, D = ½ Σ_i |a_i/A − b_i/B| over activities i
 *       (Duncan &amp; Duncan 1955, "A methodological analysis of segregation indexes", ASR 20:210):
 *       the share of either group that would have to switch activities for both to spread alike;
 *       0 = alike, 1 = never at the same activity.</li>
 *   <li>Multi-group Theil information index H = M / E (Theil &amp; Finizza 1971; Reardon &amp;
 *       Firebaugh 2002, "Measures of multigroup segregation", Sociological Methodology 32:33):
 *       E = −Σ_m π_m ln π_m is the entropy of the city-wide group shares, and
 *       M = E − Σ_i (t_i/T) E_i the mutual information between activity and group, E_i an
 *       activity's own entropy. H = 0 when every activity mirrors the city, 1 when each
 *       activity holds a single group.</li>
 *   <li>Multigroup dissimilarity index D = Σ_i Σ_m t_i |π_im − π_m| / (2 T I) (Reardon &amp;
 *       Firebaugh 2002, ibid.): t_i people at activity i, T in all, π_im the share of group m at
 *       activity i, π_m its city-wide share, and I = Σ_m π_m (1 − π_m) Simpson's interaction
 *       index, the most the numerator can be. The share of people who would have to switch
 *       activities for every activity to mirror the city, relative to the most who could have to;
 *       with two groups it is Duncan's D.</li>
 * </ul>
 * Computed from exact integer differences (t_im·T − t_i·T_m is 0 for an activity that mirrors the
 * city, however large the counts) rather than differences of rounded shares: with a group of one
 * among millions of visits, I and E are about 1e-9, and the difference of two rounded shares
 * divided by them was off by 1e-8 — enough to put an index outside 0–1. What rounding remains is
 * clamped to 0–1 ({@link Figure}).
 * The counts are visits (the summed headcounts of the day's sessions), not distinct people:
 * see docs/methods.md.
 */
public final class Segregation {

    /** @param countsByUnit per activity, per group: headcount. Null when a group is absent everywhere. */
    public static Double dissimilarity(Map<String, Map<String, Long>> countsByUnit, String groupA, String groupB) {
        long totalA = 0;
        long totalB = 0;
        for (Map<String, Long> unit : countsByUnit.values()) {
            totalA += unit.getOrDefault(groupA, 0L);
            totalB += unit.getOrDefault(groupB, 0L);
        }
        if (totalA == 0 || totalB == 0) {
            return null;
        }
        // ½ Σ |a_i/A − b_i/B| = Σ |a_i·B − b_i·A| / (2AB)
        double sum = 0;
        for (Map<String, Long> unit : countsByUnit.values()) {
            sum += Math.abs(difference(unit.getOrDefault(groupA, 0L), totalB, unit.getOrDefault(groupB, 0L), totalA));
        }
        return Figure.DISSIMILARITY.clamp(sum / (2.0 * totalA * totalB));
    }

    /** Reardon and Firebaugh's multigroup D; null when the city has fewer than two groups (I = 0) or nobody. */
    public static Double multigroupDissimilarity(Map<String, Map<String, Long>> countsByUnit, String undeclared) {
        Declared city = Declared.of(countsByUnit, undeclared);
        // Σ_i Σ_m t_i |π_im − π_m| / (2TI) = Σ_i Σ_m |t_im·T − t_i·T_m| / (2 Σ_m T_m (T − T_m))
        double interaction = 0;
        for (long n : city.groups().values()) {
            interaction += (double) n * (city.total() - n);
        }
        if (interaction <= 0) {
            return null;
        }
        double sum = 0;
        for (Map<String, Long> unit : city.units()) {
            long unitTotal = declaredTotal(unit, city.groups());
            for (var group : city.groups().entrySet()) {
                sum += Math.abs(difference(unit.getOrDefault(group.getKey(), 0L), city.total(), unitTotal, group.getValue()));
            }
        }
        return Figure.MULTIGROUP_DISSIMILARITY.clamp(sum / (2 * interaction));
    }

    /**
     * Theil's H; null when the city has fewer than two groups (E = 0) or nobody. M = E − Σ (t_i/T) E_i
     * is computed as the mutual information it equals, Σ_i Σ_m (t_im/T) ln(t_im·T / (t_i·T_m)), each
     * logarithm as ln(1 + (t_im·T − t_i·T_m) / (t_i·T_m)) from the exact difference.
     */
    public static Double theil(Map<String, Map<String, Long>> countsByUnit, String undeclared) {
        Declared city = Declared.of(countsByUnit, undeclared);
        if (city.total() == 0) {
            return null;
        }
        double cityEntropy = 0;
        for (long n : city.groups().values()) {
            double share = (double) n / city.total();
            // ln of a share near 1 from its exact complement: log(0.999999999999) keeps only 4 digits
            double log = share <= 0.5 ? Math.log(share) : Math.log1p(-(double) (city.total() - n) / city.total());
            cityEntropy -= share * log;
        }
        if (cityEntropy <= 0) {
            return null;
        }
        double mutualInformation = 0;
        for (Map<String, Long> unit : city.units()) {
            long unitTotal = declaredTotal(unit, city.groups());
            for (var group : city.groups().entrySet()) {
                long n = unit.getOrDefault(group.getKey(), 0L);
                if (n > 0) {
                    double expected = (double) unitTotal * group.getValue();
                    mutualInformation += (double) n / city.total()
                            * Math.log1p(difference(n, city.total(), unitTotal, group.getValue()) / expected);
                }
            }
        }
        return Figure.THEIL.clamp(mutualInformation / cityEntropy);
    }

    /** Groups present anywhere. */
    public static Set<String> groups(Map<String, Map<String, Long>> countsByUnit, String undeclared) {
        return Declared.of(countsByUnit, undeclared).groups().keySet();
    }

    /** The declared visits: per group city-wide (T_m), in all (T), and the activities' counts. */
    private record Declared(Map<String, Long> groups, long total, Iterable<Map<String, Long>> units) {
        static Declared of(Map<String, Map<String, Long>> countsByUnit, String undeclared) {
            Map<String, Long> groups = new HashMap<>();
            long total = 0;
            for (Map<String, Long> unit : countsByUnit.values()) {
                for (var e : unit.entrySet()) {
                    if (!e.getKey().equals(undeclared) && e.getValue() > 0) {
                        groups.merge(e.getKey(), e.getValue(), Long::sum);
                        total += e.getValue();
                    }
                }
            }
            return new Declared(groups, total, countsByUnit.values());
        }
    }

    /** t_i: an activity's visits by the declared groups. */
    private static long declaredTotal(Map<String, Long> unit, Map<String, Long> groups) {
        long total = 0;
        for (var e : unit.entrySet()) {
            if (groups.containsKey(e.getKey()) && e.getValue() > 0) {
                total += e.getValue();
            }
        }
        return total;
    }

    /** a·b − c·d, exact before the one rounding to double (the products of two counts may not fit a long). */
    private static double difference(long a, long b, long c, long d) {
        try {
            return Math.subtractExact(Math.multiplyExact(a, b), Math.multiplyExact(c, d));
        } catch (ArithmeticException beyondLong) {
            return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b))
                    .subtract(BigInteger.valueOf(c).multiply(BigInteger.valueOf(d))).doubleValue();
        }
    }

    private Segregation() {
    }
}
