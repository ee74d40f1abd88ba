package org.bmsim.calib.fit;

import java.util.Arrays;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

/**
 * Goodness of fit of residuals x to a fitted distribution F:
 *
 * <pre>
 *   KS   D = sup |F_n - F|, p-value by Commons Math's KolmogorovSmirnovTest
 *   AD   A^2 = -n - (1/n) sum_i (2i - 1) [ln F(x_(i)) + ln(1 - F(x_(n+1-i)))]   (Anderson and Darling 1954)
 *   W1   = integral_0^1 |F_n^-1(u) - F^-1(u)| du ~ (1/n) sum_i |x_(i) - F^-1((i - 1/2)/n)|   (uS)
 * </pre>
 *
 * The reads of a device are correlated (1/f noise), so p-values are optimistic: read them as a
 * distance, not a test at a nominal level. Commons Math has KS; AD and W1 are written here.
 *
 * @param ks KS statistic D
 * @param ksP its p-value
 * @param ad Anderson-Darling A^2
 * @param w1 Wasserstein-1 distance in the data's unit
 */
public record GoodnessOfFit(double ks, double ksP, double ad, double w1, int n) {

    public static GoodnessOfFit of(double[] x, RealDistribution f) {
        double[] s = x.clone();
        Arrays.sort(s);
        int n = s.length;
        KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
        double d = ks.kolmogorovSmirnovStatistic(f, s);
        double p = ks.kolmogorovSmirnovTest(f, s, false);
        return new GoodnessOfFit(d, p, andersonDarling(s, f), wasserstein1(s, f), n);
    }

    /** A^2 of sorted data. */
    static double andersonDarling(double[] sorted, RealDistribution f) {
        int n = sorted.length;
        double acc = 0;
        for (int i = 0; i < n; i++) {
            double lo = clamp(f.cumulativeProbability(sorted[i]));
            double hi = clamp(f.cumulativeProbability(sorted[n - 1 - i]));
            acc += (2.0 * i + 1) * (Math.log(lo) + Math.log1p(-hi));
        }
        return -n - acc / n;
    }

    /** W1 of sorted data against F, by the quantile form at the midpoints (i - 1/2)/n. */
    static double wasserstein1(double[] sorted, RealDistribution f) {
        int n = sorted.length;
        double acc = 0;
        for (int i = 0; i < n; i++) {
            acc += Math.abs(sorted[i] - f.inverseCumulativeProbability((i + 0.5) / n));
        }
        return acc / n;
    }

    private static double clamp(double p) {
        return Math.min(Math.max(p, 1e-300), 1 - 1e-16);
    }
}
