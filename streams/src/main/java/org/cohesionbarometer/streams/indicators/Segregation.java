package org.cohesionbarometer.streams.indicators;

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
 * Every index is kept within 0–1 ({@link Figure}): the difference of two equal entropies, for
 * activities in identical proportions, comes out as −1.3e-16 in floating point, stored as 0.
 * The counts are visits (the summed headcounts of the day's sessions), not distinct people:
 * see docs/methods.md.
 */
public final class Segregation {

    /** @param countsByUnit per activity, per group: headcount. Null when a group is absent everywhere. */
    public static Double dissimilarity(Map<String, Map<String, Long>> countsByUnit, String groupA, String groupB) {
        double totalA = 0;
        double totalB = 0;
        for (Map<String, Long> unit : countsByUnit.values()) {
            totalA += unit.getOrDefault(groupA, 0L);
            totalB += unit.getOrDefault(groupB, 0L);
        }
        if (totalA == 0 || totalB == 0) {
            return null;
        }
        double sum = 0;
        for (Map<String, Long> unit : countsByUnit.values()) {
            sum += Math.abs(unit.getOrDefault(groupA, 0L) / totalA - unit.getOrDefault(groupB, 0L) / totalB);
        }
        return Figure.DISSIMILARITY.clamp(sum / 2);
    }

    /** Reardon and Firebaugh's multigroup D; null when the city has fewer than two groups (I = 0) or nobody. */
    public static Double multigroupDissimilarity(Map<String, Map<String, Long>> countsByUnit, String undeclared) {
        Map<String, Double> cityCounts = new HashMap<>();
        double total = 0;
        for (Map<String, Long> unit : countsByUnit.values()) {
            for (var e : unit.entrySet()) {
                if (!e.getKey().equals(undeclared) && e.getValue() > 0) {
                    cityCounts.merge(e.getKey(), (double) e.getValue(), Double::sum);
                    total += e.getValue();
                }
            }
        }
        if (total == 0) {
            return null;
        }
        double interaction = 0;
        for (double n : cityCounts.values()) {
            interaction += n / total * (1 - n / total);
        }
        if (interaction <= 0) {
            return null;
        }
        double sum = 0;
        for (Map<String, Long> unit : countsByUnit.values()) {
            double unitTotal = 0;
            for (var e : unit.entrySet()) {
                if (!e.getKey().equals(undeclared) && e.getValue() > 0) {
                    unitTotal += e.getValue();
                }
            }
            if (unitTotal == 0) {
                continue;
            }
            // t_i |π_im − π_m| = |t_im − t_i T_m / T|, over every group present in the city
            for (var group : cityCounts.entrySet()) {
                sum += Math.abs(unit.getOrDefault(group.getKey(), 0L) - unitTotal * group.getValue() / total);
            }
        }
        return Figure.MULTIGROUP_DISSIMILARITY.clamp(sum / (2 * total * interaction));
    }

    /** Theil's H; null when the city has fewer than two groups (E = 0) or nobody. */
    public static Double theil(Map<String, Map<String, Long>> countsByUnit, String undeclared) {
        Map<String, Double> cityCounts = new HashMap<>();
        double total = 0;
        for (Map<String, Long> unit : countsByUnit.values()) {
            for (var e : unit.entrySet()) {
                if (!e.getKey().equals(undeclared) && e.getValue() > 0) {
                    cityCounts.merge(e.getKey(), (double) e.getValue(), Double::sum);
                    total += e.getValue();
                }
            }
        }
        if (total == 0) {
            return null;
        }
        double cityEntropy = entropy(cityCounts.values(), total);
        if (cityEntropy <= 0) {
            return null;
        }
        double within = 0;
        for (Map<String, Long> unit : countsByUnit.values()) {
            Map<String, Double> declared = new HashMap<>();
            double unitTotal = 0;
            for (var e : unit.entrySet()) {
                if (!e.getKey().equals(undeclared) && e.getValue() > 0) {
                    declared.put(e.getKey(), (double) e.getValue());
                    unitTotal += e.getValue();
                }
            }
            if (unitTotal > 0) {
                within += unitTotal / total * entropy(declared.values(), unitTotal);
            }
        }
        return Figure.THEIL.clamp((cityEntropy - within) / cityEntropy);
    }

    /** Groups present anywhere. */
    public static Set<String> groups(Map<String, Map<String, Long>> countsByUnit, String undeclared) {
        Set<String> groups = new HashSet<>();
        countsByUnit.values().forEach(u -> u.forEach((g, c) -> {
            if (!g.equals(undeclared) && c > 0) {
                groups.add(g);
            }
        }));
        return groups;
    }

    private static double entropy(Iterable<Double> counts, double total) {
        double h = 0;
        for (double c : counts) {
            double p = c / total;
            h -= p * Math.log(p);
        }
        return h;
    }

    private Segregation() {
    }
}
