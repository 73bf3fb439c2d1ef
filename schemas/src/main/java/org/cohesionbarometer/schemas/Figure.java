package org.cohesionbarometer.schemas;

/**
 * Every derived figure the barometer publishes and the range its definition confines it to
 * (docs/methods.md). This is the one statement of those ranges: the streams stage brings a value
 * that left its range by floating-point rounding back to it ({@link #clamp}), and the database's
 * check constraints on the column of the same name ({@link #column()}) state the same bounds — a
 * sink test compares them column by column.
 *
 * <p>Only rounding is forgiven. Sums of shares that are exactly 1 on paper come out as
 * 1.0000000000000002 (five equal groups: evenness), and a difference of two equal entropies as
 * −1.3e-16 (Theil's H of activities in identical proportions); a database that refused those
 * would keep an earlier, partial update of the window. A value further out than {@link #TOLERANCE}
 * of the range's width is a mistake, not rounding, and is passed on unchanged so that the
 * database refuses it and the refusal is seen (a dead letter, a marked window, an alert).
 */
public enum Figure {
    GINI_SIMPSON(0, 1),
    GINI_SIMPSON_UNBIASED(0, 1),
    /** Shannon's H in nats: at most ln K for K groups, so no fixed upper bound. */
    SHANNON(0, Double.POSITIVE_INFINITY),
    EVENNESS(0, 1),
    CROSS_GROUP_SHARE(0, 1),
    ASSORTATIVITY(-1, 1),
    /**
     * Newman's r_min = −Σ a_i b_i / (1 − Σ a_i b_i): −1 or above while Σ a_i b_i ≤ ½, below −1 when one
     * group holds most contact ends (and r cannot get down to it, as contacts within that group are
     * then unavoidable).
     */
    ASSORTATIVITY_LOWER_BOUND(Double.NEGATIVE_INFINITY, 0),
    FIRST_TIME_SHARE(0, 1),
    SUSTAINED_SHARE(0, 1),
    COHESION_INDEX(0, 100),
    /** The sentiment index and its 95% interval's bounds. */
    SENTIMENT_INDEX(0, 100),
    SENTIMENT_MEAN_1_TO_5(1, 5),
    /** Theil's information index H of the city's activities. */
    THEIL(0, 1),
    /** Duncan's D of a pair of groups. */
    DISSIMILARITY(0, 1),
    /** Reardon and Firebaugh's multigroup D. */
    MULTIGROUP_DISSIMILARITY(0, 1);

    /** How far outside its range, relative to the range's width (1 where unbounded), a value counts as rounding. */
    public static final double TOLERANCE = 1e-9;

    private final double lowest;
    private final double highest;

    Figure(double lowest, double highest) {
        this.lowest = lowest;
        this.highest = highest;
    }

    public double lowest() {
        return lowest;
    }

    public double highest() {
        return highest;
    }

    /** The database column that holds this figure, where one does: its name in snake case. */
    public String column() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The value brought back into the range if rounding took it out; null stays null, a mistake stays as it is. */
    public Double clamp(Double value) {
        if (value == null || value.isNaN()) {
            return value;
        }
        double slack = TOLERANCE * (Double.isInfinite(highest - lowest) ? 1 : highest - lowest);
        if (value < lowest && value >= lowest - slack) {
            return lowest;
        }
        if (value > highest && value <= highest + slack) {
            return highest;
        }
        return value;
    }
}
