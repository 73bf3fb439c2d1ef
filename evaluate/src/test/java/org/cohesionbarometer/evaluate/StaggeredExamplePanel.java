package org.cohesionbarometer.evaluate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The simulated panel behind docs/examples' group-time and interrupted-time-series reports
 * (docs/examples/README.md): 24 neighbourhoods over 20 weeks; activities start in week 6 in six
 * of them, in week 10 in six more and in week 14 in six more; six never have one. The cross-group
 * share is 0.25 plus a neighbourhood level (sd 0.03), a common seasonal swing, noise (sd 0.012)
 * and, from a neighbourhood's start on, an effect of 0.04 growing by 0.005 a week. Fixed seed, so
 * the file is the same on every machine.
 */
final class StaggeredExamplePanel {
    static final String FILE = "staggered-activities-panel.csv";

    static String csv() {
        SplittableRandom random = new SplittableRandom(20261202L);
        StringBuilder out = new StringBuilder("neighbourhood,week,first_week,cross_group_share\n");
        for (int u = 0; u < 24; u++) {
            int start = u < 6 ? 6 : u < 12 ? 10 : u < 18 ? 14 : 0; // 0: never
            double level = 0.25 + 0.03 * gaussian(random);
            for (int week = 1; week <= 20; week++) {
                double season = 0.015 * Math.sin(week / 3.0);
                double effect = start > 0 && week >= start ? 0.04 + 0.005 * (week - start) : 0;
                double y = level + season + effect + 0.012 * gaussian(random);
                out.append(String.format(Locale.ROOT, "n%02d,%s,%s,%.4f%n", u, label(week), start == 0 ? "" : label(start), y));
            }
        }
        return out.toString();
    }

    static String label(int week) {
        return String.format(Locale.ROOT, "2026-W%02d", week);
    }

    private static double gaussian(SplittableRandom random) {
        // Box–Muller: SplittableRandom has no nextGaussian before Java 17's RandomGenerator default
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    static void write(Path dir) throws IOException {
        Files.writeString(dir.resolve(FILE), csv());
    }

    private StaggeredExamplePanel() {
    }
}
