package org.cohesionbarometer.streams.indicators;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.statistics.distribution.TDistribution;
import org.cohesionbarometer.schemas.Figure;

/**
 * The answers to one kiosk question as a 0–100 index: the levels of an n-button scale are
 * spaced evenly from 0 (most negative, level 1) to 100 (most positive, level n) — for five
 * buttons 0/25/50/75/100 — and the index is their mean, with a 95% confidence interval from
 * Student's t distribution (mean ± t(0.975, N−1)·s/√N, s the sample standard deviation, clipped
 * to 0–100). The classic 1–5 mean maps the same levels evenly onto 1–5.
 * With a single tap the interval is undefined (null).
 */
public record SentimentIndex(long taps, Double index, Double lower95, Double upper95, Double mean1to5) {

    /**
     * t(0.975, df) by degrees of freedom: the quantile is found by iteration, which profiling showed as
     * half the cost of deriving a window's indicators; a city's windows need
     * only as many values as they have distinct tap counts.
     */
    private static final Map<Long, Double> T_975 = new ConcurrentHashMap<>();

    /** @param tapsByLevel taps per level 1..scale */
    public static SentimentIndex of(int scale, Map<Integer, Long> tapsByLevel) {
        if (scale < 2) {
            throw new IllegalArgumentException("a scale needs at least 2 buttons, not " + scale);
        }
        long n = 0;
        double sum = 0;
        double sumSquares = 0;
        for (var e : tapsByLevel.entrySet()) {
            int level = e.getKey();
            if (level < 1 || level > scale) {
                throw new IllegalArgumentException("level " + level + " is not on a " + scale + "-button scale");
            }
            double value = 100.0 * (level - 1) / (scale - 1);
            n += e.getValue();
            sum += value * e.getValue();
            sumSquares += value * value * e.getValue();
        }
        if (n == 0) {
            return new SentimentIndex(0, null, null, null, null);
        }
        double mean = Figure.SENTIMENT_INDEX.clamp(sum / n);
        double mean1to5 = Figure.SENTIMENT_MEAN_1_TO_5.clamp(1 + 4 * mean / 100);
        if (n < 2) {
            return new SentimentIndex(n, mean, null, null, mean1to5);
        }
        double variance = Math.max(0, (sumSquares - n * mean * mean) / (n - 1));
        double half = t975(n - 1) * Math.sqrt(variance / n);
        return new SentimentIndex(n, mean, Math.max(0, mean - half), Math.min(100, mean + half), mean1to5);
    }

    private static double t975(long degreesOfFreedom) {
        return degreesOfFreedom < 65_536
                ? T_975.computeIfAbsent(degreesOfFreedom, SentimentIndex::quantile)
                : quantile(degreesOfFreedom);
    }

    private static double quantile(long degreesOfFreedom) {
        return TDistribution.of(degreesOfFreedom).inverseCumulativeProbability(0.975);
    }
}
