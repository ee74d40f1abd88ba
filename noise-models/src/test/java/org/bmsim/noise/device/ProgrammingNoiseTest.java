package org.bmsim.noise.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProgrammingNoiseTest {

    @Test
    void wanSigmaAt20MicroSiemensIsReproducedStatistically() {
        ProgrammingNoise noise = DevicePresets.get("rram-wan2022").programmingNoise();
        int n = 100_000;
        NoiseRandom rng = NoiseRandom.of(2022);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = noise.sample(20.0, rng);
        }
        // 20 uS is 8.5 sigma from either end of [0, 39.26]: clipping is negligible (< 1e-16)
        double sigma = 2.3618;
        assertEquals(20.0, Moments.mean(d), Moments.meanBound(sigma, n));
        assertEquals(sigma * sigma, Moments.variance(d), Moments.varianceBound(sigma * sigma, 3, n));
    }

    @Test
    void programmedConductancesStayInTheWindow() {
        ProgrammingNoise noise = DevicePresets.get("pcm-joshi2020").programmingNoise();
        NoiseRandom rng = NoiseRandom.of(1);
        int atZero = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            double g = noise.sample(0.0, rng);
            assertTrue(g >= 0 && g <= 25);
            if (g == 0.0) {
                atZero++;
            }
        }
        // at the target 0, half the draws fall below 0 and are clipped to it
        assertEquals(0.5, atZero / (double) n, Moments.proportionBound(0.5, n));
    }
}
