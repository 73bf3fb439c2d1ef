package org.cohesionbarometer.streams.indicators;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.cohesionbarometer.schemas.Figure;

/**
 * Who meets whom: the mixing matrix of contacts between background groups and Newman's
 * assortativity coefficient.
 *
 * <p>For undirected contacts the matrix is symmetrised as in Newman (2003), "Mixing patterns in
 * networks", Phys. Rev. E 67, 026126, eq. (1)-(2): e_ij is the fraction of contact ends joining
 * groups i and j, so a contact between i ≠ j adds half to e_ij and half to e_ji. Then
 * a_i = Σ_j e_ij, b_j = Σ_i e_ij, and
 * <pre>  r = (Σ_i e_ii − Σ_i a_i b_i) / (1 − Σ_i a_i b_i)</pre>
 * r = 1 when every contact stays within a group, 0 when contacts mix as if at random, and its
 * lower bound r_min = −Σ a_i b_i / (1 − Σ a_i b_i) (Newman 2003, eq. (4)) is reached when no
 * contact stays within a group; r_min lies between −1 and 0, so r must be read against it.
 * Contacts with an undeclared side are left out of the matrix.
 */
public final class MixingMatrix {
    private final List<String> groups;
    private final double[][] e;
    private final long contacts;

    /** A contact count between two groups (order does not matter). */
    public record Pair(String groupA, String groupB, long contacts) {
    }

    private MixingMatrix(List<String> groups, double[][] e, long contacts) {
        this.groups = groups;
        this.e = e;
        this.contacts = contacts;
    }

    /** From undirected contact counts, leaving out any pair with the undeclared group. */
    public static MixingMatrix ofUndirected(List<Pair> pairs, String undeclared) {
        TreeSet<String> names = new TreeSet<>();
        long total = 0;
        for (Pair p : pairs) {
            if (!p.groupA().equals(undeclared) && !p.groupB().equals(undeclared) && p.contacts() > 0) {
                names.add(p.groupA());
                names.add(p.groupB());
                total += p.contacts();
            }
        }
        List<String> groups = new ArrayList<>(names);
        double[][] e = new double[groups.size()][groups.size()];
        for (Pair p : pairs) {
            if (p.groupA().equals(undeclared) || p.groupB().equals(undeclared) || p.contacts() <= 0) {
                continue;
            }
            int i = groups.indexOf(p.groupA());
            int j = groups.indexOf(p.groupB());
            double share = (double) p.contacts() / total;
            if (i == j) {
                e[i][i] += share;
            } else {
                e[i][j] += share / 2;
                e[j][i] += share / 2;
            }
        }
        return new MixingMatrix(groups, e, total);
    }

    /** From a (possibly asymmetric) matrix of fractions e_ij summing to 1, as Newman tabulates them. */
    public static MixingMatrix ofFractions(List<String> groups, double[][] e) {
        return new MixingMatrix(List.copyOf(groups), e, 0);
    }

    public List<String> groups() {
        return groups;
    }

    public double e(String i, String j) {
        return e[groups.indexOf(i)][groups.indexOf(j)];
    }

    public long contacts() {
        return contacts;
    }

    /** Σ_i e_ii: the share of contacts within a group. */
    public double withinShare() {
        double trace = 0;
        for (int i = 0; i < e.length; i++) {
            trace += e[i][i];
        }
        return trace;
    }

    private double sumAB() {
        double sum = 0;
        for (int i = 0; i < e.length; i++) {
            double a = 0;
            double b = 0;
            for (int j = 0; j < e.length; j++) {
                a += e[i][j];
                b += e[j][i];
            }
            sum += a * b;
        }
        return sum;
    }

    /**
     * The share of contact ends that would cross groups if people met at random given the group
     * sizes, 1 − Σ a_i b_i; the observed cross-group share divided by this is the mixing component
     * of the cohesion index.
     */
    public double expectedCrossShare() {
        return 1 - sumAB();
    }

    /** Newman's r; null when undefined (no contacts, or every contact end in one single group). */
    public Double assortativity() {
        double ab = sumAB();
        if (e.length == 0 || Math.abs(1 - ab) < 1e-12) {
            return null;
        }
        return Figure.ASSORTATIVITY.clamp((withinShare() - ab) / (1 - ab));
    }

    /** The lowest r these group sizes allow; null where r is undefined. */
    public Double assortativityLowerBound() {
        double ab = sumAB();
        if (e.length == 0 || Math.abs(1 - ab) < 1e-12) {
            return null;
        }
        return Figure.ASSORTATIVITY_LOWER_BOUND.clamp(-ab / (1 - ab));
    }
}
