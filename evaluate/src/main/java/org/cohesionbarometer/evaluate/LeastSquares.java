package org.cohesionbarometer.evaluate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * Ordinary least squares with heteroskedasticity-robust and cluster-robust covariance, on Apache
 * Commons Math's linear algebra.
 * <ul>
 *   <li>HC1 (MacKinnon &amp; White 1985): n/(n−k) · (X'X)⁻¹ X' diag(e²) X (X'X)⁻¹, t with n−k df.</li>
 *   <li>CR1, clustered by unit (Liang &amp; Zeger 1986; the Stata small-sample correction):
 *       G/(G−1) · (n−1)/(n−k) · (X'X)⁻¹ Σ_g X_g' e_g e_g' X_g (X'X)⁻¹, t with G−1 df.</li>
 * </ul>
 */
final class LeastSquares {
    final double[] beta;
    final RealMatrix hc1;
    final RealMatrix clustered;
    final int n;
    final int k;
    final int clusters;

    LeastSquares(double[][] x, double[] y, List<String> clusterOf) {
        RealMatrix design = new Array2DRowRealMatrix(x, false);
        RealVector outcome = new ArrayRealVector(y, false);
        n = x.length;
        k = x[0].length;
        RealMatrix bread = new LUDecomposition(design.transpose().multiply(design)).getSolver().getInverse();
        RealVector b = bread.operate(design.transpose().operate(outcome));
        beta = b.toArray();
        RealVector residuals = outcome.subtract(design.operate(b));

        RealMatrix meat = new Array2DRowRealMatrix(k, k);
        for (int i = 0; i < n; i++) {
            RealVector xi = design.getRowVector(i);
            meat = meat.add(xi.outerProduct(xi).scalarMultiply(residuals.getEntry(i) * residuals.getEntry(i)));
        }
        hc1 = bread.multiply(meat).multiply(bread).scalarMultiply((double) n / (n - k));

        Map<String, RealVector> scores = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            RealVector xe = design.getRowVector(i).mapMultiply(residuals.getEntry(i));
            scores.merge(clusterOf.get(i), xe, RealVector::add);
        }
        clusters = scores.size();
        RealMatrix clusterMeat = new Array2DRowRealMatrix(k, k);
        for (RealVector s : scores.values()) {
            clusterMeat = clusterMeat.add(s.outerProduct(s));
        }
        double correction = clusters < 2 ? Double.NaN
                : (double) clusters / (clusters - 1) * (n - 1.0) / (n - k);
        clustered = bread.multiply(clusterMeat).multiply(bread).scalarMultiply(correction);
    }

    double seHc1(int j) {
        return Math.sqrt(hc1.getEntry(j, j));
    }

    double seClustered(int j) {
        return Math.sqrt(clustered.getEntry(j, j));
    }
}
