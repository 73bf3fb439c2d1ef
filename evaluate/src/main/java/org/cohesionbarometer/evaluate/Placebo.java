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

    /** Fake start dates: the estimate at every earlier start that leaves two periods on each side within the pre-period. */
    public record InTime(List<String> fakeStarts, double[] estimates, double realEstimate, double share) {
    }

    /**
     * In-time placebo: only the periods before the real start are kept, and the activity is
     * pretended to start at each of them in turn (two periods or more on each side). Nothing
     * happened then, so these estimates show how large a "change" arises from noise and
     * diverging trends alone; {@code share} is the share at least as large as the real one.
     */
    public static InTime shiftStart(Panel panel, List<String> periodsInOrder, String realStart) {
        double real = DifferenceInDifferences.estimate(panel).pooled().effect();
        List<String> before = periodsInOrder.subList(0, periodsInOrder.indexOf(realStart));
        List<String> fakeStarts = new ArrayList<>();
        List<Double> estimates = new ArrayList<>();
        for (int s = 2; s <= before.size() - 2; s++) {
            Set<String> fakePost = Set.copyOf(before.subList(s, before.size()));
            Panel fake = new Panel(panel.observations().stream().filter(o -> before.contains(o.period()))
                    .map(o -> new Panel.Observation(o.unit(), o.period(), o.treated(), fakePost.contains(o.period()), o.outcome()))
                    .toList());
            try {
                estimates.add(DifferenceInDifferences.estimate(fake).pooled().effect());
                fakeStarts.add(before.get(s));
            } catch (IllegalArgumentException tooFewUnits) {
                // a fake start that leaves too few units on a side says nothing; skip it
            }
        }
        double[] values = estimates.stream().mapToDouble(Double::doubleValue).toArray();
        long asLarge = estimates.stream().filter(e -> Math.abs(e) >= Math.abs(real)).count();
        return new InTime(fakeStarts, values, real, values.length == 0 ? Double.NaN : (double) asLarge / values.length);
    }

    private Placebo() {
    }
}
