package org.bmsim.calib.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The aliased power law of {@link Spectra}: by hand, and against the closed form of the full alias sum. */
class SpectraTest {
    /** 1 + sum_{k=1..16} (1 / (10 k - 1) + 1 / (10 k + 1)) at f = 1 Hz, alpha = 1, fs = 10 Hz (summed by hand in Python). */
    @Test
    void aliasSumByHand() {
        assertEquals(1.6785671849051766, Spectra.aliased(1, 1, 10), 1e-13);
        assertEquals(1.0, Spectra.aliased(1, 1, Double.POSITIVE_INFINITY), 0);
    }

    /**
     * For alpha = 2 the alias sum over all k has a closed form, sum_k (f + k fs)^-2 = (pi / fs)^2 / sin^2(pi f / fs)
     * (the partial-fraction expansion of 1 / sin^2). A periodogram built from it, A = 0.3, plus a white
     * floor of 0.01, is fitted with 16 explicit alias pairs: the pairs beyond 16 are flat within 1e-6 of
     * their sum (0.0012118 A) over the band and go into the floor, so alpha, A and the floor come back.
     */
    @Test
    void recoversTheSlopeOfAFullyAliasedPowerLaw() {
        double fs = 10;
        int bins = 16;
        double[] f = Spectra.frequencies(bins, 1 / fs);
        double[] p = new double[bins];
        for (int j = 0; j < bins; j++) {
            double s = Math.sin(Math.PI * f[j] / fs);
            p[j] = 0.01 + 0.3 * (Math.PI / fs) * (Math.PI / fs) / (s * s);
        }
        Spectra.PowerLaw pl = Spectra.fitAboveTrend(f, p, fs);
        assertEquals(2.0, pl.slope(), 1e-4);
        assertEquals(0.3, pl.amplitude(), 1e-4);
        assertEquals(0.01 + 0.3 * 0.0012118, pl.white(), 1e-5);
        // the plain power law (no aliases) is biased on the same data: the alias pairs rise toward fs / 2
        Spectra.PowerLaw plain = Spectra.fitAboveTrend(f, p, Double.POSITIVE_INFINITY);
        org.junit.jupiter.api.Assertions.assertTrue(Math.abs(plain.slope() - 2) > 0.1, "plain slope " + plain.slope());
        // the power law stands far above the floor at the lowest fitted bin: resolved
        org.junit.jupiter.api.Assertions.assertTrue(Spectra.resolved(f, pl));
    }

    /**
     * Direct term over floor by hand: w = 1, A = 0.1, alpha = 1, fs = 10 Hz at f = 0.9375 Hz (the lowest
     * fitted bin of 16): 0.1 / 0.9375 / (1 + 0.1 sum_{k=1..16} (1 / (10 k - f) + 1 / (10 k + f))) = 0.09989
     * (Python); below {@link Spectra#RESOLVED_RATIO}, so such a slope is not reported.
     */
    @Test
    void aPowerLawUnderItsFloorIsNotResolved() {
        Spectra.PowerLaw pl = new Spectra.PowerLaw(1.0, 0.1, 1.0, 10);
        assertEquals(0.0998913208457434, pl.directOverFloor(0.9375), 1e-12);
        org.junit.jupiter.api.Assertions.assertFalse(Spectra.resolved(Spectra.frequencies(16, 0.1), pl));
    }
}
