package org.bmsim.noise.rng;

import java.util.Locale;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.special.Erf;

/**
 * The statistical acceptance of a sampler stream (sampler spec, section 7), on eps values in
 * Q3.12: mean, variance, the Kolmogorov-Smirnov distance to N(0, 1), a chi-square test on 100
 * equiprobable bins, and the tail counts at 3 and 4 sigma against the normal's expectation.
 *
 * <p>Thresholds and what they cost a correct sampler (for one stream; with a fixed seed the
 * outcome is deterministic, these are the chances that a seed picked at random fails):
 * |mean| &lt; 0.005 is 5 standard errors at n = 1e6 (false failure about 6e-7); |var - 1| &lt; 0.01
 * is 7 standard errors (about 3e-12); KS &lt; 1.36 / sqrt(n) (1.36e-3 at 1e6) is the 5% critical
 * value of the KS statistic; chi-square p &gt; 0.01 fails 1% of correct samplers. Together: at most
 * about 6% for a perfect Gaussian source. The discreteness of eps (1/4096) moves the KS distance by
 * at most about 5e-5.
 *
 * @param n          samples
 * @param mean       sample mean of eps / 4096
 * @param variance   sample variance (divided by n)
 * @param ks         max |F_n - Phi| over the sample points (ties counted both sides)
 * @param chiSquare  chi-square statistic on 100 equiprobable bins of N(0, 1)
 * @param chiSquareP upper-tail p-value of {@code chiSquare} with 99 degrees of freedom
 * @param tail3      samples with |z| &gt; 3
 * @param tail4      samples with |z| &gt; 4
 */
public record SamplerStats(long n, double mean, double variance, double ks, double chiSquare, double chiSquareP,
        long tail3, long tail4) {
    public static final int BINS = 100;
    public static final double MEAN_LIMIT = 0.005;
    public static final double VARIANCE_LIMIT = 0.01;
    public static final double CHI_SQUARE_P_MIN = 0.01;

    /** KS acceptance limit 1.36 / sqrt(n) (spec: 1.36e-3 at 1e6). */
    public double ksLimit() {
        return 1.36 / Math.sqrt(n);
    }

    public boolean meanOk() {
        return Math.abs(mean) < MEAN_LIMIT;
    }

    public boolean varianceOk() {
        return Math.abs(variance - 1) < VARIANCE_LIMIT;
    }

    public boolean ksOk() {
        return ks < ksLimit();
    }

    public boolean chiSquareOk() {
        return chiSquareP > CHI_SQUARE_P_MIN;
    }

    /** All of section 7's tests. */
    public boolean passes() {
        return meanOk() && varianceOk() && ksOk() && chiSquareOk();
    }

    /** Expected count of |z| &gt; t for n normal samples. */
    public double expectedTail(double t) {
        return n * Erf.erfc(t / Math.sqrt(2.0));
    }

    /** Phi(z), the standard normal CDF. */
    static double phi(double z) {
        return 0.5 * Erf.erfc(-z / Math.sqrt(2.0));
    }

    /** Computes the statistics of a stream of eps values (Q3.12). */
    public static SamplerStats of(int[] eps) {
        int n = eps.length;
        if (n < BINS * 5) {
            throw new IllegalArgumentException("need at least " + BINS * 5 + " samples, got " + n);
        }
        // eps is a signed 16-bit value: a histogram replaces the sort.
        long[] hist = new long[1 << 16];
        double sum = 0;
        double sumSq = 0;
        long t3 = 0;
        long t4 = 0;
        for (int e : eps) {
            hist[(e + 32768) & 0xFFFF]++;
            double z = e / 4096.0;
            sum += z;
            sumSq += z * z;
            int a = Math.abs(e);
            if (a > 3 * 4096) {
                t3++;
            }
            if (a > 4 * 4096) {
                t4++;
            }
        }
        double mean = sum / n;
        double var = sumSq / n - mean * mean;
        double ks = 0;
        long below = 0;
        long[] bins = new long[BINS];
        for (int i = 0; i < hist.length; i++) {
            long c = hist[i];
            if (c == 0) {
                continue;
            }
            double z = (i - 32768) / 4096.0;
            double f = phi(z);
            double before = (double) below / n;
            double after = (double) (below + c) / n;
            ks = Math.max(ks, Math.max(Math.abs(f - before), Math.abs(after - f)));
            below += c;
            int b = (int) Math.min(BINS - 1, Math.floor(f * BINS));
            bins[b] += c;
        }
        double expected = (double) n / BINS;
        double chi = 0;
        for (long c : bins) {
            double d = c - expected;
            chi += d * d / expected;
        }
        double p = 1 - new ChiSquaredDistribution(BINS - 1).cumulativeProbability(chi);
        return new SamplerStats(n, mean, var, ks, chi, p, t3, t4);
    }

    /** A human-readable acceptance report, one test per line with its limit and PASS/FAIL. */
    public String report(String title) {
        StringBuilder sb = new StringBuilder();
        sb.append(title).append(" (").append(n).append(" samples)\n");
        sb.append(line("mean", String.format(Locale.ROOT, "%.6f", mean),
                "|mean| < " + MEAN_LIMIT, meanOk()));
        sb.append(line("variance", String.format(Locale.ROOT, "%.6f", variance),
                "|var - 1| < " + VARIANCE_LIMIT, varianceOk()));
        sb.append(line("KS distance", String.format(Locale.ROOT, "%.3e", ks),
                String.format(Locale.ROOT, "< %.3e", ksLimit()), ksOk()));
        sb.append(line("chi-square p (100 bins)", String.format(Locale.ROOT, "%.4f (stat %.1f)", chiSquareP, chiSquare),
                "> " + CHI_SQUARE_P_MIN, chiSquareOk()));
        sb.append(String.format(Locale.ROOT, "  %-24s %d (normal: %.1f, ratio %.3f)%n", "|z| > 3", tail3,
                expectedTail(3), tail3 / expectedTail(3)));
        sb.append(String.format(Locale.ROOT, "  %-24s %d (normal: %.1f, ratio %.3f)%n", "|z| > 4", tail4,
                expectedTail(4), tail4 / expectedTail(4)));
        sb.append("  verdict: ").append(passes() ? "PASS" : "FAIL").append('\n');
        return sb.toString();
    }

    private static String line(String name, String value, String limit, boolean ok) {
        return String.format(Locale.ROOT, "  %-24s %-22s %-18s %s%n", name, value, limit, ok ? "PASS" : "FAIL");
    }
}
