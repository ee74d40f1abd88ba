package org.bmsim.noise.converter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.bmsim.noise.device.Moments;
import org.bmsim.noise.device.NoiseRandom;
import org.junit.jupiter.api.Test;

/** INL/DNL drawn once per ADC from a seed: reproducible, with the documented statistics. */
class AdcStaticErrorsTest {
    private static final AdcRange R = AdcRange.fixed(0, 1);

    @Test
    void sameSeedSameTransferDifferentSeedDifferent() {
        AdcConfig cfg = AdcConfig.ramp(8, R, 0.1, 0);
        assertArrayEquals(Adc.of(cfg, NoiseRandom.of(9)).transitionLevelsLsb(),
                Adc.of(cfg, NoiseRandom.of(9)).transitionLevelsLsb(), 0.0);
        assertFalse(Arrays.equals(Adc.of(cfg, NoiseRandom.of(9)).transitionLevelsLsb(),
                Adc.of(cfg, NoiseRandom.of(10)).transitionLevelsLsb()));
    }

    @Test
    void rampDnlIsIndependentPerCodeWithTheGivenSigma() {
        double sigma = 0.1;
        Adc adc = Adc.of(AdcConfig.ramp(10, R, sigma, 0), NoiseRandom.of(12));
        double[] dnl = adc.dnlLsb(); // 1022 codes, each sigma z_k (no missing codes at 10 sigma)
        assertEquals(1022, dnl.length);
        assertEquals(0, Moments.mean(dnl), Moments.meanBound(sigma, dnl.length));
        assertEquals(sigma * sigma, Moments.variance(dnl), Moments.varianceBound(sigma * sigma, 3, dnl.length));
    }

    @Test
    void rampInlIsARandomWalk() {
        // INL_k = sum of k - 1 step errors: Var(INL_k) = (k - 1) sigma^2, over many ADCs
        double sigma = 0.2;
        int adcs = 4000;
        AdcConfig cfg = AdcConfig.ramp(6, R, sigma, 0);
        NoiseRandom root = NoiseRandom.of(13);
        double[] inlMid = new double[adcs];
        double[] inlLast = new double[adcs];
        for (int a = 0; a < adcs; a++) {
            double[] inl = Adc.of(cfg, root.split(a)).inlLsb();
            assertEquals(0.0, inl[0], 0.0); // T_1 = 1/2 by construction
            inlMid[a] = inl[31]; // k = 32
            inlLast[a] = inl[62]; // k = 63
        }
        double vMid = 31 * sigma * sigma;
        double vLast = 62 * sigma * sigma;
        assertEquals(vMid, Moments.variance(inlMid), Moments.varianceBound(vMid, 3, adcs));
        assertEquals(vLast, Moments.variance(inlLast), Moments.varianceBound(vLast, 3, adcs));
    }

    @Test
    void sarDnlPeaksAtTheMidScaleCarry() {
        // DNL at code 31 -> 32 of a 6-bit SAR: (W_5 - sum_{i<5} W_i) 64 / C - 1, variance
        // sigma_u^2 (63 - 1/64) to first order; the second-order terms are < 1e-3 of it at sigma_u = 0.05
        double sigmaU = 0.05;
        int adcs = 4000;
        AdcConfig cfg = AdcConfig.sar(6, R, sigmaU, 0);
        NoiseRandom root = NoiseRandom.of(14);
        double[] carry = new double[adcs];
        double[] lsbCode = new double[adcs];
        for (int a = 0; a < adcs; a++) {
            double[] dnl = Adc.of(cfg, root.split(a)).dnlLsb();
            carry[a] = dnl[30]; // code 31
            lsbCode[a] = dnl[1]; // code 2: w_0 - 1, variance about sigma_u^2
        }
        double v = sigmaU * sigmaU * (63 - 1.0 / 64);
        assertEquals(0, Moments.mean(carry), Moments.meanBound(Math.sqrt(v), adcs));
        assertEquals(v, Moments.variance(carry), Moments.varianceBound(v, 3, adcs) + 1e-3 * v);
        assertTrue(Moments.variance(carry) > 20 * Moments.variance(lsbCode));
    }

    @Test
    void noiseFreeSarConversionFollowsItsTransitionLevels() {
        Adc adc = Adc.of(AdcConfig.sar(6, R, 0.02, 0), NoiseRandom.of(15));
        double[] t = adc.transitionLevelsLsb();
        for (int k = 1; k < t.length; k++) {
            assertTrue(t[k] > t[k - 1], "this seed's DAC is monotonic"); // precondition of the check
        }
        NoiseRandom rng = NoiseRandom.of(0);
        for (int i = 0; i <= 2000; i++) {
            double v = -1 + i * (66.0 / 2000); // in LSB
            int expected = 0;
            while (expected < t.length && t[expected] <= v) {
                expected++;
            }
            assertEquals(expected, adc.convert(v * adc.lsb(), rng), "at " + v + " LSB");
        }
    }
}
