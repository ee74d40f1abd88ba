package org.bmsim.calib.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bmsim.noise.device.ConductanceRange;
import org.bmsim.noise.device.PolynomialCurve;
import org.junit.jupiter.api.Test;

class RealisableRegionTest {

    @Test
    void constantSpreadGivesOneSigmaAtEveryMean() {
        // s(G) = 0.3 uS on [1, 5]: sigma / wScale = sqrt(0.3^2 + 0.3^2) / 4 at every D
        double[][] band = RealisableRegion.band(PolynomialCurve.of(ConductanceRange.of(1, 5, "x"), 0.3), 5);
        for (int i = 0; i < 5; i++) {
            assertEquals(i / 4.0, band[i][0], 1e-15);
            assertEquals(Math.sqrt(0.18) / 4, band[i][1], 1e-15);
            assertEquals(Math.sqrt(0.18) / 4, band[i][2], 1e-15);
        }
    }

    @Test
    void linearSpreadByHand() {
        // s(G) = G on [0, 4]: at D = 1/2 (d = 2 uS), G_low in [0, 2]: sqrt(G^2 + (G + 2)^2) / 4 runs from 2 / 4 to sqrt(20) / 4
        double[][] band = RealisableRegion.band(PolynomialCurve.of(ConductanceRange.of(0, 4, "x"), 0, 1), 3);
        assertEquals(0.5, band[1][1], 1e-15);
        assertEquals(Math.sqrt(20) / 4, band[1][2], 1e-15);
        // D = 1: the pair is (0, 4)
        assertEquals(1, band[2][1], 1e-15);
        assertEquals(1, band[2][2], 1e-15);
    }

    @Test
    void aWindowWhoseWidthRoundsDoesNotLeaveTheCurvesRange() {
        // a calibration's window for which g_max - (g_max - g_min) - g_min rounds below 0: the pair at D = 1
        // put G_low a few ulp below g_min, outside the fitted curve's range (the report failed)
        ConductanceRange r = ConductanceRange.of(0.001899120838, 41.11709932000001, "fitted");
        double[][] band = RealisableRegion.band(PolynomialCurve.of(r, 1.0, 0.01), 21);
        double s0 = 1.0 + 0.01 * r.gMinMicroSiemens();
        double s1 = 1.0 + 0.01 * r.gMaxMicroSiemens();
        assertEquals(Math.hypot(s0, s1) / (r.gMaxMicroSiemens() - r.gMinMicroSiemens()), band[20][1], 1e-15);
    }
}
