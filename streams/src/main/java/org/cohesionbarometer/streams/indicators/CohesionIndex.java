package org.cohesionbarometer.streams.indicators;

import org.cohesionbarometer.schemas.Figure;

/**
 * A composite 0–100 proxy for cohesion, NOT a survey measure: a weighted mean of four
 * components, each scaled to 0–1:
 * <ul>
 *   <li>participation: the share of participants seen at two or more sessions in 30 days;</li>
 *   <li>diversity: the evenness of attendance over groups (Pielou's J);</li>
 *   <li>mixing: the observed cross-group share of contacts divided by the share expected if
 *       people met at random (1 − Σ a_i b_i), capped at 1;</li>
 *   <li>sentiment: the sentiment index / 100.</li>
 * </ul>
 * A component that is missing or suppressed drops out and the remaining weights are rescaled;
 * with none left the index is undefined (null). Weights are configurable and need not sum to 1.
 * The index is kept within 0–100 ({@link Figure#COHESION_INDEX}): a component of exactly 1 on paper
 * may come out a rounding error above it.
 */
public record CohesionIndex(double participationWeight, double diversityWeight, double mixingWeight,
                            double sentimentWeight) {
    public static final CohesionIndex EQUAL_WEIGHTS = new CohesionIndex(0.25, 0.25, 0.25, 0.25);

    public CohesionIndex {
        if (participationWeight < 0 || diversityWeight < 0 || mixingWeight < 0 || sentimentWeight < 0) {
            throw new IllegalArgumentException("cohesion index weights must not be negative");
        }
    }

    public static Double mixingComponent(Double crossShare, Double expectedCrossShare) {
        if (crossShare == null || expectedCrossShare == null || expectedCrossShare <= 0) {
            return null;
        }
        return Math.min(1.0, crossShare / expectedCrossShare);
    }

    public Double of(Double participation, Double diversity, Double mixing, Double sentiment) {
        double weighted = 0;
        double weights = 0;
        double[][] parts = {
                {participation == null ? Double.NaN : participation, participationWeight},
                {diversity == null ? Double.NaN : diversity, diversityWeight},
                {mixing == null ? Double.NaN : mixing, mixingWeight},
                {sentiment == null ? Double.NaN : sentiment, sentimentWeight}};
        for (double[] part : parts) {
            if (!Double.isNaN(part[0]) && part[1] > 0) {
                weighted += part[0] * part[1];
                weights += part[1];
            }
        }
        return weights == 0 ? null : Figure.COHESION_INDEX.clamp(100 * weighted / weights);
    }
}
