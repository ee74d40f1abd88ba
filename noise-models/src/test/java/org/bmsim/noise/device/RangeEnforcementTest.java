package org.bmsim.noise.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bmsim.common.BadInputException;
import org.junit.jupiter.api.Test;

/** A conductance outside a model's published range is refused with a one-line error. */
class RangeEnforcementTest {

    private static void refused(Runnable r, String fragment) {
        BadInputException e = assertThrows(BadInputException.class, r::run);
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void presetsRefuseConductancesOutsideTheirFit() {
        NoiseRandom rng = NoiseRandom.of(0);
        refused(() -> DevicePresets.get("pcm-joshi2020").programmingNoise().sample(25.5, rng), "[0.0, 25.0]");
        refused(() -> DevicePresets.get("pcm-joshi2020").programmingNoise().sample(-0.1, rng), "Joshi");
        refused(() -> DevicePresets.get("rram-wan2022").programmingNoise().sample(39.3, rng), "Wan et al. 2022");
        refused(() -> DevicePresets.get("rram-milo2021").programmingNoise().sample(62.4, rng), "Milo et al. 2021");
        refused(() -> DevicePresets.get("rram-milo2021").programmingNoise().sample(110.01, rng), "110.01");
        refused(() -> DevicePresets.get("rram-milo2021").programmingNoise().sample(Double.NaN, rng), "NaN");
        refused(() -> DevicePresets.get("pcm-joshi2020").drift().orElseThrow().sampleNu(30, rng), "outside");
        // the edges themselves are inside
        assertEquals(4.782321 - 0.009107 * 110, MiloRram2021.programmingSigma().at(110), 1e-12);
    }

    @Test
    void arrayLoopsRefuseToo() {
        GaussianReadNoise noise = GaussianReadNoise.of(WanRram2022.programmingSigma());
        refused(() -> noise.sample(new float[] {1f, 50f}, new float[2], NoiseRandom.of(1)), "50.0");
    }

    @Test
    void driftRefusesTimesBeforeT0AndFlickerRefusesThem() {
        PowerLawDrift drift = JoshiPcm2020.driftOf(25);
        refused(() -> drift.drifted(10, 0.05, 19.9), "t0 = 20.0");
        refused(() -> JoshiPcm2020.flickerNoise(25, 1.0, 1e-6, 1), "t0 = 20.0");
    }

    @Test
    void rangeItselfIsValidated() {
        refused(() -> ConductanceRange.of(-1, 5, "x"), "g_min");
        refused(() -> ConductanceRange.of(5, 5, "x"), "g_max");
        refused(() -> ConductanceRange.of(0, Double.POSITIVE_INFINITY, "x"), "g_max");
        refused(() -> new PolynomialCurve(new double[] {Double.NaN}, 1, 1, ConductanceRange.of(0, 1, "x")), "finite");
    }

    /** A window from a calibration, for which g_max - (g_max - g_min) - g_min rounds to -2.7e-15. */
    static final ConductanceRange ROUNDING_WINDOW = ConductanceRange.of(0.001899120838, 41.11709932000001, "fitted");

    @Test
    void pairLowStaysInsideTheRangeWhenThePairHoldsTheWholeWindow() {
        ConductanceRange r = ROUNDING_WINDOW;
        double whole = r.gMaxMicroSiemens() - r.gMinMicroSiemens();
        // the formula as written before pairLow fell below g_min
        assertTrue(r.gMinMicroSiemens() + (r.gMaxMicroSiemens() - whole - r.gMinMicroSiemens()) / 256 < r.gMinMicroSiemens());
        for (int q = 0; q < 257; q++) {
            assertEquals(r.gMinMicroSiemens(), r.pairLow(whole, q, 257));
        }
        // by hand: window [1, 5], difference 2, five points: 1, 1.5, 2, 2.5, 3
        ConductanceRange h = ConductanceRange.of(1, 5, "x");
        double[] want = {1, 1.5, 2, 2.5, 3};
        for (int q = 0; q < 5; q++) {
            assertEquals(want[q], h.pairLow(2, q, 5));
        }
    }
}
