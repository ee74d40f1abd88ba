package org.bmsim.sim.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bmsim.noise.rng.GaussianSampler;
import org.bmsim.noise.rng.Taus88;
import org.bmsim.sim.datapath.JqArithmetic;
import org.bmsim.sim.datapath.SigmaStep;
import org.junit.jupiter.api.Test;

/** The moment-matched JQ encoder: closed-form moments by hand and against the bit-exact datapath, and its choices. */
class MomentMatchedJqTest {
    private final JqArithmetic jq4 = JqArithmetic.of(4, 4, 4, SigmaStep.HALF_OCTAVE);
    private final MomentMatchedJq enc = MomentMatchedJq.of(jq4);

    @Test
    void momentsByHand() {
        double[] mv = new double[2];
        MomentMatchedJq.moments(3, 0, 7, mv);
        assertEquals(3.0, mv[0], 0);
        assertEquals(0.0, mv[1], 0);
        MomentMatchedJq.moments(9, 0, 7, mv); // saturates
        assertEquals(7.0, mv[0], 0);
        // s = 1, far from the ends: P(+-1) = Phi(1.5) - Phi(0.5) = 0.241730, P(+-2) = 0.060598,
        // P(+-3) = 0.005977, P(+-4) = 0.000229, P(+-5) = 3.4e-6: variance 2 (0.241730 + 4 0.060598 + 9 0.005977
        // + 16 0.000229 + 25 3.4e-6) = 1.08332, Sheppard's s^2 + 1/12 to 1e-5
        MomentMatchedJq.moments(0, 1, 7, mv);
        assertEquals(0.0, mv[0], 1e-15);
        assertEquals(1.08332, mv[1], 2e-5);
        // s = 1/4: only +-1 matters, P = 2 Q(2) = 0.0455003, variance 0.0455003 (+ 4 * 2 Q(6) ~ 8e-9)
        MomentMatchedJq.moments(0, 0.25, 7, mv);
        assertEquals(0.0455003, mv[1], 1e-6);
        // a huge sigma is a fair coin between the end codes: mean 0, variance 49
        MomentMatchedJq.moments(0, 1e7, 7, mv);
        assertEquals(0.0, mv[0], 1e-5);
        assertEquals(49.0, mv[1], 1e-4);
        // at the top code the clamp pulls the mean in: m = 7, s = 2 -> P(w = 7) = Phi(0.25) = 0.5987
        MomentMatchedJq.moments(7, 2, 7, mv);
        assertTrue(mv[0] < 7 && mv[0] > 5.5, "mean " + mv[0]);
    }

    /**
     * Against the other implementation, the datapath itself: 1e6 bit-exact samples of
     * JqArithmetic.sampleWeightCode with ICDF eps per code pair. The bound on the mean is 5 standard
     * errors (sd / sqrt(n)), on the variance 5 standard errors of a variance estimate
     * (sqrt((m4 - v^2) / n), m4 from the same samples) plus the ICDF tail cut and Q3.12 rounding of eps
     * (< 2e-3 relative here): a correct implementation fails one check with probability about 6e-7,
     * and the seeds are fixed, so the test is deterministic.
     */
    @Test
    void momentsMatchTheBitExactDatapath() {
        int n = 1_000_000;
        int[][] pairs = {{0, 5}, {0, 9}, {2, 11}, {-3, 13}, {6, 14}, {0, 15}, {7, 12}};
        Taus88 lane = Taus88.lane(42, 0);
        for (int[] p : pairs) {
            double s1 = 0;
            double s2 = 0;
            long[] counts = new long[15];
            for (int i = 0; i < n; i++) {
                int w = jq4.sampleWeightCode(p[0], p[1], GaussianSampler.Icdf.eps(lane.nextInt()));
                counts[w + 7]++;
                s1 += w;
                s2 += (double) w * w;
            }
            double mean = s1 / n;
            double var = s2 / n - mean * mean;
            double m4 = 0;
            for (int k = 0; k < 15; k++) {
                double d = k - 7 - mean;
                m4 += counts[k] * d * d * d * d;
            }
            m4 /= n;
            double seMean = Math.sqrt(var / n);
            double seVar = Math.sqrt(Math.max(m4 - var * var, 0) / n);
            double sd = enc.sdLsb(p[0], p[1]);
            assertEquals(enc.meanLsb(p[0], p[1]), mean, 5 * seMean + 1e-9, "mean of " + p[0] + "/" + p[1]);
            assertEquals(sd * sd, var, 5 * seVar + 2e-3 * sd * sd + 1e-9, "variance of " + p[0] + "/" + p[1]);
        }
    }

    @Test
    void encodeChoosesTheMomentsNotTheNearestCodes() {
        int[] c = new int[2];
        // an exact grid point with no noise: mu code 3, sigma code 0, distance 0
        assertEquals(0.0, enc.encode(3.0, 0.0, c), 0);
        assertEquals(3, c[0]);
        assertEquals(JqArithmetic.SIGMA_ZERO_CODE, c[1]);
        // sigma = 0.2 LSB: the nearest log code (0.177 or 0.25 LSB) would give sd 0.04 or 0.21 after rounding;
        // the encoder picks the code whose rounded sample has sd nearest 0.2, better than both nearest codes
        enc.encode(0.0, 0.2, c);
        assertEquals(0, c[0]);
        double got = Math.abs(enc.sdLsb(0, c[1]) - 0.2);
        for (int k = 1; k <= 15; k++) {
            assertTrue(got <= Math.abs(enc.sdLsb(0, k) - 0.2) + 1e-15);
        }
        assertTrue(jq4.sigmaLsb(c[1]) > 0.2, "the stored sigma is larger than the target: " + jq4.sigmaLsb(c[1]));
        // sigma of 20 LSBs cannot be reached: the largest code (a saturating coin flip, sd ~ 7)
        enc.encode(0.3, 20, c);
        assertEquals(15, c[1]);
        // near saturation a mu code further in gives the better mean: mu = 6.9, sigma = 3
        enc.encode(6.9, 3, c);
        double best = Double.MAX_VALUE;
        for (int m = -7; m <= 7; m++) {
            for (int k = 0; k <= 15; k++) {
                double d = enc.meanLsb(m, k) - 6.9;
                double e = enc.sdLsb(m, k) - 3;
                best = Math.min(best, d * d + e * e);
            }
        }
        double d = enc.meanLsb(c[0], c[1]) - 6.9;
        double e = enc.sdLsb(c[0], c[1]) - 3;
        assertEquals(best, d * d + e * e, 1e-12, "the encoder's choice is the exhaustive optimum");
    }

    @Test
    void channelScaleMinimisesTheSummedDistance() {
        // one weight with a large mu and many with a large sigma: a wider LSB trades mu resolution for sigma range
        int n = 64;
        float[] mu = new float[n];
        float[] sigma = new float[n];
        mu[0] = 0.7f;
        for (int i = 1; i < n; i++) {
            mu[i] = 0.01f * (i % 7 - 3);
            sigma[i] = 2.0f;
        }
        double base = 0.1;
        double chosen = enc.channelScale(mu, sigma, 0, n, base, MomentMatchedJq.SOFTWARE_SCALES);
        int[] c = new int[2];
        double bestSum = Double.MAX_VALUE;
        double bestScale = 0;
        for (double k : MomentMatchedJq.SOFTWARE_SCALES) {
            double lsb = base * k;
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += enc.encode(mu[i] / lsb, sigma[i] / lsb, c) * lsb * lsb;
            }
            if (sum < bestSum) {
                bestSum = sum;
                bestScale = lsb;
            }
        }
        assertEquals(bestScale, chosen, 0);
        assertTrue(chosen > base, "sigma of 20 base LSBs needs a wider LSB, chose " + chosen);
    }
}
