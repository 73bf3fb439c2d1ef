package org.cohesionbarometer.evaluate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Permutation (placebo) inference: the treatment is reassigned at random among all units, as many
 * times as asked, keeping the number of treated units, and the difference-in-differences is
 * recomputed each time. The real estimate's rank among these placebo estimates gives a p-value
 * that does not lean on large-sample theory: p = (1 + #{|placebo| ≥ |real|}) / (1 + R)
 * (Fisher's randomization test; cf. Abadie, Diamond &amp; Hainmueller 2010 for the placebo logic).
 */
public final class Placebo {

    public record Result(double estimate, double[] placebos, double pValue) {
    }

    public static Result permuteUnits(Panel panel, int permutations, long seed) {
        double real = DifferenceInDifferences.estimate(panel).pooled().effect();
        List<String> units = new ArrayList<>(new TreeSet<>(panel.observations().stream().map(Panel.Observation::unit).toList()));
        int treatedCount = panel.units(true).size();
        SplittableRandom random = new SplittableRandom(seed);
        double[] placebos = new double[permutations];
        int asExtreme = 0;
        for (int r = 0; r < permutations; r++) {
            List<String> shuffled = new ArrayList<>(units);
            for (int i = shuffled.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                String tmp = shuffled.get(i);
                shuffled.set(i, shuffled.get(j));
                shuffled.set(j, tmp);
            }
            Set<String> fakeTreated = Set.copyOf(shuffled.subList(0, treatedCount));
            Panel placebo = new Panel(panel.observations().stream()
                    .map(o -> new Panel.Observation(o.unit(), o.period(), fakeTreated.contains(o.unit()), o.post(), o.outcome()))
                    .toList());
            placebos[r] = DifferenceInDifferences.estimate(placebo).pooled().effect();
            if (Math.abs(placebos[r]) >= Math.abs(real)) {
                asExtreme++;
            }
        }
        Arrays.sort(placebos);
        return new Result(real, placebos, (1.0 + asExtreme) / (1.0 + permutations));
    }

    private Placebo() {
    }
}
