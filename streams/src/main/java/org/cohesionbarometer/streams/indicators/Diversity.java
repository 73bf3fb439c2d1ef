package org.cohesionbarometer.streams.indicators;

import java.util.Map;
import org.cohesionbarometer.schemas.Figure;

/**
 * Diversity of attendance over the declared background groups (undeclared people are left out:
 * their group is unknown, not a group of its own).
 *
 * <ul>
 *   <li>Gini-Simpson index 1 − Σ p_i²: the chance that two people drawn with replacement are of
 *       different groups (Simpson 1949, "Measurement of diversity", Nature 163:688).</li>
 *   <li>Its unbiased small-sample form 1 − Σ n_i(n_i − 1) / (N(N − 1)): the same chance drawn
 *       without replacement (Simpson 1949); undefined for N &lt; 2.</li>
 *   <li>Shannon entropy H = − Σ p_i ln p_i (natural log) and evenness (Pielou's J) H / ln K for K
 *       groups present; evenness is undefined for K &lt; 2.</li>
 * </ul>
 * Undefined values are {@code null}. Each value is kept within its {@link Figure} range: five equal
 * groups give an evenness of 1.0000000000000002 in floating point, stored as 1.
 */
public record Diversity(long people, int groups, Double giniSimpson, Double giniSimpsonUnbiased,
                        Double shannon, Double evenness) {

    public static Diversity of(Map<String, Long> headcountByGroup, String undeclared) {
        long n = 0;
        int k = 0;
        for (var e : headcountByGroup.entrySet()) {
            if (!e.getKey().equals(undeclared) && e.getValue() > 0) {
                n += e.getValue();
                k++;
            }
        }
        if (n == 0) {
            return new Diversity(0, 0, null, null, null, null);
        }
        double sumP2 = 0;
        double sumPairs = 0;
        double shannon = 0;
        for (var e : headcountByGroup.entrySet()) {
            long count = e.getValue();
            if (e.getKey().equals(undeclared) || count <= 0) {
                continue;
            }
            double p = (double) count / n;
            sumP2 += p * p;
            sumPairs += (double) count * (count - 1);
            shannon -= p * Math.log(p);
        }
        Double unbiased = n < 2 ? null : 1 - sumPairs / ((double) n * (n - 1));
        Double evenness = k < 2 ? null : shannon / Math.log(k);
        return new Diversity(n, k, Figure.GINI_SIMPSON.clamp(1 - sumP2), Figure.GINI_SIMPSON_UNBIASED.clamp(unbiased),
                Figure.SHANNON.clamp(shannon), Figure.EVENNESS.clamp(evenness));
    }
}
