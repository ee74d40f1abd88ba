package org.bmsim.noise.converter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bmsim.common.BadInputException;
import org.bmsim.noise.device.Moments;
import org.bmsim.noise.device.NoiseRandom;
import org.junit.jupiter.api.Test;

class AdcTest {
    private static final AdcRange R07 = AdcRange.fixed(0, 7);

    @Test
    void idealTransferByHand() {
        Adc adc = Adc.of(AdcConfig.ideal(3, R07), NoiseRandom.of(0)); // LSB = 1
        NoiseRandom rng = NoiseRandom.of(1);
        assertEquals(1.0, adc.lsb(), 0.0);
        assertEquals(2, adc.convert(2.4, rng));
        assertEquals(2, adc.convert(2.49, rng));
        assertEquals(3, adc.convert(2.5, rng)); // transition T_3 = 2.5 belongs to code 3
        assertEquals(0, adc.convert(-5, rng)); // saturates
        assertEquals(7, adc.convert(100, rng));
        assertEquals(7, adc.convert(7.49, rng));
        assertEquals(3.0, adc.value(3), 0.0);
        // 2 bits on [-1, 1]: LSB 2/3, levels -1, -1/3, 1/3, 1; 0 is at 1.5 LSB -> code 2 (1/3)
        Adc two = Adc.of(AdcConfig.ideal(2, AdcRange.fixed(-1, 1)), NoiseRandom.of(0));
        assertEquals(2, two.convert(0.0, rng));
        assertEquals(1.0 / 3, two.convertToValue(0.0, rng), 1e-15);
        assertEquals(1, two.convert(-0.2, rng));
        assertThrows(IllegalArgumentException.class, () -> two.convert(Double.NaN, rng));
    }

    @Test
    void sarAndRampWithoutErrorsEqualTheIdealAndGridValuesPassUnchanged() {
        AdcRange r = AdcRange.fixed(-2, 3);
        Adc ideal = Adc.of(AdcConfig.ideal(6, r), NoiseRandom.of(0));
        Adc sar = Adc.of(AdcConfig.sar(6, r, 0, 0), NoiseRandom.of(1));
        Adc ramp = Adc.of(AdcConfig.ramp(6, r, 0, 0), NoiseRandom.of(2));
        NoiseRandom rng = NoiseRandom.of(3);
        for (int i = -200; i <= 1500; i++) {
            double x = -2.5 + i * (6.0 / 1300); // sweeps past both ends
            int c = ideal.convert(x, rng);
            assertEquals(c, sar.convert(x, rng), "SAR at " + x);
            assertEquals(c, ramp.convert(x, rng), "ramp at " + x);
        }
        for (int c = 0; c < 64; c++) {
            double level = ideal.value(c);
            for (Adc adc : new Adc[] {ideal, sar, ramp}) {
                assertEquals(level, adc.convertToValue(level, rng), 1e-12);
            }
        }
        // exactly at a transition k - 1/2 (exact in binary with LSB = 1) all three choose the upper code
        AdcRange unit = AdcRange.fixed(0, 63);
        Adc[] exact = {Adc.of(AdcConfig.ideal(6, unit), NoiseRandom.of(0)),
            Adc.of(AdcConfig.sar(6, unit, 0, 0), NoiseRandom.of(1)), Adc.of(AdcConfig.ramp(6, unit, 0, 0), NoiseRandom.of(2))};
        for (int c = 1; c < 64; c++) {
            for (Adc adc : exact) {
                assertEquals(c, adc.convert(c - 0.5, rng));
                assertEquals(c - 1, adc.convert(Math.nextDown(c - 0.5), rng));
            }
        }
        double[] expected = new double[63];
        for (int k = 1; k <= 63; k++) {
            expected[k - 1] = k - 0.5;
        }
        assertArrayEquals(expected, sar.transitionLevelsLsb(), 1e-12);
        assertArrayEquals(expected, ramp.transitionLevelsLsb(), 1e-12);
    }

    @Test
    void rampComparatorNoiseIsDrawnPerConversion() {
        // sigma_n = 0.5 LSB, one draw per conversion:
        //   at a transition (k - 1/2): P(code >= k) = 1/2
        //   mid-code (k):              P(code = k) = P(|n| < 0.5) = 2 Phi(1) - 1 = 0.682689
        Adc adc = Adc.of(AdcConfig.ramp(8, AdcRange.fixed(0, 255), 0, 0.5), NoiseRandom.of(0));
        NoiseRandom rng = NoiseRandom.of(5);
        int n = 40_000;
        int up = 0;
        int exact = 0;
        for (int i = 0; i < n; i++) {
            if (adc.convert(99.5, rng) >= 100) {
                up++;
            }
            if (adc.convert(100.0, rng) == 100) {
                exact++;
            }
        }
        assertEquals(0.5, up / (double) n, Moments.proportionBound(0.5, n));
        double p = 0.6826894921370859;
        assertEquals(p, exact / (double) n, Moments.proportionBound(p, n));
    }

    @Test
    void sarComparatorNoiseDecidesTheMsbAtMidScale() {
        // at the MSB transition 127.5 LSB the first comparison alone decides code >= 128: P = 1/2
        Adc adc = Adc.of(AdcConfig.sar(8, AdcRange.fixed(0, 255), 0, 0.3), NoiseRandom.of(0));
        NoiseRandom rng = NoiseRandom.of(6);
        int n = 40_000;
        int up = 0;
        for (int i = 0; i < n; i++) {
            if (adc.convert(127.5, rng) >= 128) {
                up++;
            }
        }
        assertEquals(0.5, up / (double) n, Moments.proportionBound(0.5, n));
    }

    @Test
    void energyTimeAndEnobByHand() {
        AdcConfig ideal = AdcConfig.ideal(8, R07);
        assertEquals(8.0, ideal.enob(), 0.0);
        assertEquals(10.0 * 256 / 1000, ideal.energyPerConversionPj(), 1e-12); // 2.56 pJ at 10 fJ/step
        assertEquals(8.0, ideal.conversionTimeNs(), 0.0); // 8 bits x 1 ns
        // comparator noise 0.5 LSB: ENOB = 8 - 0.5 log2(1 + 12 * 0.25) = 7 -> 1.28 pJ
        AdcConfig sar = AdcConfig.sar(8, R07, 0, 0.5);
        assertEquals(7.0, sar.enob(), 1e-12);
        assertEquals(1.28, sar.energyPerConversionPj(), 1e-12);
        AdcConfig ramp = AdcConfig.ramp(8, R07, 0, 0).withConversionStepNs(0.5).withColumnsPerAdc(8);
        assertEquals(128.0, ramp.conversionTimeNs(), 0.0); // 256 steps x 0.5 ns
        assertEquals(1024.0, ramp.tileReadTimeNs(), 0.0); // 8 columns in turn
        assertEquals(4, ramp.adcsFor(32));
        assertEquals(5, ramp.adcsFor(33));
        assertEquals(5.12, ideal.withWaldenFomFjPerStep(20).energyPerConversionPj(), 1e-12);
        assertEquals(0.001, WaldenFom.energyPerConversionPj(1, 0), 0.0);
    }

    @Test
    void refusesInconsistentConfigs() {
        assertThrows(BadInputException.class, () -> AdcConfig.ideal(0, R07));
        assertThrows(BadInputException.class, () -> AdcConfig.ideal(17, R07));
        assertThrows(BadInputException.class,
                () -> new AdcConfig(8, AdcArchitecture.IDEAL, R07, 0.1, 0, 0, 1, 1, 10));
        assertThrows(BadInputException.class, () -> new AdcConfig(8, AdcArchitecture.RAMP, R07, 0, 0, 0.01, 1, 1, 10));
        assertThrows(BadInputException.class, () -> new AdcConfig(8, AdcArchitecture.SAR, R07, 0, 0.1, 0, 1, 1, 10));
        assertThrows(BadInputException.class, () -> AdcConfig.sar(8, R07, -0.1, 0));
        assertThrows(BadInputException.class, () -> AdcConfig.ideal(8, R07).withColumnsPerAdc(0));
        assertThrows(BadInputException.class, () -> AdcConfig.ideal(8, R07).withConversionStepNs(0));
        assertThrows(BadInputException.class, () -> AdcConfig.ideal(8, R07).withWaldenFomFjPerStep(-1));
        assertThrows(BadInputException.class, () -> AdcRange.fixed(1, 1));
    }

    @Test
    void percentileRangeIsCalibratedFromData() {
        float[] data = new float[101];
        for (int i = 0; i <= 100; i++) {
            data[i] = 100 - i; // order must not matter
        }
        AdcConfig cfg = AdcConfig.ideal(4, AdcRange.percentile(1, 99));
        BadInputException e = assertThrows(BadInputException.class, () -> Adc.of(cfg, NoiseRandom.of(0)));
        assertTrue(e.getMessage().contains("calibrate"), e.getMessage());
        AdcConfig fixed = cfg.calibrated(data);
        assertEquals(AdcRange.fixed(1, 99), fixed.range());
        assertEquals(fixed, fixed.calibrated(new float[] {5f}));
        // linear interpolation between order statistics: median of {0, 1, 2, 3} is 1.5
        assertEquals(AdcRange.fixed(0.75, 1.5),
                AdcRange.percentile(25, 50).calibrate(new float[] {3f, 0f, 2f, 1f}));
        assertThrows(BadInputException.class, () -> AdcRange.percentile(1, 99).calibrate(new float[] {2f, 2f, 2f}));
        assertThrows(BadInputException.class, () -> AdcRange.percentile(1, 99).calibrate(new float[] {1f, Float.NaN}));
        assertThrows(BadInputException.class, () -> AdcRange.percentile(1, 99).calibrate(new float[0]));
        assertThrows(BadInputException.class, () -> AdcRange.percentile(50, 50));
    }
}
