package org.bmsim.calib.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.UniformRealDistribution;
import org.junit.jupiter.api.Test;

class GoodnessOfFitTest {
    /** Hand-computed: sample {0.25, 0.75} against U(0, 1). */
    @Test
    void handComputedAgainstUniform() {
        UniformRealDistribution u = new UniformRealDistribution(0, 1);
        double[] s = {0.25, 0.75};
        // W1 by the quantile form at (i - 1/2)/n = 0.25, 0.75: both exact, so 0
        assertEquals(0.0, GoodnessOfFit.wasserstein1(s, u), 1e-15);
        // A^2 = -2 - (1/2) [1 (ln 0.25 + ln(1 - 0.75)) + 3 (ln 0.75 + ln(1 - 0.25))]
        double ad = -2 - 0.5 * (Math.log(0.25) + Math.log(0.25) + 3 * (Math.log(0.75) + Math.log(0.75)));
        assertEquals(ad, GoodnessOfFit.andersonDarling(s, u), 1e-12);
        GoodnessOfFit g = GoodnessOfFit.of(s, u);
        assertEquals(0.25, g.ks(), 1e-15); // sup |F_n - F| = 0.25 just before each point
    }

    /** W1 of a shifted sample is the shift (another implementation: the definition). */
    @Test
    void wassersteinOfAShift() {
        NormalDistribution n = new NormalDistribution(null, 0, 1);
        int k = 1000;
        double[] s = new double[k];
        for (int i = 0; i < k; i++) {
            s[i] = n.inverseCumulativeProbability((i + 0.5) / k) + 0.3;
        }
        assertEquals(0.3, GoodnessOfFit.wasserstein1(s, n), 1e-12);
    }
}
