package org.bmsim.noise.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bmsim.common.BadInputException;
import org.junit.jupiter.api.Test;

class DriftAndStuckTest {

    @Test
    void driftExponentsHaveThePublishedMomentsAndAreNonNegative() {
        PowerLawDrift drift = JoshiPcm2020.driftOf(25);
        // g = 2.5 uS: g_r = 0.1, mu_nu = 0.0155 * 2.302585 + 0.0244 = 0.0600901, sigma_nu = 0.0228823;
        // P(nu < 0) = P(z < -2.63) = 0.004: the clamp moves the mean by < 1e-5, far below the bound
        double mu = -0.0155 * Math.log(0.1) + 0.0244;
        double sigma = -0.0125 * Math.log(0.1) - 0.0059;
        int n = 100_000;
        float[] g = new float[n];
        java.util.Arrays.fill(g, 2.5f);
        float[] nu = new float[n];
        drift.sampleNu(g, nu, NoiseRandom.of(20));
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            assertTrue(nu[i] >= 0);
            d[i] = nu[i];
        }
        assertEquals(mu, Moments.mean(d), Moments.meanBound(sigma, n) + 1e-5);
        assertEquals(sigma * sigma, Moments.variance(d), Moments.varianceBound(sigma * sigma, 3, n) + 1e-6);
    }

    @Test
    void zeroDriftIsTheIdentity() {
        ConductanceRange r = ConductanceRange.of(0, 25, "t");
        PowerLawDrift none = PowerLawDrift.of(20, ConductanceFunction.constant(0, r), ConductanceFunction.constant(0, r));
        NoiseRandom rng = NoiseRandom.of(1);
        assertEquals(0.0, none.sampleNu(10, rng), 0.0);
        assertEquals(10.0, none.drifted(10, 0.0, 1e6), 0.0);
        float[] out = new float[2];
        none.drifted(new float[] {3f, 4f}, new float[2], 1e6, out);
        assertEquals(3f, out[0], 0f);
        assertEquals(4f, out[1], 0f);
    }

    @Test
    void stuckFractionsAreBinomial() {
        ConductanceRange r = ConductanceRange.of(1, 25, "t");
        StuckDevices stuck = StuckDevices.of(0.02, 0.05, r);
        int n = 100_000;
        float[] g = new float[n];
        java.util.Arrays.fill(g, 10f);
        float[] out = new float[n];
        stuck.apply(g, out, NoiseRandom.of(33));
        int lo = 0;
        int hi = 0;
        for (float v : out) {
            if (v == 1f) {
                lo++;
            } else if (v == 25f) {
                hi++;
            } else {
                assertEquals(10f, v, 0f);
            }
        }
        assertEquals(0.02, lo / (double) n, Moments.proportionBound(0.02, n));
        assertEquals(0.05, hi / (double) n, Moments.proportionBound(0.05, n));
    }

    @Test
    void noStuckDevicesIsTheIdentityAndBadProbabilitiesAreRefused() {
        ConductanceRange r = ConductanceRange.of(0, 25, "t");
        float[] g = {0f, 5f, 25f};
        float[] out = new float[3];
        StuckDevices.none(r).apply(g, out, NoiseRandom.of(2));
        assertEquals(g[1], out[1], 0f);
        assertEquals(g[2], out[2], 0f);
        assertThrows(BadInputException.class, () -> StuckDevices.of(0.6, 0.5, r));
        assertThrows(BadInputException.class, () -> StuckDevices.of(-0.1, 0, r));
        assertThrows(BadInputException.class, () -> StuckDevices.of(Double.NaN, 0, r));
    }
}
