package org.bmsim.calib.fit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bmsim.calib.PolynomialFit;
import org.bmsim.common.BadInputException;

/**
 * The state dependence of a calibration: per-level estimates (the programming spread, the read-noise
 * scale) fitted as polynomials in G by weighted least squares, the degree chosen by BIC, with
 * bootstrap intervals (docs/calibration.md section 3, "State dependence").
 */
final class LevelCurves {
    private LevelCurves() {
    }

    /**
     * The curve y(g) over the levels: weights {@link #curveWeights}, the degree 0 .. min(maxDegree, L - 2)
     * by BIC among the degrees whose curve stays positive over the window (if asked), the coefficients'
     * percentile intervals at that degree and the curve's values at the levels with the degree chosen
     * again in every replicate (bootstrap model selection).
     *
     * @param source the data's name, for the error
     * @param reps the bootstrap replicates' estimate vectors, level k's values at k stride + offset
     * @param xOffset where a replicate's own g of level k sits (k stride + xOffset), null: g fixed
     */
    static CalibrationResult.Curve fit(String source, int maxDegree, String name, double[] g, double[] y, double[] var,
            double[][] reps, int stride, int offset, double[] win, boolean positive, double lo, double hi, Integer xOffset) {
        int levels = g.length;
        int maxDeg = Math.min(maxDegree, levels - 2);
        double[] wts = curveWeights(g, y, var, Math.max(maxDeg, 0));
        double bestBic = Double.POSITIVE_INFINITY;
        int bestDeg = 0;
        double[] bestC = null;
        List<double[]> table = new ArrayList<>();
        for (int deg = 0; deg <= Math.max(maxDeg, 0); deg++) {
            double[] c = weightedPoly(g, y, wts, deg);
            double chi2 = 0;
            for (int k = 0; k < levels; k++) {
                double r = y[k] - PolynomialFit.evaluate(c, g[k]);
                chi2 += wts[k] * r * r;
            }
            double bicv = chi2 + (deg + 1) * Math.log(levels);
            boolean ok = !positive || positiveOver(c, win[0], win[1]);
            table.add(new double[] {deg, chi2, bicv, ok ? 1 : 0});
            if (ok && bicv < bestBic) {
                bestBic = bicv;
                bestDeg = deg;
                bestC = c;
            }
        }
        if (bestC == null) {
            throw new BadInputException(source + ": no polynomial of degree <= " + maxDeg + " for " + name
                    + " stays positive over the window [" + win[0] + ", " + win[1] + "] uS");
        }
        int nb = reps.length;
        double[][] coef = new double[nb][];
        // the curve at the levels: the degree is chosen again in every replicate, so that the interval
        // includes the uncertainty of the model order (bootstrap model selection)
        double[][] curveAt = new double[nb][];
        for (int b = 0; b < nb; b++) {
            double[] yb = new double[levels];
            double[] gb = new double[levels];
            for (int k = 0; k < levels; k++) {
                yb[k] = reps[b][k * stride + offset];
                gb[k] = xOffset == null ? g[k] : reps[b][k * stride + xOffset];
            }
            coef[b] = weightedPoly(gb, yb, wts, bestDeg);
            double[] cb = selectDegree(gb, yb, wts, maxDeg, positive, win)[1];
            curveAt[b] = new double[levels];
            for (int k = 0; k < levels; k++) {
                curveAt[b][k] = cb == null ? Double.NaN : PolynomialFit.evaluate(cb, g[k]);
            }
        }
        List<CalibrationResult.Estimate> ce = new ArrayList<>();
        for (int i = 0; i <= bestDeg; i++) {
            double[] col = BootstrapIntervals.column(coef, i);
            ce.add(new CalibrationResult.Estimate(name + ".c" + i, i == 0 ? "uS" : "uS^" + (1 - i),
                    bestC[i], BootstrapIntervals.pct(col, lo), BootstrapIntervals.pct(col, hi)));
        }
        List<CalibrationResult.Estimate> at = new ArrayList<>();
        for (int k = 0; k < levels; k++) {
            double[] vals = BootstrapIntervals.column(curveAt, k);
            at.add(new CalibrationResult.Estimate(name + "(level" + k + ")", "uS", PolynomialFit.evaluate(bestC, g[k]),
                    BootstrapIntervals.pct(vals, lo), BootstrapIntervals.pct(vals, hi)));
        }
        return new CalibrationResult.Curve(name, bestDeg, bestC, ce, at, table, g, y);
    }

    /**
     * Weights of the curve fit: 1 / (cv_k^2 f(g_k)^2), with cv_k^2 = var_k / y_k^2 the bootstrap's relative
     * variance of the level's estimate and f a smooth reference curve (the largest degree, refitted
     * twice with these weights). Plain 1 / var_k would correlate the weights with the estimates' own
     * errors: a scale estimate's bootstrap variance grows as its square, so a level whose estimate came
     * out low would get a larger weight, biasing the curve low (by about 2 cv^2 relative, 1% at the
     * recovery study's 125 devices per level). The relative variance of a scale estimate does not
     * depend on its error to first order (cv^2 = 1 / (2 n) for a Gaussian sd), and f averages the
     * levels' errors out of the weights. Falls back to 1 / var_k where y_k or f(g_k) is not positive.
     */
    static double[] curveWeights(double[] g, double[] y, double[] var, int deg) {
        int n = g.length;
        double[] w = new double[n];
        for (int k = 0; k < n; k++) {
            w[k] = 1.0 / Math.max(var[k], 1e-30);
        }
        for (int it = 0; it < 2; it++) {
            double[] c = weightedPoly(g, y, w, deg);
            double[] next = new double[n];
            for (int k = 0; k < n; k++) {
                double f = PolynomialFit.evaluate(c, g[k]);
                double cv2 = var[k] / (y[k] * y[k]);
                next[k] = y[k] > 0 && f > 0 && cv2 > 0 && Double.isFinite(cv2) ? 1.0 / (cv2 * f * f)
                        : 1.0 / Math.max(var[k], 1e-30);
            }
            w = next;
        }
        return w;
    }

    /** {degree}, coefficients of the BIC-best degree (positive over the window if asked), or null. */
    private static double[][] selectDegree(double[] g, double[] y, double[] wts, int maxDeg, boolean positive, double[] win) {
        double bestBic = Double.POSITIVE_INFINITY;
        double[] bestC = null;
        int bestDeg = -1;
        for (int deg = 0; deg <= Math.max(maxDeg, 0); deg++) {
            double[] c = weightedPoly(g, y, wts, deg);
            double chi2 = 0;
            for (int k = 0; k < g.length; k++) {
                double r = y[k] - PolynomialFit.evaluate(c, g[k]);
                chi2 += wts[k] * r * r;
            }
            double bicv = chi2 + (deg + 1) * Math.log(g.length);
            if ((!positive || positiveOver(c, win[0], win[1])) && bicv < bestBic) {
                bestBic = bicv;
                bestC = c;
                bestDeg = deg;
            }
        }
        return new double[][] {{bestDeg}, bestC};
    }

    private static double[] weightedPoly(double[] x, double[] y, double[] w, int deg) {
        // weighted least squares through PolynomialFit on sqrt(w)-scaled rows is not its API; use repetition-free normal eqs
        int n = x.length;
        int p = deg + 1;
        double lo = Arrays.stream(x).min().orElse(0);
        double hi = Arrays.stream(x).max().orElse(1);
        double c = 0.5 * (lo + hi);
        double h = hi > lo ? 0.5 * (hi - lo) : 1;
        org.ejml.data.DMatrixRMaj a = new org.ejml.data.DMatrixRMaj(n, p);
        org.ejml.data.DMatrixRMaj b = new org.ejml.data.DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            double sw = Math.sqrt(w[i]);
            double t = (x[i] - c) / h;
            double pw = 1;
            for (int j = 0; j < p; j++) {
                a.set(i, j, sw * pw);
                pw *= t;
            }
            b.set(i, 0, sw * y[i]);
        }
        var solver = org.ejml.dense.row.factory.LinearSolverFactory_DDRM.leastSquares(n, p);
        org.ejml.data.DMatrixRMaj ct = new org.ejml.data.DMatrixRMaj(p, 1);
        if (!solver.setA(a)) {
            return new double[p];
        }
        solver.solve(b, ct);
        // expand sum_j ct_j ((x - c)/h)^j into powers of x
        double[] out = new double[p];
        double[] basis = new double[p];
        basis[0] = 1;
        for (int j = 0; j < p; j++) {
            if (j > 0) {
                for (int k = j; k >= 0; k--) {
                    double fromLower = k > 0 ? basis[k - 1] / h : 0;
                    basis[k] = fromLower - basis[k] * c / h;
                }
            }
            for (int k = 0; k <= j; k++) {
                out[k] += ct.get(j, 0) * basis[k];
            }
        }
        return out;
    }

    /** Positive at 257 evenly spaced points of the window (the machine loader's check). */
    static boolean positiveOver(double[] c, double lo, double hi) {
        for (int k = 0; k < 257; k++) {
            if (!(PolynomialFit.evaluate(c, lo + (hi - lo) * k / 256) > 0)) {
                return false;
            }
        }
        return true;
    }
}
