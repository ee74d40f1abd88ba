package org.bmsim.calib;

import org.bmsim.common.BadInputException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Least-squares polynomial fit y = c0 + c1 x + ... + cd x^d, the form in which published device
 * noise is given (for example sigma_prog(g) of PCM, Joshi et al. 2020, a quadratic in g/g_max; the
 * RRAM programming error of Wan et al. 2022, a cubic in G). Calibration fits these curves to a
 * user's measured (conductance, sigma) pairs.
 *
 * <p>Solved by Householder QR on the Vandermonde matrix (EJML), which is better conditioned than the
 * normal equations; x is centred and scaled to [-1, 1] before the solve and the coefficients are
 * mapped back, so a cubic over 0..40 uS stays accurate.
 */
public final class PolynomialFit {
    private PolynomialFit() {
    }

    /** Coefficients c0..cd, lowest order first. */
    public static double[] fit(double[] x, double[] y, int degree) {
        if (x.length != y.length) {
            throw new BadInputException("x has " + x.length + " values but y has " + y.length);
        }
        if (degree < 0 || degree > 8) {
            throw new BadInputException("polynomial degree " + degree + " is outside 0..8");
        }
        if (x.length < degree + 1) {
            throw new BadInputException("a degree-" + degree + " fit needs at least " + (degree + 1) + " points, got "
                    + x.length);
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new BadInputException("point " + i + " is not finite: (" + x[i] + ", " + y[i] + ")");
            }
            lo = Math.min(lo, x[i]);
            hi = Math.max(hi, x[i]);
        }
        long distinct = java.util.Arrays.stream(x).distinct().count();
        if (distinct < degree + 1) {
            throw new BadInputException("a degree-" + degree + " fit needs " + (degree + 1)
                    + " distinct x values, got " + distinct);
        }
        double centre = 0.5 * (lo + hi);
        double half = hi > lo ? 0.5 * (hi - lo) : 1.0;
        int n = x.length;
        int m = degree + 1;
        DMatrixRMaj a = new DMatrixRMaj(n, m);
        DMatrixRMaj b = new DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            double t = (x[i] - centre) / half;
            double p = 1;
            for (int j = 0; j < m; j++) {
                a.set(i, j, p);
                p *= t;
            }
            b.set(i, 0, y[i]);
        }
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.leastSquares(n, m);
        if (!solver.setA(a)) {
            throw new BadInputException("the points do not determine a degree-" + degree
                    + " polynomial (too few distinct x values)");
        }
        DMatrixRMaj ct = new DMatrixRMaj(m, 1);
        solver.solve(b, ct);
        // Expand sum_j ct_j ((x - centre) / half)^j into powers of x.
        double[] c = new double[m];
        double[] basis = new double[m]; // coefficients of ((x - centre)/half)^j in powers of x
        basis[0] = 1;
        for (int j = 0; j < m; j++) {
            if (j > 0) {
                for (int k = j; k >= 0; k--) {
                    double fromLower = k > 0 ? basis[k - 1] / half : 0;
                    basis[k] = fromLower - basis[k] * centre / half;
                }
            }
            for (int k = 0; k <= j; k++) {
                c[k] += ct.get(j, 0) * basis[k];
            }
        }
        return c;
    }

    /** Evaluates c0 + c1 x + ... by Horner's rule. */
    public static double evaluate(double[] c, double x) {
        double s = 0;
        for (int j = c.length - 1; j >= 0; j--) {
            s = s * x + c[j];
        }
        return s;
    }
}
