package org.bmsim.sim.tile;

import java.util.Arrays;

/**
 * The two-sample Kolmogorov-Smirnov test: D = sup |F1(x) - F2(x)| of the two empirical
 * distribution functions, and its asymptotic p-value
 * {@code Q_KS(lambda) = 2 sum_k (-1)^(k-1) exp(-2 k^2 lambda^2)},
 * {@code lambda = (sqrt(n_e) + 0.12 + 0.11 / sqrt(n_e)) D}, {@code n_e = n1 n2 / (n1 + n2)}
 * (Stephens 1970; Press et al., Numerical Recipes, 3rd ed., section 14.3.3).
 */
public final class KsTest {
    private KsTest() {
    }

    /** Result: the statistic and its p-value. */
    public record Result(double d, double pValue) {
    }

    public static Result twoSample(float[] a, float[] b) {
        float[] x = a.clone();
        float[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < x.length && j < y.length) {
            float v = Math.min(x[i], y[j]);
            while (i < x.length && x[i] <= v) {
                i++;
            }
            while (j < y.length && y[j] <= v) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / x.length - (double) j / y.length));
        }
        double ne = (double) x.length * y.length / (x.length + y.length);
        double sq = Math.sqrt(ne);
        return new Result(d, qks((sq + 0.12 + 0.11 / sq) * d));
    }

    /** The Kolmogorov survival function Q_KS. */
    static double qks(double lambda) {
        if (lambda < 0.2) {
            return 1.0;
        }
        double sum = 0;
        double sign = 1;
        for (int k = 1; k <= 100; k++) {
            double term = sign * Math.exp(-2.0 * k * k * lambda * lambda);
            sum += term;
            if (Math.abs(term) < 1e-12) {
                break;
            }
            sign = -sign;
        }
        return Math.max(0, Math.min(1, 2 * sum));
    }
}
