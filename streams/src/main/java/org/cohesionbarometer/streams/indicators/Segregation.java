package org.cohesionbarometer.streams.indicators;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

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
 * </ul>
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
        return sum / 2;
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
        return (cityEntropy - within) / cityEntropy;
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
