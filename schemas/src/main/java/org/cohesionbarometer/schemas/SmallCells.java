package org.cohesionbarometer.schemas;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Small-cell suppression, so that no published number singles out a few people: the privacy rule
 * every process that publishes a figure must agree on, stated once. The streams stage withholds
 * cells with it, the sink's migrations write its k into the published views (Flyway placeholder
 * {@code suppression_k}), and the dashboards' texts speak of "fewer than k".
 *
 * <p>Primary: a cell counting fewer than k people (or taps) is withheld. Secondary: if exactly
 * one cell of a published total is withheld, it could be recovered by subtracting the others
 * from the total, so the smallest remaining cell is withheld too (the standard complementary
 * suppression of statistical disclosure control; Hundepool et al. 2012, "Statistical Disclosure
 * Control", §5.3). When the total itself is below k everything is withheld. k is at least 5.
 */
public record SmallCells(int k) {
    /** The floor of k: below it small groups become identifiable. */
    public static final int MINIMUM_K = 5;
    /** k where {@code BAROMETER_SUPPRESSION_K} is not set. */
    public static final int DEFAULT_K = 10;
    public static final SmallCells DEFAULT = new SmallCells(DEFAULT_K);

    public SmallCells {
        if (k < MINIMUM_K) {
            throw new IllegalArgumentException("k = " + k + " is below the minimum of " + MINIMUM_K
                    + ": small groups would become identifiable");
        }
    }

    /** k from {@code BAROMETER_SUPPRESSION_K}, refused below the floor. */
    public static SmallCells fromEnvironment(Environment env) {
        return new SmallCells(env.integer("BAROMETER_SUPPRESSION_K", DEFAULT_K));
    }

    /** The cells that may be published, and the names of those withheld. */
    public record Published(Map<String, Long> cells, Set<String> withheld, boolean totalWithheld) {
    }

    public boolean isSmall(long count) {
        return count < k;
    }

    public Published suppress(Map<String, Long> cells) {
        long total = cells.values().stream().mapToLong(Long::longValue).sum();
        if (isSmall(total)) {
            return new Published(Map.of(), new TreeSet<>(cells.keySet()), true);
        }
        Map<String, Long> published = new LinkedHashMap<>();
        Set<String> withheld = new TreeSet<>();
        cells.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            if (e.getValue() > 0 && isSmall(e.getValue())) {
                withheld.add(e.getKey());
            } else {
                published.put(e.getKey(), e.getValue());
            }
        });
        if (withheld.size() == 1 && !published.isEmpty()) {
            String complement = published.entrySet().stream()
                    .min(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).thenComparing(Map.Entry::getKey))
                    .orElseThrow().getKey();
            published.remove(complement);
            withheld.add(complement);
        }
        return new Published(published, withheld, false);
    }
}
