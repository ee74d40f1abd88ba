package org.bmsim.sim.quant;

import org.apache.commons.math3.special.Erf;
import org.bmsim.sim.datapath.JqArithmetic;

/**
 * The moment-matched JQ encoder: the codes of a JQ weight are chosen so that the weight the
 * hardware actually samples, {@code w = clamp(round(c_mu + s(c_sigma) eps), -wMax, wMax)} weight LSBs,
 * has the mean and standard deviation of the float posterior N(mu, sigma^2), instead of rounding mu
 * and log2(sigma) separately (the spec's nearest-code rule, {@link JqCoding#NEAREST}).
 *
 * <p>Why: JQ rounds the sample itself to b bits. A sigma well below half an LSB then almost never
 * moves the weight (its variance is 2 Q(1 / (2 s)) LSB^2, not s^2), a sigma near the range
 * saturates, and a weight of the Bayesian reference whose sigma is many LSBs (LeNet-5's fc1 holds
 * thousands: weights near the prior, which carry most of the epistemic signal on out-of-distribution
 * inputs) cannot be stored at all; nearest rounding loses the variance in the first case and the mean
 * in the others. The distance minimised per weight is the 2-Wasserstein distance between Gaussians
 * with the two sets of moments, {@code W2^2 = (E w - mu)^2 + (sd w - sigma)^2} (Givens and Shortt,
 * Michigan Math. J. 31, 1984), over the mu codes next to mu/LSB and every sigma code; per output
 * channel, the scale is chosen from a fixed list of candidates to minimise the channel's sum.
 *
 * <p>The moments are those of a Gaussian eps, exact up to the saturation (closed form by the normal
 * CDF, {@link #moments}); the hardware's eps (the ICDF sampler's Q3.12 values, tails cut at
 * |eps| ~ 5.8) differs from it by less than 1e-7 in probability.
 */
public final class MomentMatchedJq {
    /**
     * Scale candidates of software mode, in units of max|mu| / wMax: below 1 the largest means
     * saturate (the Hessian compensation absorbs part of that) for a finer grid, above 1 the grid
     * reaches the large sigmas.
     */
    static final double[] SOFTWARE_SCALES = {0.6, 0.7, 0.8, 0.9, 1, 1.15, 1.3, 1.5, 1.75, 2, 2.5, 3, 4};
    /** Scale candidates of hardware mode, in units of the smallest power of two at least max|mu| / wMax. */
    static final double[] HARDWARE_SCALES = {0.5, 1, 2, 4};

    private final int wMax;
    private final int codes;
    /** Mean and standard deviation of the sample, in LSBs, at [(m + wMax) * codes + c]. */
    private final double[] mean;
    private final double[] sd;

    private MomentMatchedJq(JqArithmetic grid) {
        this.wMax = grid.wMax();
        this.codes = grid.sigmaCodeMax() + 1;
        this.mean = new double[(2 * wMax + 1) * codes];
        this.sd = new double[mean.length];
        double[] mv = new double[2];
        for (int m = -wMax; m <= wMax; m++) {
            for (int c = 0; c < codes; c++) {
                moments(m, grid.sigmaLsb(c), wMax, mv);
                mean[(m + wMax) * codes + c] = mv[0];
                sd[(m + wMax) * codes + c] = Math.sqrt(mv[1]);
            }
        }
    }

    /** The encoder for the sigma grid and weight width of {@code grid}. */
    public static MomentMatchedJq of(JqArithmetic grid) {
        return new MomentMatchedJq(grid);
    }

    /**
     * Mean and variance (in LSBs and LSB^2) of {@code clamp(round(m + s eps), -wMax, wMax)} for
     * eps ~ N(0, 1): P(w = k) = Phi((k + 1/2 - m) / s) - Phi((k - 1/2 - m) / s), the end codes taking
     * the tails. {@code s = 0} gives the point mass at clamp(m).
     */
    public static void moments(int m, double s, int wMax, double[] out) {
        if (s == 0) {
            out[0] = Math.max(-wMax, Math.min(wMax, m));
            out[1] = 0;
            return;
        }
        double m1 = 0;
        double m2 = 0;
        double below = 0; // P(w <= k - 1)
        for (int k = -wMax; k <= wMax; k++) {
            double upTo = k == wMax ? 1.0 : phi((k + 0.5 - m) / s);
            double p = upTo - below;
            below = upTo;
            m1 += p * k;
            m2 += p * k * (double) k;
        }
        out[0] = m1;
        out[1] = Math.max(0, m2 - m1 * m1);
    }

    private static double phi(double x) {
        return 0.5 * Erf.erfc(-x / Math.sqrt(2));
    }

    /** Mean of the sample of codes (m, c), in LSBs. */
    public double meanLsb(int muCode, int sigmaCode) {
        return mean[(muCode + wMax) * codes + sigmaCode];
    }

    /** Standard deviation of the sample of codes (m, c), in LSBs. */
    public double sdLsb(int muCode, int sigmaCode) {
        return sd[(muCode + wMax) * codes + sigmaCode];
    }

    /**
     * The codes for a weight N(mu, sigma^2) given in LSBs: {@code out[0]} the mu code, {@code out[1]}
     * the sigma code; returns their W2^2 in LSB^2. Mu codes from floor(mu) - 1 to floor(mu) + 2
     * (clamped) are tried, since near saturation a code further in can give the better mean.
     */
    public double encode(double muLsb, double sigmaLsb, int[] out) {
        double best = Double.MAX_VALUE;
        int fl = (int) Math.max(-wMax - 1, Math.min(wMax + 1, Math.floor(muLsb)));
        int lo = Math.max(-wMax, fl - 1);
        int hi = Math.min(wMax, fl + 2);
        for (int m = lo; m <= hi; m++) {
            int base = (m + wMax) * codes;
            for (int c = 0; c < codes; c++) {
                double d = mean[base + c] - muLsb;
                double e = sd[base + c] - sigmaLsb;
                double w2 = d * d + e * e;
                if (w2 < best) {
                    best = w2;
                    out[0] = m;
                    out[1] = c;
                }
            }
        }
        return best;
    }

    /**
     * The scale (weight LSB) of one output channel: among {@code base * candidates[k]}, the one with
     * the least summed W2^2 (in the weights' own units) over the channel's {@code n} weights from
     * {@code from}.
     */
    public double channelScale(float[] mu, float[] sigma, int from, int n, double base, double[] candidates) {
        int[] codes2 = new int[2];
        double bestScale = base * candidates[0];
        double best = Double.MAX_VALUE;
        for (double k : candidates) {
            double lsb = base * k;
            double sum = 0;
            for (int i = from; i < from + n && sum < best; i++) {
                sum += encode(mu[i] / lsb, sigma[i] / lsb, codes2) * lsb * lsb;
            }
            if (sum < best) {
                best = sum;
                bestScale = lsb;
            }
        }
        return bestScale;
    }
}
